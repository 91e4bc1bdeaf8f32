// Everything anyjob knows about Databricks Jobs that needs no generated code: its name, its
// contract (status, pagination, int64 ids, idempotency token, trigger answer) as data, env vars,
// CLI flags and ref shape. This module is the `@anyjob/databricks/provider` entry the facade
// imports; the SDK, schemas and validator load on the provider's first call.
import {
  type CommonProviderSettings,
  cliFlags,
  cliFlagsFrom,
  defineJobProvider,
  type JobRefBase,
  type JobRun,
  type JobStatus,
  type MappedStatusSpec,
  type ProviderContract,
  type RefShape,
  refChecker,
} from '@anyjob/core';
import { idDigits, idMessage } from './ids.js';

/** What `triggerJob({ provider: 'databricks', … })` takes: run-now's body in anyjob's words. */
export interface DatabricksTriggerRequest {
  provider: 'databricks';
  /** The job to run: its int64 id as digits (`'11223344'`), or a number below 2^53. */
  jobId: string | number;
  /** Job-level parameters (`job_parameters`): `{ run_date: '2026-12-06' }`. */
  jobParameters?: Record<string, string>;
  /**
   * Databricks' `idempotency_token` (at most 64 characters). Default: a new UUID per call. Either
   * way it is sent on every retry and, after a lost answer, once more to find the run it started.
   */
  idempotencyKey?: string;
  /** Task keys to run (`only`); default every task of the job. */
  only?: string[];
  /** `performance_target` of a serverless job. */
  performanceTarget?: 'PERFORMANCE_OPTIMIZED' | 'STANDARD';
}

/** Everything needed to read or cancel the run later, in another process (ids as digits). */
export interface DatabricksJobRef extends JobRefBase {
  provider: 'databricks';
  runId: string;
  jobId?: string;
}

export type DatabricksJobRun = JobRun<DatabricksJobRef>;

/** `listJobRuns({ provider: 'databricks', … })`: runs newest first, of one job or of all. */
export interface DatabricksListQuery {
  provider: 'databricks';
  jobId?: string | number;
  activeOnly?: boolean;
  completedOnly?: boolean;
  /** Runs started at or after this time (epoch ms). */
  startTimeFrom?: string | number;
  /** Runs started at or before this time (epoch ms). */
  startTimeTo?: string | number;
}

export interface DatabricksSettings extends CommonProviderSettings {
  /** Personal access token, sent as `Authorization: Bearer <token>`. Defaults to `DATABRICKS_TOKEN`. */
  apiKey?: string;
  /** The workspace URL (`https://dbc-….cloud.databricks.com`, scheme optional). Defaults to `DATABRICKS_HOST`. */
  baseUrl?: string;
}

// Termination codes (`status.termination_details.code`) → anyjob's status; every other
// documented code is a failure. SUCCESS_WITH_FAILURES ("some child runs failed") is a failure
// too: a caller waiting for success must not be told every task succeeded.
/** A table of words from the words of each status. */
const byStatus = (groups: Partial<Record<JobStatus, string>>) =>
  Object.fromEntries(
    Object.entries(groups).flatMap(([status, words]) => words.split(' ').map((word) => [word, status])),
  ) as Record<string, JobStatus>;
const CODES = byStatus({
  succeeded: 'success',
  canceled: 'user_canceled canceled skipped disabled',
  failed:
    'success_with_failures internal_error driver_error cluster_error repository_checkout_failed invalid_cluster_request workspace_run_limit_exceeded feature_disabled cluster_request_limit_exceeded storage_access_error run_execution_error unauthorized_error library_installation_error max_concurrent_runs_exceeded max_spark_contexts_exceeded resource_not_found invalid_run_configuration cloud_failure max_job_queue_size_exceeded breaking_change cluster_terminated_by_user budget_policy_limit_exceeded',
});
const STATES = byStatus({ queued: 'blocked pending queued waiting', running: 'running terminating' });
// The deprecated `state` object, read only where a run has no `status`.
const LIFE_CYCLES = byStatus({
  queued: 'blocked pending queued waiting_for_retry',
  running: 'running terminating',
  canceled: 'skipped',
  failed: 'internal_error',
});
const RESULTS = byStatus({
  succeeded: 'success',
  failed: 'success_with_failures failed upstream_failed maximum_concurrent_runs_reached',
  timed_out: 'timedout',
  canceled: 'canceled upstream_canceled excluded disabled',
});

