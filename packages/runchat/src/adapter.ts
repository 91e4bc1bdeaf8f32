// Runchat behind the anyjob provider interface. Every Runchat call runs the job or flow to the end
// and answers with the result, so a trigger returns a final run, and there is nothing to poll or
// cancel: getJobRun answers from the reference without a request, cancelJob is unsupported.
import {
  type CallOptions,
  callOperation,
  type FieldCheck,
  type FieldNames,
  fieldCheck,
  fieldIssues,
  isNonEmptyString,
  isPlainObject,
  isTerminal,
  type JobProvider,
  type JobRun,
  type JobStatus,
  mapStatus,
  type OperationInfo,
  type RequestParts,
  type RetrySettings,
  refOf,
  responseObject,
  type SdkResult,
  sendOptionsFrom,
  throwIfInvalid,
  throwIfResponseIssues,
  UnsupportedOperationError,
  unknownFieldIssues,
  type ValidationIssue,
  validateAsFacade,
} from '@anyjob/core';
import {
  createRunchatClient,
  type RunchatOperation,
  type RunchatSettings,
  validateRunchatRequest,
} from './client.js';
import { runFlow, triggerAgentJobWithMessage, triggerJob } from './generated/sdk.gen.js';
import type {
  AgentJobResponse,
  BasicParameter,
  ExecutionRequest,
  ExecutionResponse,
  FlowJobResponse,
} from './generated/types.gen.js';

