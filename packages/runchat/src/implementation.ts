// Runchat behind the anyjob provider contract, loaded on the provider's first call. Every Runchat
// call runs the job or flow to the end and answers with the result, so a trigger returns a final
// run; getJobRun answers from the ref without a request; cancel and list are unsupported.
import { type CallOptions, isTerminal, type JobProviderImplementation, refOf } from '@anyjob/core';
import {
  type ApiAnswer,
  confirmTrigger,
  definedFields,
  excludes,
  type FieldChecks,
  type FieldNames,
  fieldCheck,
  forwardedCheck,
  nonEmptyString,
  objectsWithKey,
  parseRequest,
  plainObjectField,
  type RequestParts,
  type RunOperation,
  setUpProvider,
  throwIfResponseIssues,
  toJobRun,
  unsupported,
} from '@anyjob/core/internal';
import * as v from 'valibot';
import { createRunchatClient, resolveRunchatBaseUrl } from './client.js';
import { runchatRunFlow, runchatTriggerAgentJobWithMessage, runchatTriggerJob } from './generated/sdk.gen.js';
import type {
  AgentJobResponse,
  BasicParameter,
  ExecutionResponse,
  FlowJobResponse,
} from './generated/types.gen.js';
import {
  RUNCHAT_CONTRACT,
  type RunchatJobRef,
  type RunchatJobRun,
  type RunchatSettings,
  type RunchatTriggerRequest,
  runchatRefs,
} from './provider.js';
import { runchatOperations } from './validation.js';

const PROVIDER = 'runchat' as const;
const { optionalString } = fieldCheck;

// Wire paths of the operations → the request fields the caller set. The request schema has already
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

const PAYLOAD = v.optional(plainObjectField('`payload` must be a plain JSON object.'));

/** What triggerJob takes to run a job. */
const JOB = v.pipe(
  v.strictObject({
    provider: v.optional(v.unknown()),
    jobId: nonEmptyString(
      '`jobId` must be a non-empty string (a job id from the Tasks dashboard), or give `flowId` to run a flow.',
    ),
    message: v.optional(v.string('`message` must be a string.')),
    payload: PAYLOAD,
    flowId: v.optional(v.never('Give either `jobId` (a job) or `flowId` (a flow), not both.')),
  }),
  excludes(
    'payload',
    ['message'],
    '`message` and `payload` are mutually exclusive: `message` is sent as `{message}`, `payload` as the whole body.',
  ),
);

/** What triggerJob takes to run a flow. */
const FLOW = v.pipe(
  v.strictObject({
    provider: v.optional(v.unknown()),
    flowId: nonEmptyString(
      'Give `jobId` (a job from the Tasks dashboard) or `flowId` (a flow id) as a non-empty string.',
    ),
    inputs: v.optional(plainObjectField('`inputs` must be an object keyed by parameter id.')),
    instanceId: v.optional(nonEmptyString('`instanceId` must be a non-empty string.')),
    payload: PAYLOAD,
  }),
  excludes(
    'payload',
    ['inputs'],
    '`payload` is sent as the body instead of `{inputs}`, so it cannot be combined with `inputs`; put the inputs in the payload or drop it.',
  ),
  // The spec's webhook example sends the instance id among the webhook fields, so `instanceId`
  // joins a payload; two different ids would leave it unclear which instance runs.
  forwardedCheck(
    'instanceId',
    ['instanceId', 'payload'],
    ({ instanceId, payload }) =>
      instanceId === undefined ||
      payload?.runchat_instance_id === undefined ||
      payload.runchat_instance_id === instanceId,
    '`instanceId` and `payload.runchat_instance_id` name different flow instances; give the instance once.',
  ),
);

// Outputs are keyed by parameter id, so each parameter needs one.
const parameters = objectsWithKey('id', 'an array of parameters with string ids, or absent');

type JobBody = FlowJobResponse & AgentJobResponse;

const JOB_FIELDS: FieldChecks<JobBody> = {
  messages: [(value) => value === undefined || Array.isArray(value), 'an array of messages, or absent'],
  data: parameters,
  status: optionalString,
  error: optionalString,
  job_id: optionalString,
};
const TRIGGER_JOB: RunOperation = { operation: 'triggerJob', send: runchatTriggerJob, fields: JOB_FIELDS };
const TRIGGER_AGENT_JOB: RunOperation = {
  operation: 'triggerAgentJobWithMessage',
  send: runchatTriggerAgentJobWithMessage,
  fields: JOB_FIELDS,
};
const RUN_FLOW: RunOperation = {
  operation: 'runFlow',
  send: runchatRunFlow,
  fields: { data: parameters, runchat_instance_id: optionalString } satisfies FieldChecks<ExecutionResponse>,
};

/** A job answers as an agent (`messages`) or a flow (`data`); with neither it is not a run that succeeded. */
const NEITHER_MESSAGES_NOR_DATA = {
  path: 'response.messages',
  rule: 'required',
  message: 'must be there (an agent job) unless `data` is (a flow job); got neither',
};

