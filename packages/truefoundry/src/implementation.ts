// TrueFoundry behind the anyjob provider contract, loaded on the provider's first call:
// trigger → POST /jobs/trigger, get → GET /jobs/{applicationId}/runs/{jobRunName}, cancel → POST
// /jobs/terminate?deploymentId&jobRunName, list → GET /jobs/{applicationId}/runs (newest first).
import {
  type CallOptions,
  type JobProviderImplementation,
  type ListOptions,
  mapStatus,
  type PageParams,
  type RunPage,
  refOf,
  type ValidationIssue,
} from '@anyjob/core';
import {
  type ApiAnswer,
  type ConfirmedTrigger,
  checkRefOrigin,
  confirmTrigger,
  type FieldChecks,
  type FieldNames,
  fieldCheck,
  isNonEmptyString,
  isPlainObject,
  jsonValueIssues,
  operationPages,
  type RunMatches,
  readOperationPage,
  setUpProvider,
  type TriggerWindow,
  throwIfInvalid,
  throwIfResponseIssues,
  unknownFieldIssues,
  withAnswer,
} from '@anyjob/core/internal';
import {
  createTrueFoundryClient,
  resolveTrueFoundryBaseUrl,
  TRUEFOUNDRY_BASE_URL_SETTING,
} from './client.js';
import {
  truefoundryGetJobRun,
  truefoundryListJobRuns,
  truefoundryTerminateJobRun,
  truefoundryTriggerJob,
} from './generated/sdk.gen.js';
import type {
  GetJobRunResponse,
  ListJobRunsResponse,
  TerminateJobRunResponse,
  TriggerJobRequest,
  TriggerJobRunResponse,
  JobRun as TrueFoundryRunData,
} from './generated/types.gen.js';
import { TRUEFOUNDRY_RUN_PAGES } from './pagination.js';
import {
  TRUEFOUNDRY_STATUSES,
  type TrueFoundryJobRef,
  type TrueFoundryJobRun,
  type TrueFoundryListQuery,
  type TrueFoundrySettings,
  type TrueFoundryTriggerRequest,
  truefoundryRefs,
} from './provider.js';
import { truefoundryOperations } from './validation.js';

const PROVIDER = 'truefoundry';
const { nonEmptyString, optionalString, string } = fieldCheck;
const REQUEST_FIELDS = ['provider', 'applicationId', 'deploymentId', 'command', 'params', 'spark', 'alias'];
const LIST_CONTEXT = { provider: PROVIDER, operation: 'listJobRuns' };
/** How far TrueFoundry's clock may be from ours when matching a run's creation time. */
const CLOCK_SKEW_MS = 60_000;

// Wire paths of the operations → the request and ref fields the caller set.
const FIELD_NAMES: FieldNames = [
  ['body.applicationId', 'applicationId'],
  ['body.deploymentId', 'deploymentId'],
  ['body.input.command', 'command'],
  ['body.input.params', 'params'],
  // shapeTrigger has checked command and params, so the rest of `input` is the Spark input.
  ['body.input', 'spark'],
  ['body.metadata', 'alias'],
  ['path.jobId', 'ref.applicationId'],
  ['path.jobRunName', 'ref.jobRunName'],
  ['query.deploymentId', 'ref.deploymentId'],
  ['query.jobRunName', 'ref.jobRunName'],
];

// The run fields toJobRun and the refs read.
const RUN_FIELDS: FieldChecks<TrueFoundryRunData> = {
  name: nonEmptyString,
  status: string,
  error: optionalString,
  applicationId: optionalString,
  deploymentId: optionalString,
};