const { optionalString } = fieldCheck;

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
export interface RunchatJobRef {
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

export interface RunchatAdapterSettings extends RunchatSettings, RetrySettings {}

export type RunchatProvider = JobProvider<RunchatTriggerRequest, RunchatJobRef>;

const PROVIDER = 'runchat';
// Runchat answers only when the run is done; community clients allow it five minutes.
const RUN_TIMEOUT_MS = 300_000;
// GET /job/{id} starts a job: it is a trigger, not a read.
const RUN_JOB: OperationInfo = {
  provider: PROVIDER,
  operation: 'triggerJob',
  sideEffect: 'trigger',
  defaultTimeoutMs: RUN_TIMEOUT_MS,
};
const RUN_AGENT_JOB: OperationInfo = { ...RUN_JOB, operation: 'triggerAgentJobWithMessage' };
const RUN_FLOW: OperationInfo = { ...RUN_JOB, operation: 'runFlow' };

// Wire paths of the three operations → the request fields the caller set. checkTrigger has already
// checked `message`, `instanceId` and the type of `inputs`, so with a payload whatever the spec
// still finds in the body lies in the payload.
const FIELD_NAMES: FieldNames = [
  ['path.runchat_job_id', 'jobId'],
  ['path.runchat_id', 'flowId'],
  ['body.runchat_instance_id', 'instanceId'],
  ['body.message', 'message'],
  ['body.inputs', 'inputs'],
  ['body', 'payload'],
];
const PAYLOAD_FIELD_NAMES = FIELD_NAMES.filter(([wire]) => !wire.startsWith('body.'));

function checkTrigger(request: RunchatTriggerRequest): void {
  const isJob = request.jobId !== undefined;
  const issues: ValidationIssue[] = unknownFieldIssues(
    request as never,
    isJob
      ? ['provider', 'jobId', 'message', 'payload']
      : ['provider', 'flowId', 'inputs', 'instanceId', 'payload'],
  );
  if (isJob && request.flowId !== undefined) {
    issues.push({
      path: 'flowId',
      rule: 'exclusive',
      message: 'Give either `jobId` (a job) or `flowId` (a flow), not both.',
    });
  }
  const idField = isJob ? 'jobId' : 'flowId';
  if (!isNonEmptyString(isJob ? request.jobId : request.flowId)) {
    issues.push({
      path: idField,
      rule: 'required',
      message: isJob
        ? '`jobId` must be a non-empty string (a job id from the Tasks dashboard), or give `flowId` to run a flow.'
        : 'Give `jobId` (a job from the Tasks dashboard) or `flowId` (a flow id) as a non-empty string.',
    });
  }
  if (request.payload !== undefined && !isPlainObject(request.payload)) {
    issues.push({ path: 'payload', rule: 'type', message: '`payload` must be a plain JSON object.' });
  }
  if (isJob) {
    const { message, payload } = request as RunchatJobTriggerRequest;
    if (message !== undefined && typeof message !== 'string') {
      issues.push({ path: 'message', rule: 'type', message: '`message` must be a string.' });
    }
    if (message !== undefined && payload !== undefined) {
      issues.push({
        path: 'payload',
        rule: 'exclusive',
        message:
          '`message` and `payload` are mutually exclusive: `message` is sent as `{message}`, `payload` as the whole body.',
      });
    }
  } else {
    const { inputs, instanceId, payload } = request as RunchatFlowTriggerRequest;
    if (inputs !== undefined && !isPlainObject(inputs)) {
      issues.push({
        path: 'inputs',
        rule: 'type',
        message: '`inputs` must be an object keyed by parameter id.',
      });
    }
    if (instanceId !== undefined && !isNonEmptyString(instanceId)) {
      issues.push({ path: 'instanceId', rule: 'type', message: '`instanceId` must be a non-empty string.' });
    }
    if (payload !== undefined && inputs !== undefined) {
      issues.push({
        path: 'payload',
        rule: 'exclusive',
        message:
          '`payload` is sent as the body instead of `{inputs}`, so it cannot be combined with `inputs`; put the inputs in the payload or drop it.',
      });
    }
    // The spec's webhook example sends the instance id among the webhook fields, so `instanceId`
    // joins a payload; two different ids would leave it unclear which instance runs.
    const payloadInstance = isPlainObject(payload) ? payload.runchat_instance_id : undefined;
    if (instanceId !== undefined && payloadInstance !== undefined && payloadInstance !== instanceId) {
      issues.push({
        path: 'instanceId',
        rule: 'conflict',
        message:
          '`instanceId` and `payload.runchat_instance_id` name different flow instances; give the instance once.',
      });
    }
  }
  throwIfInvalid(PROVIDER, 'triggerJob', issues);
}

// Outputs are keyed by parameter id, so each parameter needs one.
const parameters: FieldCheck = [
  (value) =>
    value === undefined ||
    (Array.isArray(value) && value.every((item) => isPlainObject(item) && typeof item.id === 'string')),
  'an array of parameters with string ids, or absent',
];
const messageList: FieldCheck = [
  (value) => value === undefined || Array.isArray(value),
  'an array of messages, or absent',
];

/**
 * A job answers as an agent (`messages`) or a flow (`data`). A body with neither is not a run
 * that succeeded, whatever its status code says.
 */
function readJobBody(op: OperationInfo, result: SdkResult): FlowJobResponse | AgentJobResponse {
  const body = responseObject(PROVIDER, op.operation, result);
  const issues = fieldIssues(body, 'response', {
    messages: messageList,
    data: parameters,
    status: optionalString,
    error: optionalString,
    job_id: optionalString,
  });
  if (body.messages === undefined && body.data === undefined) {
    issues.push({
      path: 'response.messages',
      rule: 'required',
      message: 'must be there (an agent job) unless `data` is (a flow job); got neither',
    });
  }
  throwIfResponseIssues(PROVIDER, op.operation, issues);
  return body as FlowJobResponse | AgentJobResponse;
}

// A flow's answer has only optional fields (an empty object is a run with no outputs).
function readFlowBody(result: SdkResult): ExecutionResponse {
  const body = responseObject(PROVIDER, RUN_FLOW.operation, result);
  throwIfResponseIssues(
    PROVIDER,
    RUN_FLOW.operation,
    fieldIssues(body, 'response', { data: parameters, runchat_instance_id: optionalString }),
  );
  return body as ExecutionResponse;
}

/** Flow outputs keyed by parameter id (labels are for people and need not be unique). */
function outputsById(data: BasicParameter[] | undefined): Record<string, unknown> | undefined {
  if (!Array.isArray(data)) return undefined;
  const output: Record<string, unknown> = {};
  for (const parameter of data) output[parameter.id] = parameter.data;
  return output;
}

function finish(
  id: string,
  ref: Omit<RunchatJobRef, 'status'>,
  providerStatus: string | undefined,
  output: Record<string, unknown> | undefined,
  error: string | undefined,
  raw: unknown,
): RunchatJobRun {
  // No status field means the run completed (a flow, or an agent job from an older API version).
  const status: JobStatus = providerStatus === undefined ? 'succeeded' : mapStatus(PROVIDER, providerStatus);
  const fullRef: RunchatJobRef = { ...ref, status };
  const run: RunchatJobRun = { provider: PROVIDER, id, status, ref: fullRef, raw };
  if (providerStatus !== undefined) run.providerStatus = fullRef.providerStatus = providerStatus;
  if (error !== undefined) run.error = fullRef.error = error;
  if (output !== undefined) run.output = output;
  return run;
}

function jobRun(jobId: string, body: FlowJobResponse | AgentJobResponse): RunchatJobRun {
  const id = body.job_id ?? jobId;
  if ('messages' in body && Array.isArray(body.messages)) {
    const agent = body as AgentJobResponse;
    return finish(
      id,
      { provider: PROVIDER, jobId },
      agent.status,
      { messages: agent.messages },
      agent.error,
      body,
    );
  }
  return finish(
    id,
    { provider: PROVIDER, jobId },
    undefined,
    outputsById((body as FlowJobResponse).data),
    undefined,
    body,
  );
}

/** The Runchat adapter. Settings and env are read once, here; the API key at the first call. */
export function createRunchat(settings: RunchatAdapterSettings = {}): RunchatProvider {
  // Every SDK call below is validated first by validateAsFacade (naming the caller's fields), so
  // the client's own request check would only repeat it.
  const client = createRunchatClient({ ...settings, validateRequests: false });
  const base = sendOptionsFrom(settings);
  const validate = settings.validateRequests !== false;

  return {
    provider: PROVIDER,

    async triggerJob(request, options?: CallOptions) {
      checkTrigger(request);
      const names = request.payload === undefined ? FIELD_NAMES : PAYLOAD_FIELD_NAMES;
      const check = (operation: RunchatOperation, parts: RequestParts) => {
        if (!validate) return;
        validateAsFacade(PROVIDER, 'triggerJob', names, () => validateRunchatRequest(operation, parts));
      };
      if (request.jobId !== undefined) {
        const { jobId, message, payload } = request;
        const path = { runchat_job_id: jobId };
        if (message === undefined && payload === undefined) {
          check('triggerJob', { path });
          const result = await callOperation(RUN_JOB, base, options, (fetch) =>
            triggerJob({
              client,
              path,
              fetch,
              throwOnError: true,
            }),
          );
          return jobRun(jobId, readJobBody(RUN_JOB, result));
        }
        const body = payload ?? { message };
        check('triggerAgentJobWithMessage', { path, body });
        const result = await callOperation(RUN_AGENT_JOB, base, options, (fetch) =>
          triggerAgentJobWithMessage({
            client,
            path,
            body,
            fetch,
            throwOnError: true,
          }),
        );
        return jobRun(jobId, readJobBody(RUN_AGENT_JOB, result));
      }
      const { flowId, inputs, instanceId, payload } = request;
      // A copy: the caller's payload is not ours to add the instance id to.
      const body: ExecutionRequest = { ...payload };
      if (inputs !== undefined) body.inputs = inputs;
      if (instanceId !== undefined) body.runchat_instance_id = instanceId;
      const path = { runchat_id: flowId };
      check('runFlow', { path, body });
      const data = readFlowBody(
        await callOperation(RUN_FLOW, base, options, (fetch) =>
          runFlow({
            client,
            path,
            body,
            fetch,
            throwOnError: true,
          }),
        ),
      );
      const ref: Omit<RunchatJobRef, 'status'> = { provider: PROVIDER, flowId };
      if (data.runchat_instance_id) ref.instanceId = data.runchat_instance_id;
      return finish(
        data.runchat_instance_id ?? flowId,
        ref,
        undefined,
        outputsById(data.data),
        undefined,
        data,
      );
    },

    async getJobRun(run) {
      const ref = refOf(run);
      if (!isTerminal(ref?.status)) {
        // Runchat has no status endpoint, so a run recorded as unfinished can never be resolved.
        throw new UnsupportedOperationError(
          `Runchat has no status endpoint; this run reference records status "${ref.status}", which cannot be refreshed.`,
          { provider: PROVIDER, operation: 'getJobRun' },
        );
      }
      if ('ref' in run) return run;
      const restored: RunchatJobRun = {
        provider: PROVIDER,
        id: ref.instanceId ?? ref.jobId ?? ref.flowId ?? '',
        status: ref.status,
        ref,
        raw: undefined,
      };
      if (ref.providerStatus !== undefined) restored.providerStatus = ref.providerStatus;
      if (ref.error !== undefined) restored.error = ref.error;
      return restored;
    },

    async cancelJob() {
      throw new UnsupportedOperationError(
        'Runchat runs cannot be canceled: each call runs to the end before it answers.',
        { provider: PROVIDER, operation: 'cancelJob' },
      );
    },
  };
}
