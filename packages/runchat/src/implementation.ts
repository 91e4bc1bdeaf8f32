// Runchat behind the anyjob provider contract, loaded on the provider's first call. Every Runchat
// call runs the job or flow to the end and answers with the result, so a trigger returns a final
// run; getJobRun answers from the ref without a request; cancel and list are unsupported.
import {
  isTerminal,
  type JobProviderImplementation,
  type JobStatus,
  mapStatus,
  refOf,
  UnsupportedOperationError,
  type ValidationIssue,
} from '@anyjob/core';
import {
  type ApiAnswer,
  confirmTrigger,
  type FieldCheck,
  type FieldChecks,
  type FieldNames,
  fieldCheck,
  isNonEmptyString,
  isPlainObject,
  jsonValueIssues,
  setUpProvider,
  throwIfInvalid,
  throwIfResponseIssues,
  unknownFieldIssues,
  withAnswer,
} from '@anyjob/core/internal';
import { createRunchatClient, resolveRunchatBaseUrl } from './client.js';
import { runchatRunFlow, runchatTriggerAgentJobWithMessage, runchatTriggerJob } from './generated/sdk.gen.js';
import type {
  AgentJobResponse,
  BasicParameter,
  ExecutionRequest,
  ExecutionResponse,
  FlowJobResponse,
} from './generated/types.gen.js';
import {
  RUNCHAT_STATUSES,
  type RunchatFlowTriggerRequest,
  type RunchatJobRef,
  type RunchatJobRun,
  type RunchatJobTriggerRequest,
  type RunchatSettings,
  type RunchatTriggerRequest,
  runchatRefs,
} from './provider.js';
import { runchatOperations } from './validation.js';

const PROVIDER = 'runchat';
const { optionalString } = fieldCheck;

