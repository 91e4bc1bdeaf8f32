// TrueFoundry behind the anyjob provider interface: trigger → POST /jobs/trigger, get → GET
// /jobs/{applicationId}/runs/{jobRunName}, cancel → POST /jobs/terminate?deploymentId&jobRunName.
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
  unknownFieldIssues,
  type ValidationIssue,
  validateAsFacade,
} from '@anyjob/core';
import { createTrueFoundryClient, type TrueFoundrySettings, validateTrueFoundryRequest } from './client.js';
import { getJobRun, terminateJobRun, triggerJob } from './generated/sdk.gen.js';
import type {
  SparkJobTriggerInput,
  TriggerJobRequest,
  JobRun as TrueFoundryRun,
} from './generated/types.gen.js';

const { nonEmptyString, object, optionalString, string } = fieldCheck;

export interface TrueFoundryTriggerRequest {
  provider: 'truefoundry';
  /** The job's application id. Give exactly one of `applicationId` and `deploymentId`. */
  applicationId?: string;
  /** A specific deployment (version) of the job. */
  deploymentId?: string;
  /** Replaces the job's command: one string, or a list of arguments. Excludes `params` and `spark`. */
  command?: string | string[];
  /** Values for the job's templated command (string values only). Excludes `command` and `spark`. */
  params?: Record<string, string>;
  /** Input of a Spark job. Excludes `command` and `params`. */
  spark?: SparkJobTriggerInput;
  /** A readable alias for the run (`metadata.job_run_name_alias`). */
  alias?: string;
}

/** Everything needed to read (applicationId) or terminate (deploymentId) the run later. */
export interface TrueFoundryJobRef {
  provider: 'truefoundry';
  applicationId?: string;
  deploymentId?: string;
  jobRunName: string;
}

export type TrueFoundryJobRun = JobRun<TrueFoundryJobRef>;

export interface TrueFoundryAdapterSettings extends TrueFoundrySettings, RetrySettings {}

export type TrueFoundryProvider = JobProvider<TrueFoundryTriggerRequest, TrueFoundryJobRef>;

const PROVIDER = 'truefoundry';
const TRIGGER: OperationInfo = { provider: PROVIDER, operation: 'triggerJob', sideEffect: 'trigger' };
const GET: OperationInfo = { provider: PROVIDER, operation: 'getJobRun', sideEffect: 'read' };
// Terminating a run twice has no further effect, so it is retried like a read.
const TERMINATE: OperationInfo = {
  provider: PROVIDER,
  operation: 'terminateJobRun',
  sideEffect: 'idempotent',
};

const REQUEST_FIELDS = ['provider', 'applicationId', 'deploymentId', 'command', 'params', 'spark', 'alias'];

// Wire paths of the three operations → the request and ref fields the caller set.
const FIELD_NAMES: FieldNames = [
  ['body.applicationId', 'applicationId'],
  ['body.deploymentId', 'deploymentId'],
  ['body.input.command', 'command'],
  ['body.input.params', 'params'],
  // checkTrigger has checked command and params in full, so the rest of `input` is the Spark input.
  ['body.input', 'spark'],
  ['body.metadata', 'alias'],
  ['path.jobId', 'ref.applicationId'],
  ['path.jobRunName', 'ref.jobRunName'],
  ['query.deploymentId', 'ref.deploymentId'],
  ['query.jobRunName', 'ref.jobRunName'],
];

function checkTrigger(request: TrueFoundryTriggerRequest): TriggerJobRequest {
  const issues: ValidationIssue[] = unknownFieldIssues(request as never, REQUEST_FIELDS);
  const { applicationId, deploymentId, command, params, spark, alias } = request;
  const idCount = Number(applicationId !== undefined) + Number(deploymentId !== undefined);
  if (idCount !== 1) {
    issues.push({
      path: idCount === 0 ? 'applicationId' : 'deploymentId',
      rule: 'oneOf',
      message: 'Give exactly one of `applicationId` (the job) and `deploymentId` (a specific deployment).',
    });
  }
  for (const [field, value] of [
    ['applicationId', applicationId],
    ['deploymentId', deploymentId],
    ['alias', alias],
  ] as const) {
    if (value !== undefined && !isNonEmptyString(value)) {
      issues.push({ path: field, rule: 'type', message: `\`${field}\` must be a non-empty string.` });
    }
  }
  const inputCount = [command, params, spark].filter((value) => value !== undefined).length;
  if (inputCount > 1) {
    issues.push({
      path: 'command',
      rule: 'exclusive',
      message:
        '`command`, `params` and `spark` are mutually exclusive: `command` replaces the job command, `params` fill its template; pass one.',
    });
  }
  if (
    command !== undefined &&
    !isNonEmptyString(command) &&
    !(Array.isArray(command) && command.length > 0 && command.every((arg) => typeof arg === 'string'))
  ) {
    issues.push({
      path: 'command',
      rule: 'type',
      message: '`command` must be a non-empty string or a non-empty array of strings.',
    });
  }
  if (params !== undefined) {
    if (!isPlainObject(params)) {
      issues.push({ path: 'params', rule: 'type', message: '`params` must be an object of string values.' });
    } else {
      for (const [name, value] of Object.entries(params)) {
        if (typeof value !== 'string') {
          issues.push({
            path: `params.${name}`,
            rule: 'type',
            message: `\`params.${name}\` must be a string (TrueFoundry templates take strings; use String(value)).`,
          });
        }
      }
    }
  }
  if (spark !== undefined && !isPlainObject(spark)) {
    issues.push({
      path: 'spark',
      rule: 'type',
      message: '`spark` must be an object (mainClass, mainApplicationFile, arguments).',
    });
  }
  throwIfInvalid(PROVIDER, 'triggerJob', issues);

  const body: TriggerJobRequest = applicationId !== undefined ? { applicationId } : { deploymentId };
  if (command !== undefined) body.input = { command };
  else if (params !== undefined) body.input = { params };
  else if (spark !== undefined) body.input = spark;
  if (alias !== undefined) body.metadata = { job_run_name_alias: alias };
  return body;
}

