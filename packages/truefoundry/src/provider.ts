// Everything anyjob knows about TrueFoundry that needs no generated code: its name, status words,
// env vars, CLI flags and ref shape. This module is the `@anyjob/truefoundry/provider` entry the
// facade imports; the SDK, schemas and validator load on the provider's first call.
import {
  type CommonProviderSettings,
  cliFlags,
  cliFlagsFrom,
  defineJobProvider,
  type JobRefBase,
  type JobRun,
  type PaginationSpec,
  type ProviderContract,
  type RefShape,
  refChecker,
  refGroup,
  type StatusTable,
} from '@anyjob/core';
import type { JobRunStatus, SparkJobTriggerInput } from './generated/types.gen.js';

export interface TrueFoundryTriggerRequest {
  provider: 'truefoundry';
  /** The job's application id. Give exactly one of `applicationId` and `deploymentId`. */
  applicationId?: string;
  /** A specific deployment (version) of the job. */
  deploymentId?: string;
  /** Replaces the job's command: one string, or a list of arguments. Excludes `params` and `spark`. */
  command?: string | string[];
  /** Values for the job's templated command (any JSON values). Excludes `command` and `spark`. */
  params?: Record<string, unknown>;
  /** Input of a Spark job. Excludes `command` and `params`. */
  spark?: SparkJobTriggerInput;
  /** A readable alias for the run (`metadata.job_run_name_alias`). */
  alias?: string;
}

/** Everything needed to read (applicationId) or terminate (deploymentId) the run later. */
export interface TrueFoundryJobRef extends JobRefBase {
  provider: 'truefoundry';
  applicationId?: string;
  deploymentId?: string;
  jobRunName: string;
}

export type TrueFoundryJobRun = JobRun<TrueFoundryJobRef>;

/** `listJobRuns({ provider: 'truefoundry', applicationId, status? })`: the runs of one job, newest first. */
export interface TrueFoundryListQuery {
  provider: 'truefoundry';
  applicationId: string;
  /** Only runs in these statuses. */
  status?: JobRunStatus | JobRunStatus[];
}

export interface TrueFoundrySettings extends CommonProviderSettings {
  /** TrueFoundry API key (raw, without "Bearer "). Defaults to `TFY_API_KEY`. */
  apiKey?: string;
  /**
   * Your tenant's control-plane URL, e.g. `https://acme.truefoundry.cloud`. TrueFoundry has no
   * shared default. Defaults to `TFY_HOST`, then `TFY_BASE_URL`.
   */
  baseUrl?: string;
}

/** TrueFoundry's JobRunStatus words (specs/truefoundry.yaml) → anyjob's statuses. */
export const TRUEFOUNDRY_STATUSES: StatusTable = {
  created: 'queued',
  scheduled: 'queued',
  running: 'running',
  finished: 'succeeded',
  failed: 'failed',
  // Termination is asynchronous: the container may still be running (and may still finish) until
  // the status reaches TERMINATED, so these stay non-final and waiting keeps polling.
  termination_requested: 'running',
  terminating: 'running',
  terminated: 'canceled',
  unknown: 'unknown',
};

/** Env vars read by TrueFoundry's own tools (`TFY_HOST`, `TFY_API_KEY`), plus `TFY_BASE_URL`. */
export const TRUEFOUNDRY_ENV = {
  apiKey: ['TFY_API_KEY'],
  baseUrl: ['TFY_HOST', 'TFY_BASE_URL'],
} as const;

/** `GET /api/svc/v1/jobs/{jobId}/runs`: `offset` + `limit` (at most 1,000), `data`, `pagination.total`. */
export const TRUEFOUNDRY_RUN_PAGES = {
  style: 'offset',
  offsetParam: 'offset',
  sizeParam: 'limit',
  items: 'data',
  total: 'pagination.total',
  defaultPageSize: 100,
  maxPageSize: 1000,
} as const satisfies PaginationSpec;

/** What the TrueFoundry API does, as data (contract v2), checked against specs/truefoundry.yaml. */
export const TRUEFOUNDRY_CONTRACT: ProviderContract = {
  status: { field: 'status', table: TRUEFOUNDRY_STATUSES },
  pagination: TRUEFOUNDRY_RUN_PAGES,
  runId: 'string',
  triggerAnswer: { kind: 'run', field: 'data' },
  operations: { trigger: 'triggerJob', get: 'getJobRun', list: 'listJobRuns', runAt: 'data' },
};

/** How TrueFoundry runs are referred to: the ref check, the run id and the polling group. */
export const truefoundryRefs: RefShape<TrueFoundryJobRef, TrueFoundryListQuery> = {
  check: refChecker('truefoundry', {
    jobRunName: 'required',
    applicationId: 'optional',
    deploymentId: 'optional',
  }),
  runId: (ref) => ref.jobRunName,
  // One list request reads up to 1,000 runs of an application, newest first.
  group: refGroup('truefoundry', ['applicationId']),
  pageSize: TRUEFOUNDRY_RUN_PAGES.maxPageSize,
};

const FLAGS = /* @__PURE__ */ cliFlags({
  application: { field: 'applicationId', help: 'TrueFoundry application id of the job' },
  deployment: { field: 'deploymentId', help: 'TrueFoundry deployment id (instead of --application)' },
  command: { value: '<cmd>', help: 'command to run instead of the deployed one' },
  param: {
    kind: 'pairs',
    json: true,
    help: 'job parameter, repeatable; key:=<json> for a JSON value (cannot be combined with --command)',
  },
  alias: { value: '<name>', help: 'run name alias (metadata.job_run_name_alias)' },
});

/** The TrueFoundry provider: pass it to composeAnyJob, or call `create(settings)`. */
export const truefoundry = /* @__PURE__ */ defineJobProvider({
  name: 'truefoundry',
  displayName: 'TrueFoundry',
  contract: TRUEFOUNDRY_CONTRACT,
  synchronousRuns: false,
  capabilities: { cancel: true, list: true },
  env: TRUEFOUNDRY_ENV,
  refs: truefoundryRefs,
  cli: {
    summary: 'Start a run of a deployed TrueFoundry job.',
    usage: [
      '(--application <id> | --deployment <id>) [--command <cmd> | --param key=value ...] [--alias <name>]',
    ],
    flags: FLAGS,
    listFlags: /* @__PURE__ */ cliFlagsFrom(FLAGS, {
      application: { required: true },
      status: {
        kind: 'list',
        value: '<STATUS>',
        help: 'only runs in this status (CREATED, RUNNING, FINISHED, FAILED, …), repeatable',
      },
    }),
  },
  // `anyjob doctor truefoundry`: the job's newest runs, then the first of them.
  conformance: {
    flags: /* @__PURE__ */ cliFlagsFrom(FLAGS, {
      application: 'TrueFoundry application id of the job whose runs are read (required)',
    }),
    load: () => import('./conformance.js'),
  },
  // The fake of @anyjob/testing: routes, wire shape and status words (`./testing`).
  testing: { load: () => import('./testing.js') },
  load: () => import('./implementation.js'),
});

/** A TrueFoundry provider with these settings (the env fills the rest when a call needs it). */
export function createTrueFoundry(settings: TrueFoundrySettings = {}) {
  return truefoundry.create(settings);
}
