// GitHub Actions behind the anyjob provider contract (v2 vocabulary), loaded on first use:
// trigger → POST …/workflows/{workflow_id}/dispatches with `return_run_details: true` (then a
// get of the id it answers), get → GET …/runs/{run_id}, list → GET …/workflows/{workflow_id}/runs
// (Link pagination), cancel → POST …/runs/{run_id}/cancel, or …/force-cancel with `force`.
import {
  ApiError,
  type CallOptions,
  type JobProviderImplementation,
  type ListOptions,
  type PageParams,
  readRunStatus,
  refOf,
} from '@anyjob/core';
import {
  type ApiAnswer,
  checkRefOrigin,
  checkSchema,
  confirmTrigger,
  idText,
  operationPages,
  type RunSearch,
  readOperationPage,
  runFromTriggerAnswer,
  setUpProvider,
  throwIfInvalid,
  throwIfResponseIssues,
  withAnswer,
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
  type GithubJobRun,
  type GithubListQuery,
  type GithubSettings,
  type GithubTriggerRequest,
  githubRefs,
  splitRepo,
} from './provider.js';
import { githubOperations } from './validation.js';

const PROVIDER = 'github';
const LIST = { provider: PROVIDER, operation: 'listWorkflowRuns' };
/** How far GitHub's clock may be from ours when a dispatch's run is looked for by creation time. */
const CLOCK_SKEW_MS = 60_000;

// The friendly requests, checked before any request; the spec's schemas check the rest.
const workflow = v.union([v.pipe(v.string(), v.minLength(1)), v.pipe(v.number(), v.integer())]);
const TRIGGER = v.strictObject({
  provider: v.literal(PROVIDER),
  repo: v.string(),
  workflow,
  ref: v.pipe(v.string(), v.minLength(1, 'must name a branch or tag')),
  inputs: v.optional(v.record(v.string(), v.unknown())),
});
const QUERY = v.strictObject({
  provider: v.literal(PROVIDER),
  repo: v.string(),
  workflow,
  ...Object.fromEntries(['status', 'created', 'event', 'branch'].map((key) => [key, v.optional(v.string())])),
});

function check(schema: v.GenericSchema, value: unknown, operation: string): void {
  throwIfInvalid(PROVIDER, operation, checkSchema(schema, value, ''));
  splitRepo((value as { repo: unknown }).repo, operation);
}

/** A run id's digits as the path parameter: a URL carries them exactly (the type says number). */
const runPath = (ref: GithubJobRef) => ({
  ...splitRepo(ref.repo, 'ref'),
  run_id: ref.runId as unknown as number,
});

