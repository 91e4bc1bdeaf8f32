// Everything anyjob knows about Kognitos that needs no generated code: its name, status words,
// env vars, CLI flags and ref shape. This module is the `@anyjob/kognitos/provider` entry the
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
import type { NameValue, Stage } from './generated/types.gen.js';

export interface KognitosTriggerRequest {
  provider: 'kognitos';
  /** The agent that owns the process. */
  agentId: string;
  /** The process (automation) to run: 1–26 characters of letters, digits, `-` and `_`. */
  processId: string;
  /** Which version of the process to run. Default `Published`. */
  stage?: Stage;
  /**
   * A name for the run, 1–100 characters. Default `anyjob <ISO time> <random marker>`: the
   * marker lets anyjob find the run again if the trigger's answer is lost. A run of a name you
   * choose is only a candidate then (another call may use the same name), never returned.
   */
  name?: string;
  /** Process inputs: `{ invoice: 42 }`, or the API's own `[{ name: 'invoice', value: 42 }]`. */
  inputs?: Record<string, unknown> | NameValue[];
  /** Ids of files registered with `kognitosCreateFile` and uploaded. */
  fileIds?: string[];
}

export interface KognitosJobRef extends JobRefBase {
  provider: 'kognitos';
  runId: string;
  agentId?: string;
  processId?: string;
}

export type KognitosJobRun = JobRun<KognitosJobRef>;

/** `listJobRuns({ provider: 'kognitos', agentId, processId, stage? })`: the runs of one process. */
export interface KognitosListQuery {
  provider: 'kognitos';
  agentId: string;
  processId: string;
  stage?: Stage;
}

/** Kognitos REST API v2 regional servers (the `servers` of specs/kognitos.yaml). */
export const KOGNITOS_REGION_BASE_URLS = {
  us: 'https://rest-api.app.kognitos.com/v2',
  eu: 'https://rest-api.eu.kognitos.com/v2',
  uk: 'https://rest-api.uk.kognitos.com/v2',
} as const;

export type KognitosRegion = keyof typeof KOGNITOS_REGION_BASE_URLS;

// Kognitos documents no env var names and ships no official SDK or CLI; these follow the
// `<PROVIDER>_API_KEY` convention and are anyjob's own.
export interface KognitosSettings extends CommonProviderSettings {
  /** Kognitos API key, sent as `x-api-key`. Defaults to `KOGNITOS_API_KEY`. */
  apiKey?: string;
  /**
   * Region of your Kognitos account: `us` (default), `eu` or `uk`. Beats `KOGNITOS_BASE_URL` and
   * `KOGNITOS_REGION`; only `baseUrl` beats it.
   */
  region?: KognitosRegion;
  /**
   * Overrides the region's URL (proxies, mocks). Without `baseUrl` or `region`, `KOGNITOS_BASE_URL`
   * is used, then `KOGNITOS_REGION`.
   */
  baseUrl?: string;
}

/**
 * Kognitos run statuses → anyjob's. Kognitos documents them loosely (an open string; seen:
 * Created, Succeeded; the product shows Pending, Running, Failed, Cancelled, TimedOut), so both
 * spellings of the last two are accepted and lookups ignore case.
 */
export const KOGNITOS_STATUSES: StatusTable = {
  created: 'queued',
  pending: 'queued',
  running: 'running',
  succeeded: 'succeeded',
  failed: 'failed',
  cancelled: 'canceled',
  canceled: 'canceled',
  timedout: 'timed_out',
  timed_out: 'timed_out',
};

export const KOGNITOS_ENV = {
  apiKey: ['KOGNITOS_API_KEY'],
  baseUrl: ['KOGNITOS_BASE_URL'],
  settings: { region: ['KOGNITOS_REGION'] },
} as const;

/** `GET /runs` and `GET /processes`: `limit` (at most 100), `items` (null when empty), `continuation_token`. */
export const KOGNITOS_PAGES = {
  style: 'token',
  tokenParam: 'continuation_token',
  nextToken: 'continuation_token',
  sizeParam: 'limit',
  items: 'items',
  defaultPageSize: 10,
  maxPageSize: 100,
} as const satisfies PaginationSpec;

/** What the Kognitos API does, as data (contract v2), checked against specs/kognitos.yaml. */
export const KOGNITOS_CONTRACT: ProviderContract = {
  status: { field: 'status', table: KOGNITOS_STATUSES },
  pagination: KOGNITOS_PAGES,
  runId: 'string',
  triggerAnswer: { kind: 'run' },
  operations: { trigger: 'startRun', get: 'getRun', list: 'listRuns' },
};

/** How Kognitos runs are referred to: the ref check, the run id and the polling group. */
export const kognitosRefs: RefShape<KognitosJobRef, KognitosListQuery> = {
  check: refChecker('kognitos', { runId: 'required', agentId: 'optional', processId: 'optional' }),
  runId: (ref) => ref.runId,
  // One list request reads up to 100 runs of a process.
  group: refGroup('kognitos', ['agentId', 'processId']),
  pageSize: 100,
};

const FLAGS = /* @__PURE__ */ cliFlags({
  agent: { field: 'agentId', help: 'Kognitos agent id' },
  process: { field: 'processId', help: 'Kognitos process id' },
  stage: { value: 'Draft|Published', help: 'process stage to run (default: Published)' },
  name: 'run name (default: chosen by anyjob, with a marker to find the run again)',
  input: {
    kind: 'pairs',
    json: true,
    help: 'process input (a string), repeatable; key:=<json> for a number, list or object',
  },
  'file-id': { kind: 'list', field: 'fileIds', help: 'id of an uploaded file, repeatable' },
});

/** The Kognitos provider: pass it to composeAnyJob, or call `create(settings)`. */
export const kognitos = /* @__PURE__ */ defineJobProvider({
  name: 'kognitos',
  displayName: 'Kognitos',
  contract: KOGNITOS_CONTRACT,
  synchronousRuns: false,
  // The REST API v2 has no cancel endpoint.
  capabilities: { cancel: false, list: true },
  env: KOGNITOS_ENV,
  refs: kognitosRefs,
  cli: {
    summary: 'Start a run of a Kognitos process.',
    usage: [
      '--agent <id> --process <id> [--stage Draft|Published] [--name <text>] [--input key=value ...] [--file-id <id> ...]',
    ],
    flags: FLAGS,
    listFlags: /* @__PURE__ */ cliFlagsFrom(FLAGS, {
      agent: { required: true },
      process: { required: true },
      stage: 'only runs of this stage',
    }),
    settingFlags: /* @__PURE__ */ cliFlags({
      region: {
        setting: 'region',
        value: 'us|eu|uk',
        help: 'Kognitos region; beats KOGNITOS_BASE_URL (default: KOGNITOS_REGION, then us)',
      },
    }),
    notes: 'Server: --base-url, else --region, else KOGNITOS_BASE_URL, else KOGNITOS_REGION, else us.',
  },
  // `anyjob doctor kognitos`: health, the agent's processes, one process, its runs, one run.
  conformance: {
    flags: /* @__PURE__ */ cliFlagsFrom(FLAGS, {
      agent: 'Kognitos agent whose processes and runs are read (required)',
      process: 'read this process and its runs (default: the first one listed)',
    }),
    load: () => import('./conformance.js'),
  },
  // The fake of @anyjob/testing: routes, wire shape and status words (`./testing`).
  testing: { load: () => import('./testing.js') },
  load: () => import('./implementation.js'),
});

/** A Kognitos provider with these settings (the env fills the rest when a call needs it). */
export function createKognitos(settings: KognitosSettings = {}) {
  return kognitos.create(settings);
}
