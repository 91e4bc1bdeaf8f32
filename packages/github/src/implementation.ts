// GitHub Actions behind the anyjob provider contract (v2 vocabulary), loaded on first use:
// trigger → POST …/workflows/{workflow_id}/dispatches with `return_run_details: true` (then a
// get of the id it answers), get → GET …/runs/{run_id}, list → GET …/workflows/{workflow_id}/runs
// (Link pagination), cancel → POST …/runs/{run_id}/cancel, or …/force-cancel with `force`.
import { ApiError, type CallOptions, type JobProviderImplementation } from '@anyjob/core';
import {
  type ConfirmedTrigger,
  idText,
  parseRequest,
  type RunSearch,
  runFromTriggerAnswer,
  runOperations,
  setUpProvider,
  unprovenTriggers,
} from '@anyjob/core/internal';
import * as v from 'valibot';
import { createGithubClient, GITHUB_BASE_URL_SETTING, resolveGithubBaseUrl } from './client.js';
import {
  githubCancelWorkflowRun,
  githubCreateWorkflowDispatch,
  githubForceCancelWorkflowRun,
  githubGetWorkflowRun,
  githubListWorkflowRuns,
} from './generated/sdk.gen.js';
import type { WorkflowRun } from './generated/types.gen.js';
import {
  GITHUB_CONTRACT,
  type GithubCancelOptions,
  type GithubJobRef,
  type GithubListQuery,
  type GithubSettings,
  type GithubTriggerRequest,
  githubRefs,
  isRepo,
  splitRepo,
} from './provider.js';
import { githubOperations } from './validation.js';

const PROVIDER = 'github';
/** How far GitHub's clock may be from ours when a dispatch's run is looked for by creation time. */
const CLOCK_SKEW_MS = 60_000;

// The friendly requests, checked before any request; the spec's schemas check the rest.
const repo = v.custom<string>(
  isRepo,
  '`repo` must be the repository as owner/name (e.g. octo-org/octo-repo).',
);
const workflow = v.union([v.pipe(v.string(), v.minLength(1)), v.pipe(v.number(), v.integer())]);
const provider = v.literal(PROVIDER);
const TRIGGER = v.strictObject({
  provider,
  repo,
  workflow,
  ref: v.pipe(v.string(), v.minLength(1, 'must name a branch or tag')),
  inputs: v.optional(v.record(v.string(), v.unknown())),
});
const filter = v.optional(v.string());
const QUERY = v.strictObject({
  provider,
  repo,
  workflow,
  status: filter,
  created: filter,
  event: filter,
  branch: filter,
});

/** Link's page parameters are text; the spec's `page` and `per_page` are integers. */
const pageNumbers = ({ page, per_page }: Record<string, unknown>) =>
  Object.fromEntries(
    Object.entries({ page, per_page }).flatMap(([k, n]) => (n === undefined ? [] : [[k, Number(n)]])),
  );

/** A run id's digits as the path parameter: a URL carries them exactly (the type says number). */
const runPath = (ref: GithubJobRef) => ({ ...splitRepo(ref.repo, 'ref'), run_id: ref.runId });

