// Everything anyjob knows about Runchat that needs no generated code: its name, status words,
// env vars, CLI flags and ref shape. This module is the `@anyjob/runchat/provider` entry the
// facade imports; the SDK, schemas and validator load on the provider's first call.
//
// Every Runchat call runs the job or flow to the end and answers with the result: runs are
// synchronous, a ref stores the outcome, and there is nothing to poll, list or cancel.
import {
  type CommonProviderSettings,
  cliFlags,
  cliFlagsFrom,
  defineJobProvider,
  isJobStatus,
  type JobRefBase,
  type JobRun,
  type JobStatus,
  mapStatus,
  type ProviderContract,
  type RefShape,
  refChecker,
  type StatusTable,
} from '@anyjob/core';
import type { ExecutionRequest } from './generated/types.gen.js';

/** Runs a job from the Tasks dashboard: `GET /job/{jobId}`, or `POST` with a message or payload. */
export interface RunchatJobTriggerRequest {
  provider: 'runchat';
  jobId: string;
  /** Appended as a user message to an agent job's chat (sent as `{message}`). Excludes `payload`. */
  message?: string;
  /** Sent as the raw JSON body of `POST /job/{jobId}` (agent jobs). Excludes `message`. */
  payload?: Record<string, unknown>;
  flowId?: never;
}

/** Runs a flow: `POST /{flowId}`. */
export interface RunchatFlowTriggerRequest {
  provider: 'runchat';
  flowId: string;
  /** Inputs keyed by parameter id (`paramId_nodeId`, see the flow's schema). */
  inputs?: ExecutionRequest['inputs'];
  /** Continues an existing flow instance (`runchat_instance_id` of an earlier run). */
  instanceId?: string;
  /**
   * Sent as the JSON body instead of `{inputs}` (webhook-style flows), with `instanceId` added as
   * `runchat_instance_id`. Excludes `inputs`.
   */
  payload?: Record<string, unknown>;
  jobId?: never;
}

export type RunchatTriggerRequest = RunchatJobTriggerRequest | RunchatFlowTriggerRequest;

/** A finished Runchat run. The outcome is stored in the ref because Runchat cannot be asked again. */
export interface RunchatJobRef extends JobRefBase {
  provider: 'runchat';
  jobId?: string;
  flowId?: string;
  /** The flow instance that ran (`runchat_instance_id`); pass it as `instanceId` to continue it. */
  instanceId?: string;
  status: JobStatus;
  providerStatus?: string;
  error?: string;
}

export type RunchatJobRun = JobRun<RunchatJobRef>;

export interface RunchatSettings extends CommonProviderSettings {
  /** Runchat API key (`rc_…`). Defaults to `RUNCHAT_API_KEY`, then `RUNCHAT_TOKEN`. */
  apiKey?: string;
  /**
   * Full API base URL, including `/api/v1`. Defaults to `RUNCHAT_BASE_URL` (which, as in Runchat's
   * own CLI, is the site origin such as `https://runchat.com`; `/api/v1` is appended) and then to
   * `https://runchat.com/api/v1`.
   */
  baseUrl?: string;
}

/** An agent job reports `status: success | error`; a flow reports none (a 200 means it ran). */
export const RUNCHAT_STATUSES: StatusTable = { success: 'succeeded', error: 'failed' };

/**
 * What the Runchat API does, as data (contract v2): the run is the trigger's answer, and its status
 * is an agent job's `status` word, or none (a flow) when the run completed.
 */
export const RUNCHAT_CONTRACT: ProviderContract = {
  status: {
    fields: ['status'],
    map: ([word]) => (word === undefined ? 'succeeded' : mapStatus(RUNCHAT_STATUSES, word)),
    table: RUNCHAT_STATUSES,
  },
  runId: 'string',
  triggerAnswer: { kind: 'run' },
  operations: { trigger: 'triggerAgentJobWithMessage' },
};

/** The env vars of Runchat's own CLI (`@runchat/cli`). */
export const RUNCHAT_ENV = {
  apiKey: ['RUNCHAT_API_KEY', 'RUNCHAT_TOKEN'],
  baseUrl: ['RUNCHAT_BASE_URL'],
} as const;

const NO_STATUS =
  'The run reference has no valid `status`; pass the `ref` (or JobRun) that triggerJob returned.';

// A flow's run stores `flowId`, a job's `jobId`; the outcome fields are the provider's own writing.
const checkRef = refChecker<RunchatJobRef>('runchat', {
  'jobId|flowId': 'required',
  status: { required: true, test: isJobStatus, rule: 'enum', message: () => NO_STATUS },
  jobId: 'string',
  flowId: 'string',
  instanceId: 'string',
  providerStatus: 'string',
  error: 'string',
  origin: 'string',
});

/** How Runchat runs are referred to: the ref check and the run id (Runchat has no list to poll). */
export const runchatRefs: RefShape<RunchatJobRef, never> = {
  check: checkRef,
  runId: (ref) => ref.instanceId ?? ref.jobId ?? ref.flowId ?? '',
};

const FLAGS = /* @__PURE__ */ cliFlags({
  job: { field: 'jobId', help: 'Runchat job to run (GET /job/{id}, or POST with --message/--payload)' },
  message: 'message for an agent-backed job (sent as {"message": …})',
  payload: {
    kind: 'json',
    help: 'JSON body for --job, or for --flow instead of --input (--instance is added): inline JSON, @file or - for stdin',
  },
  flow: { field: 'flowId', help: 'Runchat flow to run (POST /{runchat_id})' },
  input: {
    kind: 'pairs',
    json: true,
    help: 'flow input (a string), repeatable; key:=<json> for a number, list or object',
  },
  instance: { field: 'instanceId', help: 'continue an existing flow instance (runchat_instance_id)' },
});

/** The Runchat provider: pass it to composeAnyJob, or call `create(settings)`. */
export const runchat = /* @__PURE__ */ defineJobProvider({
  name: 'runchat',
  displayName: 'Runchat',
  contract: RUNCHAT_CONTRACT,
  synchronousRuns: true,
  capabilities: { cancel: false, list: false },
  env: RUNCHAT_ENV,
  // "10 requests per minute" (docs.runchat.app's introduction); no 429 body or Retry-After is documented.
  rateLimit: { requestsPerMinute: 10, source: 'docs.runchat.app introduction' },
  refs: runchatRefs,
  cli: {
    summary: 'Run a Runchat job or flow. Runchat answers when the run is done, so the result is final.',
    usage: [
      '--job <id> [--message <text> | --payload <json | @file | ->]',
      '--flow <id> [--input key=value ... | --payload <json | @file | ->] [--instance <id>]',
    ],
    flags: FLAGS,
  },
  // `anyjob doctor runchat`: the flow's schema, Runchat's only read (GET /job/{id} runs the job).
  conformance: {
    flags: /* @__PURE__ */ cliFlagsFrom(FLAGS, { flow: 'Runchat flow whose schema is read (required)' }),
    load: () => import('./conformance.js'),
  },
  // The fake of @anyjob/testing: routes, wire shape and status words (`./testing`).
  testing: { load: () => import('./testing.js') },
  load: () => import('./implementation.js'),
});

/** A Runchat provider with these settings (the env fills the rest when a call needs it). */
export function createRunchat(settings: RunchatSettings = {}) {
  return runchat.create(settings);
}