export function createJobProvider(
  settings: GithubSettings,
): JobProviderImplementation<GithubTriggerRequest, GithubJobRef, GithubListQuery> {
  const { api, connection, logger } = setUpProvider({
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

  function toJobRun(run: WorkflowRun, repo: string, answer?: ApiAnswer<unknown>): GithubJobRun {
    const ref: GithubJobRef = {
      provider: PROVIDER,
      repo,
      runId: idText(run.id) ?? '',
      origin: connection().origin,
    };
    if (run.workflow_id !== undefined) ref.workflow = String(run.workflow_id);
    const jobRun: GithubJobRun = {
      provider: PROVIDER,
      id: ref.runId,
      ...readRunStatus(GITHUB_CONTRACT.status, run),
      createdAt: run.created_at,
      url: run.html_url,
      ref,
      raw: run,
    };
    return answer ? withAnswer(jobRun, answer) : jobRun;
  }

  /** Reads one page of a workflow's runs with the pagination's `params` (Link's are text). */
  const pageReader = (query: GithubListQuery, options?: CallOptions) => async (params: PageParams) => {
    const { provider: _, repo, workflow: workflow_id, ...filters } = query;
    const numbers = Object.fromEntries(
      Object.entries(params).map(([key, value]) => [
        key,
        key === 'page' || key === 'per_page' ? Number(value) : value,
      ]),
    );
    const parts = {
      path: { ...splitRepo(repo, 'listJobRuns'), workflow_id },
      query: { ...filters, ...numbers },
    };
    const answer = await api.call<{ workflow_runs: WorkflowRun[] }>(
      {
        operation: 'listWorkflowRuns',
        as: 'listJobRuns',
        parts,
        exactIntegers: true,
        send: (sdk) => githubListWorkflowRuns({ ...sdk, ...parts }),
      },
      options,
    );
    return { body: answer.data, headers: answer.response.headers };
  };

  /**
   * A dispatch carries nothing GitHub echoes on the run, so no run is ever proof: the workflow's
   * dispatched runs on that ref created in the window are candidates, never returned.
   */
  function candidatesOf(request: GithubTriggerRequest): RunSearch<GithubJobRef> {
    const from = (window: { sentAt: number }) => new Date(window.sentAt - CLOCK_SKEW_MS).toISOString();
    const query: GithubListQuery = { ...request, event: 'workflow_dispatch', branch: request.ref };
    delete (query as { inputs?: unknown }).inputs;
    return {
      describe: (window) =>
        `the workflow_dispatch runs of ${request.repo} ${request.workflow} on ${request.ref} created since ${from(window)}`,
      async find(window, options) {
        const pages = operationPages<WorkflowRun>(
          GITHUB_CONTRACT.pagination,
          pageReader({ ...query, created: `>=${from(window)}` }, options),
          LIST,
          { pageSize: 100, maxPages: 3 },
        );
        const candidates: GithubJobRun[] = [];
        for await (const { items } of pages)
          candidates.push(...items.map((run) => toJobRun(run, request.repo)));
        return { proven: [], candidates };
      },
    };
  }

  async function getJobRun(run: GithubJobRun | GithubJobRef, options?: CallOptions): Promise<GithubJobRun> {
    const ref = githubRefs.check(refOf(run), 'getJobRun');
    checkRefOrigin(ref, connection().baseUrl, GITHUB_BASE_URL_SETTING);
    const parts = { path: runPath(ref) };
    const answer = await api.call<WorkflowRun>(
      {
        operation: 'getWorkflowRun',
        as: 'getJobRun',
        parts,
        exactIntegers: true,
        send: (sdk) => githubGetWorkflowRun({ ...sdk, ...parts }),
      },
      options,
    );
    if (idText(answer.data.id) !== ref.runId) {
      const message = `must be the run that was asked for (${ref.runId}), got another run`;
      throwIfResponseIssues(PROVIDER, 'getWorkflowRun', [{ path: 'response.id', rule: 'const', message }]);
    }
    return toJobRun(answer.data, ref.repo, answer);
  }

  return {
    async triggerJob(input, options) {
      check(TRIGGER, input, 'triggerJob');
      const request = input;
      const path = { ...splitRepo(request.repo, 'triggerJob'), workflow_id: request.workflow };
      const dispatch = (details: boolean) => {
        const parts = {
          path,
          body: {
            ref: request.ref,
            inputs: request.inputs,
            ...(details ? { return_run_details: true } : {}),
          },
        };
        return api.call<unknown>(
          {
            operation: 'createWorkflowDispatch',
            as: 'triggerJob',
            parts,
            send: (sdk) => githubCreateWorkflowDispatch({ ...sdk, ...parts }),
          },
          options,
        );
      };
      const search = candidatesOf(request);
      const hint = `Look at the workflow's runs (\`anyjob list github --repo ${request.repo} --workflow ${request.workflow} --event workflow_dispatch\`) before dispatching again.`;
      const identity = { repo: request.repo, workflow: request.workflow, ref: request.ref };
      return confirmTrigger<GithubJobRef>({
        provider: PROVIDER,
        operation: 'triggerJob',
        request: identity,
        hint,
        signal: options?.signal,
        logger,
        search,
        async send() {
          const sentAt = Date.now();
          // GitHub Enterprise Server before `return_run_details` refuses the field (422 naming it):
          // that dispatch started nothing, so it is sent again without the field.
          const answer = await dispatch(true).catch((error: unknown) => {
            if (
              ApiError.isInstance(error) &&
              error.status === 422 &&
              JSON.stringify(error.body).includes('return_run_details')
            )
              return dispatch(false);
            throw error;
          });
          const { response } = answer;
          return runFromTriggerAnswer<GithubJobRef>(
            GITHUB_CONTRACT.triggerAnswer,
            {
              status: response.status,
              body: response.status === 204 ? undefined : answer.data,
              headers: response.headers,
              url: response.url,
            },
            {
              provider: PROVIDER,
              operation: 'triggerJob',
              request: identity,
              hint,
              origin: connection().origin,
              sentAt,
              signal: options?.signal,
              search,
              getById: (runId, o) => getJobRun({ provider: PROVIDER, repo: request.repo, runId }, o),
            },
            options,
          );
        },
      });
    },

    getJobRun,

    async cancelJob(run, options?: GithubCancelOptions) {
      const ref = githubRefs.check(refOf(run), 'cancelJob');
      checkRefOrigin(ref, connection().baseUrl, GITHUB_BASE_URL_SETTING);
      const parts = { path: runPath(ref) };
      const cancel = options?.force ? githubForceCancelWorkflowRun : githubCancelWorkflowRun;
      const operation = options?.force ? 'forceCancelWorkflowRun' : 'cancelWorkflowRun';
      await api.call<unknown>(
        { operation, as: 'cancelJob', parts, send: (sdk) => cancel({ ...sdk, ...parts }) },
        options,
      );
      // Cancelling is asynchronous: the run reads `completed/cancelled` once its jobs have stopped.
      return getJobRun(ref, options);
    },

    async listRunPage(input, cursor, options?: ListOptions) {
      check(QUERY, input, 'listJobRuns');
      const query = input;
      const { items, next } = await readOperationPage<WorkflowRun>(
        { ...GITHUB_CONTRACT.pagination, defaultPageSize: 100 },
        pageReader(query, options),
        cursor,
        options?.pageSize,
        LIST,
      );
      return { runs: items.map((run) => toJobRun(run, query.repo)), next };
    },
  };
}