function shapeTrigger(request: TrueFoundryTriggerRequest): TriggerJobRequest {
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
  if (spark !== undefined && (command !== undefined || params !== undefined)) {
    issues.push({
      path: 'spark',
      rule: 'exclusive',
      message: '`spark` is the whole input of a Spark job; it cannot be combined with `command` or `params`.',
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
    if (isPlainObject(params)) issues.push(...jsonValueIssues(params, 'params'));
    else
      issues.push({
        path: 'params',
        rule: 'type',
        message: '`params` must be an object of parameter values.',
      });
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
  // `command` and `params` both go into `input`, so the spec's rule that excludes one by the
  // other (checked with the request) is the one place that says so.
  if (command !== undefined || params !== undefined) {
    body.input = {
      ...(command !== undefined ? { command } : {}),
      ...(params !== undefined ? { params: params as Record<string, string> } : {}),
    };
  } else if (spark !== undefined) body.input = spark;
  if (alias !== undefined) body.metadata = { job_run_name_alias: alias };
  return body;
}

/** `createdAt` in epoch ms (the spec leaves the unit open; seconds are recognised by size). */
function createdAtMs(run: TrueFoundryRunData): number | undefined {
  const value = run.createdAt;
  if (typeof value !== 'number' || !Number.isFinite(value)) return undefined;
  return value < 1e12 ? value * 1000 : value;
}

export function createJobProvider(
  settings: TrueFoundrySettings,
): JobProviderImplementation<TrueFoundryTriggerRequest, TrueFoundryJobRef, TrueFoundryListQuery> {
  const {
    api,
    connection: connect,
    logger,
  } = setUpProvider({
    provider: PROVIDER,
    settings,
    createClient: createTrueFoundryClient,
    resolveBaseUrl: resolveTrueFoundryBaseUrl,
    operations: truefoundryOperations,
    fieldNames: FIELD_NAMES,
  });

  function toJobRun(
    run: TrueFoundryRunData,
    ref: TrueFoundryJobRef,
    raw: unknown,
    answer?: ApiAnswer<unknown>,
  ) {
    const jobRun: TrueFoundryJobRun = {
      provider: PROVIDER,
      id: run.name,
      status: mapStatus(TRUEFOUNDRY_STATUSES, run.status),
      providerStatus: run.status,
      ref,
      raw,
    };
    if (run.error) jobRun.error = run.error;
    const created = createdAtMs(run);
    if (created !== undefined) jobRun.createdAt = new Date(created).toISOString();
    return answer ? withAnswer(jobRun, answer) : jobRun;
  }

  function refFor(run: TrueFoundryRunData, known: Partial<TrueFoundryJobRef> = {}): TrueFoundryJobRef {
    const ref: TrueFoundryJobRef = { provider: PROVIDER, jobRunName: run.name, origin: connect().origin };
    const applicationId = run.applicationId ?? known.applicationId;
    const deploymentId = run.deploymentId ?? known.deploymentId;
    if (applicationId) ref.applicationId = applicationId;
    if (deploymentId) ref.deploymentId = deploymentId;
    return ref;
  }

  /** A stored ref, checked, for a configured origin. */
  function storedRef(run: TrueFoundryJobRun | TrueFoundryJobRef, operation: string): TrueFoundryJobRef {
    const ref = truefoundryRefs.check(refOf(run), operation);
    checkRefOrigin(ref, connect().baseUrl, TRUEFOUNDRY_BASE_URL_SETTING);
    return ref;
  }

  function requireField(ref: TrueFoundryJobRef, field: 'applicationId' | 'deploymentId', operation: string) {
    const value = ref[field];
    if (isNonEmptyString(value)) return value;
    return throwIfInvalid(PROVIDER, operation, [
      {
        path: `ref.${field}`,
        rule: 'required',
        message: `The run reference has no \`${field}\`; pass the \`ref\` (or JobRun) that triggerJob returned.`,
      },
    ]) as never;
  }

  /** Reads one page of an application's runs, newest first, with the pagination's `params`. */
  function pageReader(
    applicationId: string,
    query: { status?: NonNullable<Parameters<typeof truefoundryListJobRuns>[0]['query']>['status'] },
    options: CallOptions | undefined,
  ) {
    return async (params: PageParams) => {
      const parts = {
        path: { jobId: applicationId },
        query: { ...query, ...params, sortBy: 'startTime', order: 'desc' } as const,
      };
      const answer = await api.call<ListJobRunsResponse>(
        {
          operation: 'listJobRuns',
          as: 'listJobRuns',
          parts,
          send: (sdk) => truefoundryListJobRuns({ ...sdk, ...parts }),
          fields: { pagination: { total: [(value) => typeof value === 'number', 'a number'] } },
        },
        options,
      );
      return { body: answer.data, headers: answer.response.headers };
    };
  }

  function pageRuns(items: TrueFoundryRunData[], applicationId: string): TrueFoundryJobRun[] {
    return items.map((item, index) => {
      const issues = isPlainObject(item)
        ? []
        : [{ path: `response.data[${index}]`, rule: 'type', message: 'must be a run object' }];
      throwIfResponseIssues(PROVIDER, 'listJobRuns', issues);
      return toJobRun(item, refFor(item, { applicationId }), item);
    });
  }

  /**
   * Runs of the application created in the window that match what the request said. They are
   * candidates only, never proof: time, deployment and command are what any other trigger of the
   * job sends too, and no documented answer carries anything only this trigger sent (a run does not
   * echo the `job_run_name_alias` of its trigger, and the trigger has no idempotency key). Another
   * caller's run of the same job a few seconds earlier matches exactly like this trigger's own.
   */
  async function findTriggered(
    request: TrueFoundryTriggerRequest,
    window: TriggerWindow,
    options: CallOptions,
  ): Promise<RunMatches<TrueFoundryJobRef>> {
    const applicationId = request.applicationId as string;
    const from = window.sentAt - CLOCK_SKEW_MS;
    const to = window.endedAt + CLOCK_SKEW_MS;
    const wantedCommand = Array.isArray(request.command) ? request.command.join(' ') : request.command;
    const matches: TrueFoundryJobRun[] = [];
    const pages = operationPages<TrueFoundryRunData>(
      TRUEFOUNDRY_RUN_PAGES,
      pageReader(applicationId, {}, options),
      LIST_CONTEXT,
      { pageSize: 100 },
    );
    for await (const { items } of pages) {
      let older = false;
      for (const run of items) {
        const created = createdAtMs(run);
        if (created === undefined) continue;
        if (created < from) older = true;
        if (created < from || created > to) continue;
        if (request.deploymentId && run.deploymentId && run.deploymentId !== request.deploymentId) continue;
        if (wantedCommand !== undefined && typeof run.command === 'string' && run.command !== wantedCommand)
          continue;
        matches.push(toJobRun(run, refFor(run, { applicationId }), run));
      }
      // Newest first: once a page reaches runs older than the window, later pages hold none.
      if (older) break;
    }
    return { proven: [], candidates: matches };
  }

  /** The trigger of `request` as confirmTrigger takes it: its send and its search (candidates only). */
  function trigger(
    request: TrueFoundryTriggerRequest,
    options: CallOptions | undefined,
  ): ConfirmedTrigger<TrueFoundryJobRef> {
    const body = shapeTrigger(request);
    const identity: Record<string, unknown> = {};
    for (const field of ['applicationId', 'deploymentId', 'alias'] as const) {
      if (request[field] !== undefined) identity[field] = request[field];
    }
    const job = request.applicationId
      ? `application ${request.applicationId}`
      : `deployment ${request.deploymentId}`;
    return {
      provider: PROVIDER,
      operation: 'triggerJob',
      request: identity,
      hint: `Check the runs of ${job} in TrueFoundry${request.applicationId ? ` (\`anyjob list truefoundry --application ${request.applicationId}\`)` : ''} before triggering it again.`,
      signal: options?.signal,
      logger,
      async send() {
        const parts = { body };
        const answer = await api.call<TriggerJobRunResponse>(
          {
            operation: 'triggerJob',
            parts,
            send: (sdk) => truefoundryTriggerJob({ ...sdk, ...parts }),
            fields: { jobRunName: nonEmptyString, data: RUN_FIELDS },
          },
          options,
        );
        const { data } = answer;
        const run = { ...data.data, name: data.data.name ?? data.jobRunName };
        return toJobRun(
          run,
          refFor(
            { ...run, name: data.jobRunName },
            { applicationId: request.applicationId, deploymentId: request.deploymentId },
          ),
          data,
          answer,
        );
      },
      // The list is per application: a trigger by deployment id alone cannot be looked up.
      search: request.applicationId
        ? {
            describe: (window) =>
              `the runs of application ${request.applicationId} created between ${new Date(window.sentAt - CLOCK_SKEW_MS).toISOString()} and ${new Date(window.endedAt + CLOCK_SKEW_MS).toISOString()}${request.deploymentId ? ` of deployment ${request.deploymentId}` : ''}`,
            find: (window, searchOptions) => findTriggered(request, window, searchOptions),
          }
        : undefined,
      unsearchable: 'nothing: TrueFoundry lists runs per application, and only a deployment id was given',
    };
  }

  return {
    async triggerJob(request, options) {
      return confirmTrigger(trigger(request, options));
    },

    // No proof to fix: a queued trigger whose answer is lost with its worker ends unconfirmed,
    // its candidates found by time and job as after any unknown outcome.
    prepareTrigger(request) {
      shapeTrigger(request);
      return { request, origin: connect().origin };
    },

    preparedTrigger: ({ request }, options) => trigger(request, options),

    async getJobRun(run, options?: CallOptions) {
      const ref = storedRef(run, 'getJobRun');
      const jobId = requireField(ref, 'applicationId', 'getJobRun');
      const parts = { path: { jobId, jobRunName: ref.jobRunName } };
      const answer = await api.call<GetJobRunResponse>(
        {
          operation: 'getJobRun',
          parts,
          send: (sdk) => truefoundryGetJobRun({ ...sdk, ...parts }),
          fields: { data: RUN_FIELDS },
        },
        options,
      );
      const { data } = answer;
      if (data.data.name !== ref.jobRunName) {
        throwIfResponseIssues(PROVIDER, 'getJobRun', [
          {
            path: 'response.data.name',
            rule: 'const',
            message: `must be the run that was asked for (${ref.jobRunName}), got another run`,
          },
        ]);
      }
      const next: TrueFoundryJobRef = { ...ref, origin: ref.origin ?? connect().origin };
      if (!next.deploymentId && data.data.deploymentId) next.deploymentId = data.data.deploymentId;
      return toJobRun(data.data, next, data, answer);
    },

    async cancelJob(run, options?: CallOptions) {
      const ref = storedRef(run, 'cancelJob');
      const deploymentId = requireField(ref, 'deploymentId', 'cancelJob');
      const parts = { query: { deploymentId, jobRunName: ref.jobRunName } };
      const answer = await api.call<TerminateJobRunResponse>(
        {
          operation: 'terminateJobRun',
          as: 'cancelJob',
          parts,
          send: (sdk) => truefoundryTerminateJobRun({ ...sdk, ...parts }),
          fields: { jobRunStatus: string },
        },
        options,
      );
      const { data } = answer;
      return withAnswer(
        {
          provider: PROVIDER,
          id: ref.jobRunName,
          status: mapStatus(TRUEFOUNDRY_STATUSES, data.jobRunStatus),
          providerStatus: data.jobRunStatus,
          ref: { ...ref, origin: ref.origin ?? connect().origin },
          raw: data,
        },
        answer,
      );
    },

    async listRunPage(query, cursor, options?: ListOptions): Promise<RunPage<TrueFoundryJobRef>> {
      const issues: ValidationIssue[] = unknownFieldIssues(query as never, [
        'provider',
        'applicationId',
        'status',
      ]);
      if (!isNonEmptyString(query.applicationId)) {
        issues.push({
          path: 'applicationId',
          rule: 'required',
          message: '`applicationId` must be the id of the job whose runs to list.',
        });
      }
      throwIfInvalid(PROVIDER, 'listJobRuns', issues);
      const status =
        query.status === undefined ? undefined : Array.isArray(query.status) ? query.status : [query.status];
      const page = await readOperationPage<TrueFoundryRunData>(
        TRUEFOUNDRY_RUN_PAGES,
        pageReader(query.applicationId, status ? { status } : {}, options),
        cursor,
        options?.pageSize,
        LIST_CONTEXT,
      );
      return { runs: pageRuns(page.items, query.applicationId), next: page.next };
    },
  };
}
