// Everything anyjob knows about GitHub Actions that needs no generated code: its contract (v2),
// env vars, CLI flags and ref shape. This module is the `@anyjob/github/provider` entry the facade
// imports; the SDK, schemas and validator load on the provider's first call.
import {
  type CallOptions,
  type CommonProviderSettings,
  cliFlags,
  cliFlagsFrom,
  defineJobProvider,
  InvalidRequestError,
  type JobRefBase,
  type JobRun,
  type ProviderContract,
  type RefShape,
  refChecker,
  refGroup,
} from '@anyjob/core';
import type { ListWorkflowRunsData } from './generated/types.gen.js';

export interface GithubTriggerRequest {
  provider: 'github';
  /** The repository, `owner/name`. */
  repo: string;
  /** The workflow's file name (`release.yml`) or id. */
  workflow: string | number;
  /** The branch or tag to run the workflow on. */
  ref: string;
  /** The workflow's `workflow_dispatch` inputs (at most 25). */
  inputs?: Record<string, unknown>;
}

export interface GithubJobRef extends JobRefBase {
  provider: 'github';
  /** `owner/name`. */
  repo: string;
  /** The run id (int64) as its decimal digits. */
  runId: string;
  /** The workflow, when known: the runs of one workflow are polled together through its list. */
  workflow?: string;
}

export type GithubJobRun = JobRun<GithubJobRef>;

/**
 * `cancelJob(run, { force: true })` posts force-cancel: for a run that ignores cancel (a job with
 * `if: always()`), as GitHub advises.
 */
export interface GithubCancelOptions extends CallOptions {
  force?: boolean;
}

/** `listJobRuns({ provider: 'github', repo, workflow, … })`: a workflow's runs, newest first. */
export interface GithubListQuery {
  provider: 'github';
  repo: string;
  workflow: string | number;
  /** A status or conclusion (`in_progress`, `failure`). */
  status?: NonNullable<ListWorkflowRunsData['query']>['status'];
  /** Creation date or range in GitHub's search syntax (`>=2026-12-01`). */
  created?: string;
  /** The triggering event (`workflow_dispatch`, `push`). */
  event?: string;
  branch?: string;
}

export interface GithubSettings extends CommonProviderSettings {
  /** A GitHub token. Defaults to `GITHUB_TOKEN`, then `GH_TOKEN` (as the gh CLI reads). */
  apiKey?: string;
  /** Defaults to `GITHUB_API_URL` (set inside Actions runners; Enterprise Server's `https://HOST/api/v3`), then https://api.github.com. */
  baseUrl?: string;
}

export const GITHUB_ENV = { apiKey: ['GITHUB_TOKEN', 'GH_TOKEN'], baseUrl: ['GITHUB_API_URL'] } as const;

/**
 * What GitHub's workflow-run API does, as data. Status is `status` plus, once completed,
 * `conclusion`; a `neutral` or `skipped` run passes (as in a required check); an
 * `action_required` run waits for an approval that ends it as completed, so it counts as failed.
 */
export const GITHUB_CONTRACT = {
  status: {
    fields: ['status', 'conclusion'],
    table: {
      requested: 'queued',
      queued: 'queued',
      pending: 'queued',
      waiting: 'queued',
      in_progress: 'running',
      // A completed run whose conclusion is not written yet (or is a new word): not over for anyjob.
      'completed/*': 'unknown',
      'completed/success': 'succeeded',
      'completed/neutral': 'succeeded',
      'completed/skipped': 'succeeded',
      'completed/failure': 'failed',
      'completed/startup_failure': 'failed',
      'completed/action_required': 'failed',
      'completed/stale': 'failed',
      'completed/cancelled': 'canceled',
      'completed/timed_out': 'timed_out',
    },
  },
  runId: 'integer',
  // `return_run_details: true` answers the id; without it (older Enterprise Server) 204, nothing.
  triggerAnswer: { kind: 'id', field: 'workflow_run_id' },
  pagination: { style: 'link', items: 'workflow_runs', sizeParam: 'per_page', maxPageSize: 100 },
  operations: { trigger: 'createWorkflowDispatch', get: 'getWorkflowRun', list: 'listWorkflowRuns' },
} as const satisfies ProviderContract;