// Wire paths of the operations → the request fields the caller set. shapeTrigger has already
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
  if (!isNonEmptyString(isJob ? request.jobId : request.flowId)) {
    issues.push({
      path: isJob ? 'jobId' : 'flowId',
      rule: 'required',
      message: isJob
        ? '`jobId` must be a non-empty string (a job id from the Tasks dashboard), or give `flowId` to run a flow.'
        : 'Give `jobId` (a job from the Tasks dashboard) or `flowId` (a flow id) as a non-empty string.',
    });
  }
  if (request.payload !== undefined) {
    if (isPlainObject(request.payload)) issues.push(...jsonValueIssues(request.payload, 'payload'));
    else issues.push({ path: 'payload', rule: 'type', message: '`payload` must be a plain JSON object.' });
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
    if (inputs !== undefined) {
      if (isPlainObject(inputs)) issues.push(...jsonValueIssues(inputs, 'inputs'));
      else
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

type JobBody = FlowJobResponse | AgentJobResponse;

const JOB_FIELDS: FieldChecks<FlowJobResponse & AgentJobResponse> = {
  messages: messageList,
  data: parameters,
  status: optionalString,
  error: optionalString,
  job_id: optionalString,
};

/** A job answers as an agent (`messages`) or a flow (`data`); with neither it is not a run that succeeded. */
function requireJobShape(operation: string, body: JobBody): void {
  const record = body as Record<string, unknown>;
  if (record.messages === undefined && record.data === undefined) {
    throwIfResponseIssues(PROVIDER, operation, [
      {
        path: 'response.messages',
        rule: 'required',
        message: 'must be there (an agent job) unless `data` is (a flow job); got neither',
      },
    ]);
  }
}

/** Flow outputs keyed by parameter id (labels are for people and need not be unique). */
function outputsById(data: BasicParameter[] | undefined): Record<string, unknown> | undefined {
  if (!Array.isArray(data)) return undefined;
  // fromEntries defines each id as data: a parameter id `__proto__` stays an output.
  return Object.fromEntries(data.map((parameter) => [parameter.id, parameter.data]));
}

export function createJobProvider(
  settings: RunchatSettings,
): JobProviderImplementation<RunchatTriggerRequest, RunchatJobRef, never> {
  const { api, connection, logger } = setUpProvider({
    provider: PROVIDER,
    settings,
    createClient: createRunchatClient,
    resolveBaseUrl: resolveRunchatBaseUrl,
    operations: runchatOperations,
    fieldNames: FIELD_NAMES,
  });
  const originNow = () => connection().origin;

  function finish(
    id: string,
    ref: Omit<RunchatJobRef, 'status'>,
    providerStatus: string | undefined,
    output: Record<string, unknown> | undefined,
    error: string | undefined,
    answer: ApiAnswer<unknown>,
  ): RunchatJobRun {
    // No status field means the run completed (a flow, or an agent job from an older API version).
    const status: JobStatus =
      providerStatus === undefined ? 'succeeded' : mapStatus(RUNCHAT_STATUSES, providerStatus);
    const fullRef: RunchatJobRef = { ...ref, origin: originNow(), status };
    const run: RunchatJobRun = { provider: PROVIDER, id, status, ref: fullRef, raw: answer.data };
    if (providerStatus !== undefined) run.providerStatus = fullRef.providerStatus = providerStatus;
    if (error !== undefined) run.error = fullRef.error = error;
    if (output !== undefined) run.output = output;
    return withAnswer(run, answer);
  }

  function jobRun(jobId: string, answer: ApiAnswer<JobBody>): RunchatJobRun {
    const body = answer.data;
    const id = body.job_id ?? jobId;
    if ('messages' in body && Array.isArray(body.messages)) {
      const agent = body as AgentJobResponse;
      return finish(
        id,
        { provider: PROVIDER, jobId },
        agent.status,
        { messages: agent.messages },
        agent.error,
        answer,
      );
    }
    return finish(
      id,
      { provider: PROVIDER, jobId },
      undefined,
      outputsById((body as FlowJobResponse).data),
      undefined,
      answer,
    );
  }

  async function send(
    request: RunchatTriggerRequest,
    options: Parameters<typeof api.call>[1],
  ): Promise<RunchatJobRun> {
    const fieldNames = request.payload === undefined ? FIELD_NAMES : PAYLOAD_FIELD_NAMES;
    if (request.jobId !== undefined) {
      const { jobId, message, payload } = request;
      const path = { runchat_job_id: jobId };
      if (message === undefined && payload === undefined) {
        const parts = { path };
        const answer = await api.call<JobBody>(
          {
            operation: 'triggerJob',
            parts,
            fieldNames,
            send: (sdk) => runchatTriggerJob({ ...sdk, ...parts }),
            fields: JOB_FIELDS,
          },
          options,
        );
        requireJobShape('triggerJob', answer.data);
        return jobRun(jobId, answer);
      }
      const parts = { path, body: payload ?? { message } };
      const answer = await api.call<JobBody>(
        {
          operation: 'triggerAgentJobWithMessage',
          as: 'triggerJob',
          parts,
          fieldNames,
          send: (sdk) => runchatTriggerAgentJobWithMessage({ ...sdk, ...parts }),
          fields: JOB_FIELDS,
        },
        options,
      );
      requireJobShape('triggerAgentJobWithMessage', answer.data);
      return jobRun(jobId, answer);
    }
    const { flowId, inputs, instanceId, payload } = request;
    // A copy: the caller's payload is not ours to add the instance id to.
    const body: ExecutionRequest = { ...payload };
    if (inputs !== undefined) body.inputs = inputs;
    if (instanceId !== undefined) body.runchat_instance_id = instanceId;
    const parts = { path: { runchat_id: flowId }, body };
    const answer = await api.call<ExecutionResponse>(
      {
        operation: 'runFlow',
        as: 'triggerJob',
        parts,
        fieldNames,
        send: (sdk) => runchatRunFlow({ ...sdk, ...parts }),
        fields: { data: parameters, runchat_instance_id: optionalString },
      },
      options,
    );
    const { data } = answer;
    const ref: Omit<RunchatJobRef, 'status'> = { provider: PROVIDER, flowId };
    if (data.runchat_instance_id) ref.instanceId = data.runchat_instance_id;
    return finish(
      data.runchat_instance_id ?? flowId,
      ref,
      undefined,
      outputsById(data.data),
      undefined,
      answer,
    );
  }

  return {
    async triggerJob(request, options) {
      checkTrigger(request);
      const what = request.jobId !== undefined ? `job ${request.jobId}` : `flow ${request.flowId}`;
      const identity: Record<string, unknown> =
        request.jobId !== undefined ? { jobId: request.jobId } : { flowId: request.flowId };
      if (request.flowId !== undefined && request.instanceId !== undefined)
        identity.instanceId = request.instanceId;
      return confirmTrigger<RunchatJobRef>({
        provider: PROVIDER,
        operation: 'triggerJob',
        request: identity,
        hint: `The ${what} may have run on Runchat during that time; check its results in Runchat before running it again (Runchat has no run list or status endpoint anyjob could ask).`,
        unsearchable: 'nothing: Runchat answers synchronously and has no run list',
        signal: options?.signal,
        logger,
        send: () => send(request, options),
      });
    },

    async getJobRun(run) {
      const ref = runchatRefs.check(refOf(run), 'getJobRun');
      if (!isTerminal(ref.status)) {
        // Runchat has no status endpoint, so a run recorded as unfinished can never be resolved.
        throw new UnsupportedOperationError(
          `Runchat has no status endpoint; this run reference records status "${ref.status}", which cannot be refreshed.`,
          { provider: PROVIDER, operation: 'getJobRun' },
        );
      }
      if ('ref' in run && typeof run.ref === 'object') return run as RunchatJobRun;
      const restored: RunchatJobRun = {
        provider: PROVIDER,
        id: runchatRefs.runId(ref),
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
        {
          provider: PROVIDER,
          operation: 'cancelJob',
        },
      );
    },

    async listRunPage() {
      throw new UnsupportedOperationError(
        'Runchat has no run list: each call runs to the end and answers with the result.',
        {
          provider: PROVIDER,
          operation: 'listJobRuns',
        },
      );
    },
  };
}