export function createJobProvider(
  settings: GithubSettings,
): JobProviderImplementation<GithubTriggerRequest, GithubJobRef, GithubListQuery> {
  const setup = setUpProvider({
    provider: PROVIDER,
    settings,
    createClient: createGithubClient,
    resolveBaseUrl: resolveGithubBaseUrl,
    operations: githubOperations,
    fieldNames: [
      ['body.inputs', 'inputs'],
      ['body.ref', 'ref'],
      ['path.workflow_id', 'workflow'],
      ['query.status', 'status'],
      ['query.per_page', 'pageSize'],
    ],
  });
  const origin = () => setup.connection().origin;
  const refFor = (run: WorkflowRun, repo: string): GithubJobRef => {
    const ref: GithubJobRef = { provider: PROVIDER, repo, runId: idText(run.id) ?? '', origin: origin() };
    return run.workflow_id === undefined ? ref : { ...ref, workflow: String(run.workflow_id) };
  };

  const runs = runOperations<GithubJobRef, GithubListQuery, WorkflowRun>({
    provider: PROVIDER,
    status: GITHUB_CONTRACT.status,
    // GitHub's own default page is 30 runs; anyjob asks for the most it allows.
    pagination: { ...GITHUB_CONTRACT.pagination, defaultPageSize: 100 },
    setup,
    baseUrlSetting: GITHUB_BASE_URL_SETTING,
    refs: githubRefs,
    run: (run) => ({ id: idText(run.id) ?? '', createdAtMs: Date.parse(run.created_at), url: run.html_url }),
    get: {
      operation: 'getWorkflowRun',
      send: githubGetWorkflowRun,
      exactIntegers: true,
      parts: (ref) => ({ path: runPath(ref) }),
      at: '',
      id: 'id',
      ref: (ref, run) => refFor(run, ref.repo),
    },
    list: {
      operation: 'listWorkflowRuns',
      send: githubListWorkflowRuns,
      exactIntegers: true,
      query: QUERY,
      parts: ({ provider: _, repo, workflow: workflow_id, ...filters }, params) => ({
        path: { ...splitRepo(repo, 'listJobRuns'), workflow_id },
        query: { ...filters, ...params, ...pageNumbers(params) },
      }),
      ref: (run, query) => refFor(run, query.repo),
    },
  });

  /**
   * A dispatch carries nothing GitHub echoes on the run, so no run is ever proof: the workflow's
   * dispatched runs on that ref created in the window are candidates, never returned.
   */
  function candidatesOf({ inputs: _, ...request }: GithubTriggerRequest): RunSearch<GithubJobRef> {
    const from = (window: { sentAt: number }) => new Date(window.sentAt - CLOCK_SKEW_MS).toISOString();
    const query: GithubListQuery = { ...request, event: 'workflow_dispatch', branch: request.ref };
    delete (query as { ref?: unknown }).ref;
    return {
      describe: (window) =>
        `the workflow_dispatch runs of ${request.repo} ${request.workflow} on ${request.ref} created since ${from(window)}`,
      async find(window, options) {
        const candidates = [];
        const created = `>=${from(window)}`;
        for await (const { items } of runs.pages({ ...query, created }, options, {
          pageSize: 100,
          maxPages: 3,
        }))
          candidates.push(...items.map((run) => runs.jobRun(run, refFor(run, request.repo))));
        return { proven: [], candidates };
      },
    };
  }

  /** The dispatch of `request` as confirmTrigger takes it: its send and its search (candidates only). */
  function trigger(request: GithubTriggerRequest, options?: CallOptions): ConfirmedTrigger<GithubJobRef> {
    parseRequest(PROVIDER, 'triggerJob', TRIGGER, request);
    const path = { ...splitRepo(request.repo, 'triggerJob'), workflow_id: request.workflow };
    const dispatch = (details: boolean) => {
      const body = {
        ref: request.ref,
        inputs: request.inputs,
        ...(details ? { return_run_details: true } : {}),
      };
      const op = { operation: 'createWorkflowDispatch', send: githubCreateWorkflowDispatch };
      return runs.call<unknown>(op, 'triggerJob', { path, body }, options);
    };
    const search = candidatesOf(request);
    const hint = `Look at the workflow's runs (\`anyjob list github --repo ${request.repo} --workflow ${request.workflow} --event workflow_dispatch\`) before dispatching again.`;
    const identity = { repo: request.repo, workflow: request.workflow, ref: request.ref };
    const context = { provider: PROVIDER, operation: 'triggerJob', request: identity, hint };
    return {
      ...context,
      signal: options?.signal,
      logger: setup.logger,
      search,
      async send() {
        const sentAt = Date.now();
        // GitHub Enterprise Server before `return_run_details` refuses the field (422 naming it):
        // that dispatch started nothing, so it is sent again without the field.
        const answer = await dispatch(true).catch((error: unknown) => {
          const refused = ApiError.isInstance(error) && error.status === 422;
          if (refused && JSON.stringify(error.body).includes('return_run_details')) return dispatch(false);
          throw error;
        });
        const { response } = answer;
        const body = response.status === 204 ? undefined : answer.data;
        const reply = { status: response.status, body, headers: response.headers, url: response.url };
        const getById = (runId: string, o?: CallOptions) =>
          runs.getJobRun({ provider: PROVIDER, repo: request.repo, runId }, o);
        const found = { ...context, origin: origin(), sentAt, signal: options?.signal, search, getById };
        return runFromTriggerAnswer(GITHUB_CONTRACT.triggerAnswer, reply, found, options);
      },
    };
  }

  return {
    // No proof to fix: a dispatch carries nothing GitHub echoes, so a queued dispatch whose answer
    // is lost with its worker ends unconfirmed, with the workflow's runs of the window as candidates.
    ...unprovenTriggers(trigger, origin),

    getJobRun: runs.getJobRun,

    async cancelJob(run, options?: GithubCancelOptions) {
      const ref = runs.storedRef(run, 'cancelJob');
      const op = options?.force
        ? { operation: 'forceCancelWorkflowRun', send: githubForceCancelWorkflowRun }
        : { operation: 'cancelWorkflowRun', send: githubCancelWorkflowRun };
      await runs.call<unknown>(op, 'cancelJob', { path: runPath(ref) }, options);
      // Cancelling is asynchronous: the run reads `completed/cancelled` once its jobs have stopped.
      return runs.getJobRun(ref, options);
    },

    listRunPage: runs.listRunPage,
  };
}
