// GitHub's live conformance plan (`anyjob doctor github --repo owner/name --workflow <file>`),
// loaded on first use. Read operations only, two requests: the workflow's runs, then the first one.
// Every answer is checked against the schemas generated from specs/github.yaml.
import type { ConformanceModule } from '@anyjob/core';
import { type ConformancePlan, requireInput, runConformance } from '@anyjob/core/conformance';
import { createGithubClient, resolveGithubBaseUrl } from './client.js';
import { conformance, type ReadOperation } from './generated/conformance.gen.js';
import { githubGetWorkflowRun, githubListWorkflowRuns } from './generated/sdk.gen.js';
import { type GithubSettings, splitRepo } from './provider.js';

interface Input {
  repo: string;
  workflow: string;
}

const plan: ConformancePlan<Input, ReadOperation> = {
  provider: 'github',
  spec: 'specs/github.yaml',
  operations: conformance,
  steps: [
    {
      operation: 'listWorkflowRuns',
      call: ({ sdk, input }) =>
        githubListWorkflowRuns({
          ...sdk,
          path: { ...splitRepo(input.repo, 'doctor'), workflow_id: input.workflow },
          query: { per_page: 10 },
        }),
    },
    {
      operation: 'getWorkflowRun',
      call: ({ sdk, input, answers }) => {
        const runs = (answers.listWorkflowRuns as { workflow_runs?: { id?: unknown }[] } | undefined)
          ?.workflow_runs;
        const runId = runs?.[0]?.id;
        if (typeof runId !== 'number') return 'no run to read: the workflow listed none';
        return githubGetWorkflowRun({ ...sdk, path: { ...splitRepo(input.repo, 'doctor'), run_id: runId } });
      },
    },
  ],
};

export const checkConformance: ConformanceModule<GithubSettings>['checkConformance'] = async (
  settings,
  input,
  options,
) => {
  requireInput('github', input, ['repo', 'workflow']);
  splitRepo(input.repo, 'doctor');
  return runConformance({
    plan,
    input: input as unknown as Input,
    baseUrl: resolveGithubBaseUrl(settings),
    createClient: (fetch) =>
      createGithubClient({ ...settings, fetch, validateRequests: false, validateResponses: false }),
    fetch: settings.fetch,
    signal: options?.signal,
  });
};
