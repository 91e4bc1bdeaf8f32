// GitHub's live conformance plan (`anyjob doctor github --repo owner/name --workflow <file>`),
// loaded on first use. Read operations only, two requests: the workflow's runs, then the first one.
// Every answer is checked against the schemas generated from specs/github.yaml.
import { defineConformance, firstItem, fromInput } from '@anyjob/core/conformance';
import { createGithubClient, resolveGithubBaseUrl } from './client.js';
import { conformance } from './generated/conformance.gen.js';
import { githubGetWorkflowRun, githubListWorkflowRuns } from './generated/sdk.gen.js';
import { type GithubSettings, splitRepo } from './provider.js';

const repo = { owner: fromInput('owner'), repo: fromInput('repo') };

export const checkConformance = defineConformance<GithubSettings, keyof typeof conformance>({
  provider: 'github',
  operations: conformance,
  createClient: createGithubClient,
  resolveBaseUrl: resolveGithubBaseUrl,
  required: ['repo', 'workflow'],
  prepare: (input) => ({ ...splitRepo(input.repo, 'doctor'), workflow: input.workflow }),
  reads: [
    {
      operation: 'listWorkflowRuns',
      send: githubListWorkflowRuns,
      path: { ...repo, workflow_id: fromInput('workflow') },
      query: { per_page: 10 },
    },
    {
      operation: 'getWorkflowRun',
      send: githubGetWorkflowRun,
      path: { ...repo, run_id: firstItem('listWorkflowRuns', 'workflow_runs', 'id') },
      skip: 'no run to read: the workflow listed none',
    },
  ],
});