function statusOf([state, code, lifeCycle, result]: readonly (string | undefined)[]): JobStatus {
  if (state !== undefined)
    return state === 'terminated' ? (CODES[code ?? ''] ?? 'unknown') : (STATES[state] ?? 'unknown');
  if (lifeCycle === 'terminated') return RESULTS[result ?? ''] ?? 'unknown';
  return LIFE_CYCLES[lifeCycle ?? ''] ?? 'unknown';
}

const entries = (table: Record<string, JobStatus>, key: (word: string) => string) =>
  Object.entries(table).map(([word, status]) => [key(word), status]);

/** `status.state` + `status.termination_details.code`; `state.life_cycle_state` + `result_state` where `status` is absent. */
export const DATABRICKS_STATUS: MappedStatusSpec = {
  fields: ['status.state', 'status.termination_details.code', 'state.life_cycle_state', 'state.result_state'],
  map: statusOf,
  table: Object.fromEntries([
    ...entries(STATES, (state) => state),
    ...entries(CODES, (code) => `terminated/${code}`),
    ...entries(LIFE_CYCLES, (lifeCycle) => `//${lifeCycle}`),
    ...entries(RESULTS, (result) => `//terminated/${result}`),
  ]),
};

/** What the Jobs API 2.2 does, as data (contract v2). */
export const DATABRICKS_CONTRACT = {
  status: DATABRICKS_STATUS,
  pagination: {
    style: 'token',
    tokenParam: 'page_token',
    nextToken: 'next_page_token',
    sizeParam: 'limit',
    items: 'runs',
    defaultPageSize: 25,
    maxPageSize: 25,
  },
  runId: 'integer',
  idempotency: { in: 'body', name: 'idempotency_token', maxLength: 64 },
  triggerAnswer: { kind: 'id', field: 'run_id' },
  operations: { trigger: 'runNow', get: 'getRun', list: 'listRuns' },
} as const satisfies ProviderContract;

// Databricks' own CLI and SDKs read these.
export const DATABRICKS_ENV = { apiKey: ['DATABRICKS_TOKEN'], baseUrl: ['DATABRICKS_HOST'] } as const;

const isId = (id: unknown) => idDigits(id) !== undefined;

/** How Databricks runs are referred to: the ref check and the run id. */
export const databricksRefs: RefShape<DatabricksJobRef, DatabricksListQuery> = {
  check: refChecker('databricks', {
    runId: { required: true, test: isId, rule: 'type', message: idMessage },
    jobId: { test: isId, rule: 'type', message: idMessage },
  }),
  runId: (ref) => ref.runId,
};

const FLAGS = /* @__PURE__ */ cliFlags({
  'job-id': { kind: 'integer', required: true, help: 'the job to run' },
  param: { kind: 'pairs', field: 'jobParameters', help: 'job parameter (job_parameters), repeatable' },
  'job-param': { kind: 'pairs', field: 'jobParameters', help: 'the same as --param, in Databricks’ words' },
  'idempotency-key': 'idempotency_token, at most 64 characters (default: a new one per call)',
  only: { kind: 'list', value: '<task>', help: 'run only this task key, repeatable' },
});

/** The Databricks Jobs provider: pass it to composeAnyJob, or call `create(settings)`. */
export const databricks = /* @__PURE__ */ defineJobProvider({
  name: 'databricks',
  displayName: 'Databricks',
  contract: DATABRICKS_CONTRACT,
  synchronousRuns: false,
  capabilities: { cancel: true, list: true },
  env: DATABRICKS_ENV,
  refs: databricksRefs,
  cli: {
    summary: 'Start a run of a Databricks job (Jobs API 2.2 run-now), exactly once.',
    usage: ['--job-id <id> [--param key=value ...] [--idempotency-key <text>] [--only <task> ...]'],
    flags: FLAGS,
    listFlags: /* @__PURE__ */ cliFlagsFrom(FLAGS, {
      'job-id': { required: false, help: 'only runs of this job' },
      'active-only': { kind: 'boolean', help: 'only queued, pending, running or terminating runs' },
      'completed-only': { kind: 'boolean', help: 'only finished runs' },
    }),
    notes: 'DATABRICKS_HOST is the workspace URL, as the Databricks CLI reads it; https:// may be left out.',
  },
  // `anyjob doctor databricks`: list runs, read the first (read-only).
  conformance: {
    flags: /* @__PURE__ */ cliFlagsFrom(FLAGS, {
      'job-id': { required: false, help: 'list the runs of this job (default: of every job)' },
    }),
    load: () => import('./conformance.js'),
  },
  testing: { load: () => import('./testing.js') },
  load: () => import('./implementation.js'),
});

/** A Databricks provider with these settings (the env fills the rest when a call needs it). */
export function createDatabricks(settings: DatabricksSettings = {}) {
  return databricks.create(settings);
}
