// TrueFoundry behind the anyjob provider contract, loaded on the provider's first call:
// trigger → POST /jobs/trigger, get → GET /jobs/{applicationId}/runs/{jobRunName}, cancel → POST
// /jobs/terminate?deploymentId&jobRunName, list → GET /jobs/{applicationId}/runs (newest first).
import { type CallOptions, type JobProviderImplementation, refChecker } from '@anyjob/core';
import {
  type ConfirmedTrigger,
  definedFields,
  excludes,
  type FieldChecks,
  fieldCheck,
  isNonEmptyString,
  nonEmptyString,
  parseRequest,
  plainObjectField,
  type RunSearch,
  requiresOneOf,
  runOperations,
  scanRuns,
  setUpProvider,
  skewedWindow,
  unprovenTriggers,
} from '@anyjob/core/internal';
import * as v from 'valibot';
import {
  createTrueFoundryClient,
  resolveTrueFoundryBaseUrl,
  TRUEFOUNDRY_BASE_URL_SETTING,
} from './client.js';
import * as sdk from './generated/sdk.gen.js';
import type * as Wire from './generated/types.gen.js';
import {
  TRUEFOUNDRY_CONTRACT,
  type TrueFoundryJobRef,
  type TrueFoundryListQuery,
  type TrueFoundrySettings,
  type TrueFoundryTriggerRequest,
  truefoundryRefs,
} from './provider.js';
import { truefoundryOperations } from './validation.js';

const PROVIDER = 'truefoundry';
/** How far TrueFoundry's clock may be from ours when matching a run's creation time. */
const CLOCK_SKEW_MS = 60_000;
type WireRun = Wire.JobRun;

// The run fields a JobRun and the refs read.
const RUN_FIELDS: FieldChecks<WireRun> = {
  name: fieldCheck.nonEmptyString,
  status: fieldCheck.string,
  error: fieldCheck.optionalString,
  applicationId: fieldCheck.optionalString,
  deploymentId: fieldCheck.optionalString,
};

const nonEmpty = (field: string) => v.optional(nonEmptyString(`\`${field}\` must be a non-empty string.`));
const ONE_ID = 'Give exactly one of `applicationId` (the job) and `deploymentId` (a specific deployment).';
const COMMAND = '`command` must be a non-empty string or a non-empty array of strings.';
const isCommand = (command: unknown) =>
  isNonEmptyString(command) ||
  (Array.isArray(command) && command.length > 0 && command.every((arg) => typeof arg === 'string'));

/** What triggerJob takes, checked and turned into the body of POST /jobs/trigger. */
const TRIGGER = v.pipe(
  v.strictObject({
    provider: v.optional(v.unknown()),
    applicationId: nonEmpty('applicationId'),
    deploymentId: nonEmpty('deploymentId'),
    command: v.optional(v.custom<string | string[]>(isCommand, COMMAND)),
    params: v.optional(plainObjectField('`params` must be an object of parameter values.')),
    spark: v.optional(
      plainObjectField('`spark` must be an object (mainClass, mainApplicationFile, arguments).'),
    ),
    alias: nonEmpty('alias'),
  }),
  requiresOneOf('applicationId', ['deploymentId'], ONE_ID),
  excludes('deploymentId', ['applicationId'], ONE_ID),
  excludes(
    'spark',
    ['command', 'params'],
    '`spark` is the whole input of a Spark job; it cannot be combined with `command` or `params`.',
  ),
  v.transform(({ provider: _, command, params, spark, alias, ...ids }) => {
    // `command` and `params` both go into `input`, so the spec's rule that excludes one by the
    // other (checked with the request) is the one place that says so.
    const input = command !== undefined || params !== undefined ? definedFields({ command, params }) : spark;
    const metadata = alias === undefined ? undefined : { job_run_name_alias: alias };
    return definedFields({ ...ids, input, metadata }) as Wire.TriggerJobRequest;
  }),
);

/** What listJobRuns takes; the status words are the spec's to check. */
const LIST_QUERY = v.strictObject({
  provider: v.optional(v.unknown()),
  applicationId: nonEmptyString('`applicationId` must be the id of the job whose runs to list.'),
  status: v.optional(v.unknown()),
});