// Why Runchat cannot do what the contract asks: runs are synchronous and leave nothing to ask about.
const NO_CANCEL = 'Runchat runs cannot be canceled: each call runs to the end before it answers.';
const NO_LIST = 'Runchat has no run list: each call runs to the end and answers with the result.';
const unfinished = (status: string) =>
  `Runchat has no status endpoint; this run reference records status "${status}", which cannot be refreshed.`;

/** Flow outputs keyed by parameter id (labels are for people and need not be unique). */
const outputsById = (data: BasicParameter[] | undefined) =>
  // fromEntries defines each id as data: a parameter id `__proto__` stays an output.
  data && Object.fromEntries(data.map((parameter) => [parameter.id, parameter.data]));

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

  /**
   * The final run of an answer; its status by the contract (an agent's `status` word, else it
   * completed), stored in the ref too, as Runchat cannot be asked again.
   */
  function finish(
    id: string,
    ref: Omit<RunchatJobRef, 'status'>,
    output: Record<string, unknown> | undefined,
    answer: ApiAnswer<unknown>,
    agent: Partial<AgentJobResponse> = {},
  ): RunchatJobRun {
    const parts = { id, ref: ref as RunchatJobRef, raw: answer.data, output, error: agent.error };
    const run = toJobRun(RUNCHAT_CONTRACT.status, agent, parts, answer);
    const { status, providerStatus, error } = run;
    // toJobRun leaves out an empty error; an empty status word is left out of the ref too.
    const outcome = definedFields({ providerStatus, error }, Boolean);
    run.ref = { ...ref, origin: connection().origin, status, ...outcome };
    return run;
  }

  async function send(request: RunchatTriggerRequest, options: CallOptions | undefined) {
    const fieldNames = request.payload === undefined ? FIELD_NAMES : PAYLOAD_FIELD_NAMES;
    const call = <Data>(op: RunOperation, parts: RequestParts) =>
      api.call<Data>(
        { ...op, as: 'triggerJob', parts, fieldNames, send: (sdk) => op.send({ ...sdk, ...parts } as never) },
        options,
      );
    if (request.jobId !== undefined) {
      const { jobId, message, payload } = request;
      const path = { runchat_job_id: jobId };
      const byGet = message === undefined && payload === undefined;
      const op = byGet ? TRIGGER_JOB : TRIGGER_AGENT_JOB;
      const answer = await call<JobBody>(op, byGet ? { path } : { path, body: payload ?? { message } });
      const { messages, data, job_id } = answer.data;
      if (messages === undefined && data === undefined) {
        throwIfResponseIssues(PROVIDER, op.operation, [NEITHER_MESSAGES_NOR_DATA]);
      }
      const ref = { provider: PROVIDER, jobId } as const;
      return messages === undefined
        ? finish(job_id ?? jobId, ref, outputsById(data), answer)
        : finish(job_id ?? jobId, ref, { messages }, answer, answer.data);
    }
    const { flowId, inputs, instanceId, payload } = request;
    // A copy: the caller's payload is not ours to add the instance id to.
    const body = { ...payload, ...definedFields({ inputs, runchat_instance_id: instanceId }) };
    const answer = await call<ExecutionResponse>(RUN_FLOW, { path: { runchat_id: flowId }, body });
    const instance = answer.data.runchat_instance_id;
    const ref = { provider: PROVIDER, flowId, ...(instance ? { instanceId: instance } : {}) } as const;
    return finish(instance ?? flowId, ref, outputsById(answer.data.data), answer);
  }

  return {
    async triggerJob(request, options) {
      const isJob = request.jobId !== undefined;
      parseRequest(PROVIDER, 'triggerJob', isJob ? JOB : FLOW, request, { json: ['payload', 'inputs'] });
      const { jobId, flowId, instanceId } = request as RunchatTriggerRequest & { instanceId?: string };
      const what = isJob ? `job ${jobId}` : `flow ${flowId}`;
      const identity = isJob ? { jobId } : definedFields({ flowId, instanceId });
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
      // Runchat has no status endpoint, so a run recorded as unfinished can never be resolved.
      if (!isTerminal(ref.status)) return unsupported(PROVIDER, 'getJobRun', unfinished(ref.status));
      if ('ref' in run && typeof run.ref === 'object') return run as RunchatJobRun;
      const { status, providerStatus, error } = ref;
      const stored = { provider: PROVIDER, id: runchatRefs.runId(ref), status, ref, raw: undefined };
      return { ...stored, ...definedFields({ providerStatus, error }) };
    },

    cancelJob: () => unsupported(PROVIDER, 'cancelJob', NO_CANCEL),
    listRunPage: () => unsupported(PROVIDER, 'listJobRuns', NO_LIST),
  };
}
