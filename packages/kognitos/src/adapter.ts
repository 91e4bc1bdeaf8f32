// Kognitos behind the anyjob provider interface: trigger → POST /runs, get → GET /runs/{run_id}.
// The REST API v2 has no cancel endpoint.
import {
  type CallOptions,
  callOperation,
  type FieldCheck,
  type FieldNames,
  fieldCheck,
  fieldIssues,
  isNonEmptyString,
  isPlainObject,
  type JobProvider,
  type JobRun,
  mapStatus,
  type OperationInfo,
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
import { createKognitosClient, type KognitosSettings, validateKognitosRequest } from './client.js';
import { getRun, startRun } from './generated/sdk.gen.js';
import type { NameValue, Run, Stage, StartRunRequest } from './generated/types.gen.js';

const { nonEmptyString, string } = fieldCheck;

export interface KognitosTriggerRequest {
  provider: 'kognitos';
  /** The agent that owns the process. */
  agentId: string;
  /** The process (automation) to run: 1–26 characters of letters, digits, `-` and `_`. */
  processId: string;
  /** Which version of the process to run. Default `Published`. */
  stage?: Stage;
  /** A name for the run, 1–100 characters. Default `anyjob <ISO time>`. */
  name?: string;
  /** Process inputs: `{ invoice: 42 }`, or the API's own `[{ name: 'invoice', value: 42 }]`. */
  inputs?: Record<string, unknown> | NameValue[];
  /** Ids of files registered with `createFile` and uploaded. */
  fileIds?: string[];
}

export interface KognitosJobRef {
  provider: 'kognitos';
  runId: string;
  agentId?: string;
  processId?: string;
}

export type KognitosJobRun = JobRun<KognitosJobRef>;

export interface KognitosAdapterSettings extends KognitosSettings, RetrySettings {}

export type KognitosProvider = JobProvider<KognitosTriggerRequest, KognitosJobRef>;

const PROVIDER = 'kognitos';
const START: OperationInfo = { provider: PROVIDER, operation: 'startRun', sideEffect: 'trigger' };
const GET: OperationInfo = { provider: PROVIDER, operation: 'getRun', sideEffect: 'read' };
const FIELDS = ['provider', 'agentId', 'processId', 'stage', 'name', 'inputs', 'fileIds'];
const PROCESS_ID = /^[a-zA-Z0-9-_]{1,26}$/;
// Wire paths of startRun and getRun → the request and ref fields the caller set.
const FIELD_NAMES: FieldNames = [
  ['body.agent_id', 'agentId'],
  ['body.process_id', 'processId'],
  ['body.name', 'name'],
  ['body.stage', 'stage'],
  ['body.inputs', 'inputs'],
  ['body.file_ids', 'fileIds'],
  ['path.run_id', 'ref.runId'],
];

// JSON.stringify drops an undefined value, so the input would reach Kognitos without the `value`
// its spec requires; null is a JSON value the spec allows.
function undefinedInputIssue(path: string): ValidationIssue {
  return {
    path,
    rule: 'required',
    message: `\`${path}\` is undefined, which JSON cannot send; pass null for "no value", or leave the input out.`,
  };
}

function checkTrigger(request: KognitosTriggerRequest): StartRunRequest {
  const issues: ValidationIssue[] = unknownFieldIssues(request as never, FIELDS);
  const {
    agentId,
    processId,
    stage = 'Published',
    name = `anyjob ${new Date().toISOString()}`,
    inputs,
    fileIds,
  } = request;
  if (!isNonEmptyString(agentId)) {
    issues.push({
      path: 'agentId',
      rule: 'required',
      message: '`agentId` must be the non-empty id of the agent.',
    });
  }
  if (typeof processId !== 'string' || !PROCESS_ID.test(processId)) {
    issues.push({
      path: 'processId',
      rule: 'pattern',
      message:
        '`processId` must be 1–26 characters of letters, digits, `-` and `_` (the process id, not its name).',
    });
  }
  if (stage !== 'Draft' && stage !== 'Published') {
    issues.push({
      path: 'stage',
      rule: 'enum',
      message: '`stage` must be `Published` (default) or `Draft`.',
    });
  }
  if (typeof name !== 'string' || name.length < 1 || name.length > 100) {
    issues.push({ path: 'name', rule: 'maxLength', message: '`name` must be a string of 1–100 characters.' });
  }
  let inputList: NameValue[] | undefined;
  if (Array.isArray(inputs)) {
    inputs.forEach((entry, index) => {
      if (!isPlainObject(entry) || !isNonEmptyString(entry.name) || !('value' in entry)) {
        issues.push({
          path: `inputs[${index}]`,
          rule: 'type',
          message: `\`inputs[${index}]\` must be \`{ name, value }\` with a non-empty name, or pass \`inputs\` as an object.`,
        });
      } else if (entry.value === undefined) {
        issues.push(undefinedInputIssue(`inputs[${index}].value`));
      }
    });
    inputList = inputs;
  } else if (inputs !== undefined) {
    if (isPlainObject(inputs)) {
      for (const [key, value] of Object.entries(inputs)) {
        if (value === undefined) issues.push(undefinedInputIssue(`inputs.${key}`));
      }
      inputList = Object.entries(inputs).map(([key, value]) => ({ name: key, value }));
    } else {
      issues.push({
        path: 'inputs',
        rule: 'type',
        message: '`inputs` must be an object (`{ invoice: 42 }`) or an array of `{ name, value }`.',
      });
    }
  }
  if (fileIds !== undefined && !(Array.isArray(fileIds) && fileIds.every(isNonEmptyString))) {
    issues.push({
      path: 'fileIds',
      rule: 'type',
      message: '`fileIds` must be an array of file ids (strings).',
    });
  }
  throwIfInvalid(PROVIDER, 'triggerJob', issues);

  const body: StartRunRequest = { agent_id: agentId, process_id: processId, name, stage };
  if (inputList !== undefined) body.inputs = inputList;
  if (fileIds !== undefined) body.file_ids = fileIds;
  return body;
}

const outputList: FieldCheck = [
  (value) =>
    value === undefined ||
    value === null ||
    (Array.isArray(value) && value.every((item) => isPlainObject(item) && typeof item.name === 'string')),
  'an array of { name, value } or absent',
];

// What toJobRun reads: the run id for the ref, the status, and the outputs by name.
const RUN_FIELDS: Record<string, FieldCheck> = { id: nonEmptyString, status: string, outputs: outputList };

function readRun(op: OperationInfo, result: SdkResult): Run {
  const body = responseObject(PROVIDER, op.operation, result);
  throwIfResponseIssues(PROVIDER, op.operation, fieldIssues(body, 'response', RUN_FIELDS));
  return body as Run;
}

function toJobRun(run: Run, ref: KognitosJobRef): KognitosJobRun {
  const jobRun: KognitosJobRun = {
    provider: PROVIDER,
    id: run.id,
    status: mapStatus(PROVIDER, run.status),
    providerStatus: run.status,
    ref,
    raw: run,
  };
  if (Array.isArray(run.outputs)) {
    const output: Record<string, unknown> = {};
    for (const { name, value } of run.outputs) output[name] = value;
    jobRun.output = output;
  }
  return jobRun;
}

/** The Kognitos adapter. Settings and env are read once, here; the API key at the first call. */
export function createKognitos(settings: KognitosAdapterSettings = {}): KognitosProvider {
  // Every SDK call below is validated first by validateAsFacade (naming the caller's fields), so
  // the client's own request check would only repeat it.
  const client = createKognitosClient({ ...settings, validateRequests: false });
  const base = sendOptionsFrom(settings);
  const validate = settings.validateRequests !== false;

  return {
    provider: PROVIDER,

    async triggerJob(request, options?: CallOptions) {
      const body = checkTrigger(request);
      if (validate) {
        validateAsFacade(PROVIDER, 'triggerJob', FIELD_NAMES, () =>
          validateKognitosRequest('startRun', { body }),
        );
      }
      const data = readRun(
        START,
        await callOperation(START, base, options, (fetch) =>
          startRun({
            client,
            body,
            fetch,
            throwOnError: true,
          }),
        ),
      );
      return toJobRun(data, {
        provider: PROVIDER,
        runId: data.id,
        agentId: body.agent_id,
        processId: body.process_id,
      });
    },

    async getJobRun(run, options?: CallOptions) {
      const ref = refOf(run);
      if (!isNonEmptyString(ref?.runId)) {
        throwIfInvalid(PROVIDER, 'getJobRun', [
          {
            path: 'ref.runId',
            rule: 'required',
            message: 'The run reference has no `runId`; pass the `ref` (or JobRun) that triggerJob returned.',
          },
        ]);
      }
      const path = { run_id: ref.runId };
      if (validate) {
        validateAsFacade(PROVIDER, 'getJobRun', FIELD_NAMES, () =>
          validateKognitosRequest('getRun', { path }),
        );
      }
      const data = readRun(
        GET,
        await callOperation(GET, base, options, (fetch) =>
          getRun({
            client,
            path,
            fetch,
            throwOnError: true,
          }),
        ),
      );
      return toJobRun(data, ref);
    },

    async cancelJob() {
      throw new UnsupportedOperationError(
        'Kognitos runs cannot be canceled: the REST API v2 has no cancel endpoint.',
        {
          provider: PROVIDER,
          operation: 'cancelJob',
        },
      );
    },
  };
}