/** The run list's order, which the trigger search relies on (it stops at the first older page). */
const NEWEST_FIRST = { sortBy: 'startTime', order: 'desc' } as const;

/** The ref's `field`, which `operation` needs (InvalidRequestError naming it when the ref lacks it). */
const need = (field: 'applicationId' | 'deploymentId', ref: TrueFoundryJobRef, operation: string) =>
  refChecker<TrueFoundryJobRef>(PROVIDER, { [field]: 'required' })(ref, operation)[field] as string;

/** `createdAt` in epoch ms (the spec leaves the unit open; seconds are recognised by size). */
const createdAtMs = ({ createdAt: at }: WireRun) =>
  typeof at === 'number' && Number.isFinite(at) ? (at < 1e12 ? at * 1000 : at) : undefined;

export function createJobProvider(
  settings: TrueFoundrySettings,
): JobProviderImplementation<TrueFoundryTriggerRequest, TrueFoundryJobRef, TrueFoundryListQuery> {
  const setup = setUpProvider({
    provider: PROVIDER,
    settings,
    createClient: createTrueFoundryClient,
    resolveBaseUrl: resolveTrueFoundryBaseUrl,
    operations: truefoundryOperations,
    // Wire paths of the operations → the request and ref fields the caller set.
    fieldNames: [
      ['body.applicationId', 'applicationId'],
      ['body.deploymentId', 'deploymentId'],
      ['body.input.command', 'command'],
      ['body.input.params', 'params'],
      // The request schema has checked command and params, so the rest of `input` is the Spark input.
      ['body.input', 'spark'],
      ['body.metadata', 'alias'],
      ['path.jobId', 'ref.applicationId'],
      ['path.jobRunName', 'ref.jobRunName'],
      ['query.deploymentId', 'ref.deploymentId'],
      ['query.jobRunName', 'ref.jobRunName'],
    ],
  });
  const origin = () => setup.connection().origin;

  /** The run's own ids, else those the caller gave; an empty id is left out. */
  const refFor = (run: WireRun, known: Partial<TrueFoundryJobRef> = {}): TrueFoundryJobRef => {
    const applicationId = run.applicationId ?? known.applicationId;
    const deploymentId = run.deploymentId ?? known.deploymentId;
    const ids = definedFields({ applicationId, deploymentId }, Boolean);
    return { provider: PROVIDER, jobRunName: run.name, origin: origin(), ...ids };
  };

  const runs = runOperations<TrueFoundryJobRef, TrueFoundryListQuery, WireRun>({
    provider: PROVIDER,
    status: TRUEFOUNDRY_CONTRACT.status,
    pagination: TRUEFOUNDRY_CONTRACT.pagination,
    setup,
    baseUrlSetting: TRUEFOUNDRY_BASE_URL_SETTING,
    refs: truefoundryRefs,
    run: (run) => ({ id: run.name, error: run.error, createdAtMs: createdAtMs(run) }),
    get: {
      operation: 'getJobRun',
      send: sdk.truefoundryGetJobRun,
      parts: (ref) => ({
        path: { jobId: need('applicationId', ref, 'getJobRun'), jobRunName: ref.jobRunName },
      }),
      fields: { data: RUN_FIELDS },
      at: 'data',
      id: 'name',
      ref: (ref, run) =>
        !ref.deploymentId && run.deploymentId ? { ...ref, deploymentId: run.deploymentId } : ref,
    },
    list: {
      operation: 'listJobRuns',
      send: sdk.truefoundryListJobRuns,
      query: LIST_QUERY,
      parts: ({ applicationId, status }, params) => ({
        path: { jobId: applicationId },
        query: { ...(status === undefined ? {} : { status: [status].flat() }), ...params, ...NEWEST_FIRST },
      }),
      fields: {
        pagination: { total: [(value) => typeof value === 'number', 'a number'] },
      } satisfies FieldChecks<Wire.ListJobRunsResponse>,
      ref: (run, query) => refFor(run, { applicationId: query.applicationId }),
    },
  });

  /**
   * Runs of the application created in the window that match what the request said. They are
   * candidates only, never proof: time, deployment and command are what any other trigger of the
   * job sends too, and no documented answer carries anything only this trigger sent (a run does not
   * echo the `job_run_name_alias` of its trigger, and the trigger has no idempotency key). Another
   * caller's run of the same job a few seconds earlier matches exactly like this trigger's own.
   */
  function searchOf(applicationId: string, request: TrueFoundryTriggerRequest): RunSearch<TrueFoundryJobRef> {
    const { deploymentId } = request;
    const ofDeployment = deploymentId ? ` of deployment ${deploymentId}` : '';
    const command = Array.isArray(request.command) ? request.command.join(' ') : request.command;
    return {
      describe: (at) =>
        `the runs of application ${applicationId} created between ${skewedWindow(at, CLOCK_SKEW_MS).text}${ofDeployment}`,
      async find(at, options) {
        const pages = runs.pages({ provider: PROVIDER, applicationId }, options, { pageSize: 100 });
        const found = await scanRuns(pages, {
          window: skewedWindow(at, CLOCK_SKEW_MS),
          createdAtMs,
          requireTime: true,
          newestFirst: true,
          matches: (run) =>
            !(deploymentId && run.deploymentId && run.deploymentId !== deploymentId) &&
            !(command !== undefined && typeof run.command === 'string' && run.command !== command),
        });
        const candidates = found.map((run) => runs.jobRun(run, refFor(run, { applicationId })));
        return { proven: [], candidates };
      },
    };
  }

  /** The trigger of `request` as confirmTrigger takes it: its send and its search (candidates only). */
  function trigger(
    request: TrueFoundryTriggerRequest,
    options?: CallOptions,
  ): ConfirmedTrigger<TrueFoundryJobRef> {
    const body = parseRequest(PROVIDER, 'triggerJob', TRIGGER, request, { json: ['params'] });
    const { applicationId, deploymentId, alias } = request;
    const job = applicationId ? `application ${applicationId}` : `deployment ${deploymentId}`;
    const listIt = applicationId ? ` (\`anyjob list truefoundry --application ${applicationId}\`)` : '';
    return {
      provider: PROVIDER,
      operation: 'triggerJob',
      request: definedFields({ applicationId, deploymentId, alias }),
      hint: `Check the runs of ${job} in TrueFoundry${listIt} before triggering it again.`,
      signal: options?.signal,
      logger: setup.logger,
      async send() {
        const fields = { jobRunName: fieldCheck.nonEmptyString, data: RUN_FIELDS };
        const op = { operation: 'triggerJob', send: sdk.truefoundryTriggerJob, fields };
        const answer = await runs.call<Wire.TriggerJobRunResponse>(op, 'triggerJob', { body }, options);
        const { jobRunName, data: run } = answer.data;
        const ref = refFor({ ...run, name: jobRunName }, { applicationId, deploymentId });
        return runs.jobRun(run, ref, answer, answer.data);
      },
      // The list is per application: a trigger by deployment id alone cannot be looked up.
      search: applicationId ? searchOf(applicationId, request) : undefined,
      unsearchable: 'nothing: TrueFoundry lists runs per application, and only a deployment id was given',
    };
  }

  return {
    // No proof to fix: a queued trigger whose answer is lost ends unconfirmed, with candidates.
    ...unprovenTriggers(trigger, origin),

    getJobRun: runs.getJobRun,

    async cancelJob(run, options?: CallOptions) {
      const ref = runs.storedRef(run, 'cancelJob');
      const query = { deploymentId: need('deploymentId', ref, 'cancelJob'), jobRunName: ref.jobRunName };
      const fields = { jobRunStatus: fieldCheck.string };
      const op = { operation: 'terminateJobRun', send: sdk.truefoundryTerminateJobRun, fields };
      const answer = await runs.call<Wire.TerminateJobRunResponse>(op, 'cancelJob', { query }, options);
      // The answer is the status alone: the run is the ref's, read by the contract's status.
      const wire = { name: ref.jobRunName, status: answer.data.jobRunStatus } as WireRun;
      return runs.jobRun(wire, { ...ref, origin: ref.origin ?? origin() }, answer, answer.data);
    },

    listRunPage: runs.listRunPage,
  };
}