const REPO = /^[A-Za-z0-9-]+\/[A-Za-z0-9._-]+$/;

/** Whether `repo` is a repository as `owner/name` (not a URL, not a clone path). */
export const isRepo = (repo: unknown): repo is string =>
  typeof repo === 'string' && REPO.test(repo) && !repo.endsWith('.git');

const repoMessage = (field: string, repo: unknown) =>
  `\`${field}\` must be the repository as owner/name (e.g. octo-org/octo-repo), got ${JSON.stringify(repo)}.`;

/** `owner/name` split, or InvalidRequestError naming `field` and the fix, before any request. */
export function splitRepo(repo: unknown, operation: string, field = 'repo'): { owner: string; repo: string } {
  if (!isRepo(repo)) {
    const message = repoMessage(field, repo);
    throw new InvalidRequestError(`Invalid github ${operation} request: ${message}`, {
      provider: 'github',
      operation,
      issues: [{ path: field, rule: 'pattern', message }],
    });
  }
  const [owner, name] = repo.split('/');
  return { owner, repo: name };
}

const checkRef = refChecker<GithubJobRef>('github', {
  repo: { required: true, test: isRepo, rule: 'pattern', message: repoMessage },
  runId: {
    required: true,
    test: (runId) => typeof runId === 'string' && /^[1-9][0-9]*$/.test(runId),
    rule: 'required',
    message: () =>
      'The run reference needs `runId`, the run id as digits: pass the `ref` triggerJob returned.',
  },
});

/** How GitHub runs are referred to: repo and run id; runs of one workflow are polled through its list. */
export const githubRefs: RefShape<GithubJobRef, GithubListQuery> = {
  check: checkRef,
  runId: (ref) => ref.runId,
  group: refGroup('github', ['repo', 'workflow']),
  pageSize: 100,
};

const FLAGS = /* @__PURE__ */ cliFlags({
  repo: { value: 'owner/name', required: true, help: 'the repository' },
  workflow: { value: '<file|id>', required: true, help: 'the workflow file name (release.yml) or id' },
  ref: { value: '<branch|tag>', required: true, help: 'where to run it' },
  input: {
    kind: 'pairs',
    json: true,
    help: 'a workflow input, repeatable; key:=<json> for a boolean or number',
  },
});

/** The GitHub Actions provider: pass it to composeAnyJob, or call `create(settings)`. */
export const github = /* @__PURE__ */ defineJobProvider({
  name: 'github',
  displayName: 'GitHub Actions',
  contract: GITHUB_CONTRACT,
  synchronousRuns: false,
  capabilities: { cancel: true, list: true },
  env: GITHUB_ENV,
  refs: githubRefs,
  cli: {
    summary: 'Dispatch a GitHub Actions workflow (workflow_dispatch) and follow its run.',
    usage: ['--repo owner/name --workflow <file|id> --ref <branch|tag> [--input key=value ...]'],
    flags: FLAGS,
    listFlags: /* @__PURE__ */ cliFlagsFrom(FLAGS, {
      repo: {},
      workflow: 'the workflow whose runs to list',
      status: { value: '<status>', help: 'a status or conclusion' },
      created: { value: '<range>', help: 'e.g. >=2026-12-01' },
      event: { value: '<event>', help: 'e.g. workflow_dispatch' },
      branch: { value: '<branch>', help: 'runs on this branch' },
    }),
    notes:
      'Token: GITHUB_TOKEN, else GH_TOKEN. Server: --base-url, else GITHUB_API_URL, else https://api.github.com.',
  },
  // `anyjob doctor github --repo owner/name --workflow <file>`: the workflow's runs, then one run.
  conformance: {
    flags: /* @__PURE__ */ cliFlagsFrom(FLAGS, {
      repo: 'the repository whose runs are read',
      workflow: 'the workflow whose runs are read',
    }),
    load: () => import('./conformance.js'),
  },
  testing: { load: () => import('./testing.js') },
  load: () => import('./implementation.js'),
});

/** A GitHub Actions provider with these settings (the env fills the rest when a call needs it). */
export function createGithub(settings: GithubSettings = {}) {
  return github.create(settings);
}