function requireRefField(
  ref: TrueFoundryJobRef,
  field: 'applicationId' | 'deploymentId' | 'jobRunName',
  op: string,
) {
  const value = ref?.[field];
  if (isNonEmptyString(value)) return value;
  throwIfInvalid(PROVIDER, op, [
    {
      path: `ref.${field}`,
      rule: 'required',
      message: `The run reference has no \`${field}\`; pass the \`ref\` (or JobRun) that triggerJob returned.`,
    },
  ]);
  return '';
}

// The JobRun fields toJobRun and the refs read.
const RUN_FIELDS: Record<string, FieldCheck> = {
  name: nonEmptyString,
  status: string,
  error: optionalString,
  applicationId: optionalString,
  deploymentId: optionalString,
};

/** The body of trigger and get: `data` is the run, beside `jobRunName` for a trigger. */
function readRunBody(
  op: OperationInfo,
  result: SdkResult,
  fields: Record<string, FieldCheck>,
): { data: TrueFoundryRun; jobRunName?: string } {
  const body = responseObject(PROVIDER, op.operation, result);
  const issues = fieldIssues(body, 'response', { ...fields, data: object });
  if (isPlainObject(body.data)) issues.push(...fieldIssues(body.data, 'response.data', RUN_FIELDS));
  throwIfResponseIssues(PROVIDER, op.operation, issues);
  return body as { data: TrueFoundryRun; jobRunName?: string };
}

function toJobRun(run: TrueFoundryRun, ref: TrueFoundryJobRef, raw: unknown): TrueFoundryJobRun {
  const jobRun: TrueFoundryJobRun = {
    provider: PROVIDER,
    id: run.name,
    status: mapStatus(PROVIDER, run.status),
    providerStatus: run.status,
    ref,
    raw,
  };
  if (run.error) jobRun.error = run.error;
  return jobRun;
}

/** The TrueFoundry adapter. Settings and env are read once, here; the API key at the first call. */
export function createTrueFoundry(settings: TrueFoundryAdapterSettings = {}): TrueFoundryProvider {
  // Every SDK call below is validated first by validateAsFacade (naming the caller's fields), so
  // the client's own request check would only repeat it.
  const client = createTrueFoundryClient({ ...settings, validateRequests: false });
  const base = sendOptionsFrom(settings);
  const validate = settings.validateRequests !== false;

  return {
    provider: PROVIDER,

    async triggerJob(request, options) {
      const body = checkTrigger(request);
      if (validate) {
        validateAsFacade(PROVIDER, 'triggerJob', FIELD_NAMES, () =>
          validateTrueFoundryRequest('triggerJob', { body }),
        );
      }
      const result = await callOperation(TRIGGER, base, options, (fetch) =>
        triggerJob({
          client,
          body,
          fetch,
          throwOnError: true,
        }),
      );
      const data = readRunBody(TRIGGER, result, { jobRunName: nonEmptyString });
      const ref: TrueFoundryJobRef = { provider: PROVIDER, jobRunName: data.jobRunName as string };
      const applicationId = data.data.applicationId ?? request.applicationId;
      const deploymentId = data.data.deploymentId ?? request.deploymentId;
      if (applicationId) ref.applicationId = applicationId;
      if (deploymentId) ref.deploymentId = deploymentId;
      return toJobRun(data.data, ref, data);
    },

    async getJobRun(run, options?: CallOptions) {
      const ref = refOf(run);
      const jobId = requireRefField(ref, 'applicationId', 'getJobRun');
      const jobRunName = requireRefField(ref, 'jobRunName', 'getJobRun');
      const path = { jobId, jobRunName };
      if (validate) {
        validateAsFacade(PROVIDER, 'getJobRun', FIELD_NAMES, () =>
          validateTrueFoundryRequest('getJobRun', { path }),
        );
      }
      const result = await callOperation(GET, base, options, (fetch) =>
        getJobRun({
          client,
          path,
          fetch,
          throwOnError: true,
        }),
      );
      const data = readRunBody(GET, result, {});
      const next: TrueFoundryJobRef =
        ref.deploymentId || !data.data.deploymentId ? ref : { ...ref, deploymentId: data.data.deploymentId };
      return toJobRun(data.data, next, data);
    },

    async cancelJob(run, options?: CallOptions) {
      const ref = refOf(run);
      const deploymentId = requireRefField(ref, 'deploymentId', 'cancelJob');
      const jobRunName = requireRefField(ref, 'jobRunName', 'cancelJob');
      const query = { deploymentId, jobRunName };
      if (validate) {
        validateAsFacade(PROVIDER, 'cancelJob', FIELD_NAMES, () =>
          validateTrueFoundryRequest('terminateJobRun', { query }),
        );
      }
      const result = await callOperation(TERMINATE, base, options, (fetch) =>
        terminateJobRun({
          client,
          query,
          fetch,
          throwOnError: true,
        }),
      );
      const data = responseObject(PROVIDER, TERMINATE.operation, result);
      throwIfResponseIssues(
        PROVIDER,
        TERMINATE.operation,
        fieldIssues(data, 'response', { jobRunStatus: string }),
      );
      return {
        provider: PROVIDER,
        id: jobRunName,
        status: mapStatus(PROVIDER, data.jobRunStatus as string),
        providerStatus: data.jobRunStatus as string,
        ref,
        raw: data,
      };
    },
  };
}
