// Databricks Jobs API 2.2 behind the anyjob provider contract, loaded on the provider's first call:
// trigger → POST run-now (with an idempotency token) then runs/get, read → GET runs/get?run_id=,
// cancel → POST runs/cancel, list → GET runs/list. Ids are int64: answers are parsed exactly and
// ids sent as bare JSON integers, so a run id beyond 2^53 keeps its digits.
import { type CallOptions, type JobProviderImplementation, readRunStatus } from '@anyjob/core';
import {
  type ConfirmedTrigger,
  camelFieldNames,
  confirmTrigger,
  excludes,
  type FieldCheck,
  type FieldNames,
  idempotencyKey,
  idText,
  integerBody,
  parseRequest,
  runFromTriggerAnswer,
  runOperations,
  setUpProvider,
  snakeCaseFields,
} from '@anyjob/core/internal';
import * as v from 'valibot';
import { createDatabricksClient, DATABRICKS_BASE_URL_SETTING, resolveDatabricksBaseUrl } from './client.js';
import {
  databricksCancelRun,
  databricksGetRun,
  databricksListRuns,
  databricksRunNow,
} from './generated/sdk.gen.js';
import type { Run, RunNow } from './generated/types.gen.js';
import { idDigits, idMessage } from './ids.js';
import {
  DATABRICKS_CONTRACT as CONTRACT,
  type DatabricksJobRef,
  type DatabricksJobRun,
  type DatabricksListQuery,
  type DatabricksSettings,
  type DatabricksTriggerRequest,
  databricksRefs,
} from './provider.js';
import { databricksOperations } from './validation.js';

const PROVIDER = 'databricks';
/** The request's or query's fields, set ones only, by their wire names (`jobId` → `job_id`). */
const wire = snakeCaseFields;
const WIRE_FIELDS =
  'job_id job_parameters performance_target only active_only completed_only start_time_from start_time_to';
// Wire paths → the request, query and ref fields the caller set.
const FIELD_NAMES: FieldNames = [
  ['body.idempotency_token', 'idempotencyKey'],
  ['body.run_id', 'ref.runId'],
  ['query.run_id', 'ref.runId'],
  ...camelFieldNames(['body', 'query'], WIRE_FIELDS.split(' ')),
];
const integerId: FieldCheck = [(value) => idText(value) !== undefined, 'an integer id'];
const anything = v.optional(v.unknown()); // the spec's schemas check it on the wire
const int64 = (field: string) =>
  v.pipe(
    v.custom<string | number>((value) => idDigits(value) !== undefined, idMessage(field)),
    v.transform((value) => idDigits(value) as string),
  );

/** What triggerJob takes, checked and turned into run-now's body (the token is added per call). */
const TRIGGER = v.pipe(
  v.strictObject({
    provider: anything,
    jobId: int64('jobId'),
    jobParameters: v.optional(v.record(v.string(), v.string())),
    idempotencyKey: anything,
    only: v.optional(v.array(v.string())),
    performanceTarget: anything,
  }),
  v.transform(({ idempotencyKey: _, ...request }) => wire(request) as unknown as RunNow),
);

const LIST_QUERY = v.pipe(
  v.strictObject({
    provider: anything,
    jobId: v.optional(int64('jobId')),
    activeOnly: anything,
    completedOnly: anything,
    startTimeFrom: anything,
    startTimeTo: anything,
  }),
  excludes(
    'completedOnly',
    ['activeOnly'],
    '`activeOnly` and `completedOnly` cannot both be true; set one of them.',
    (flag) => flag === true,
  ),
);

/** The two words that decided (`TERMINATED/SUCCESS`), not all four fields' (`status` repeats `state`). */
function withWords(jobRun: DatabricksJobRun): DatabricksJobRun {
  const run = jobRun.raw as Run;
  const words = run.status?.state
    ? [run.status.state, run.status.termination_details?.code]
    : [run.state?.life_cycle_state, run.state?.result_state];
  // Set on the JobRun itself: its request id and Response are not enumerable, so a copy would drop them.
  jobRun.providerStatus = words.filter(Boolean).join('/');
  if (jobRun.providerStatus === '') delete jobRun.providerStatus;
  return jobRun;
}

export function createJobProvider(
  settings: DatabricksSettings,
): JobProviderImplementation<DatabricksTriggerRequest, DatabricksJobRef, DatabricksListQuery> {
  const setup = setUpProvider({
    provider: PROVIDER,
    settings,
    createClient: createDatabricksClient,
    resolveBaseUrl: resolveDatabricksBaseUrl,
    operations: databricksOperations,
    fieldNames: FIELD_NAMES,
  });
  const origin = () => setup.connection().origin;
  const refFor = (run: Run): DatabricksJobRef => {
    const [runId, jobId] = [idText(run.run_id) as string, idText(run.job_id)];
    return { provider: PROVIDER, runId, ...(jobId === undefined ? {} : { jobId }), origin: origin() };
  };

  const runs = runOperations<DatabricksJobRef, DatabricksListQuery, Run>({
    provider: PROVIDER,
    status: CONTRACT.status,
    pagination: CONTRACT.pagination,
    setup,
    baseUrlSetting: DATABRICKS_BASE_URL_SETTING,
    refs: databricksRefs,
    run: (run) => ({
      id: idText(run.run_id) as string,
      createdAtMs: typeof run.start_time === 'number' && run.start_time > 0 ? run.start_time : undefined,
      error:
        readRunStatus(CONTRACT.status, run).status === 'succeeded'
          ? undefined
          : run.status?.termination_details?.message || run.state?.state_message,
    }),
    get: {
      operation: 'getRun',
      send: databricksGetRun,
      exactIntegers: true,
      parts: (ref) => ({ query: { run_id: ref.runId } }),
      fields: { run_id: integerId },
      at: '',
      id: 'run_id',
      ref: (_ref, run) => refFor(run),
    },
    list: {
      operation: 'listRuns',
      send: databricksListRuns,
      exactIntegers: true,
      query: LIST_QUERY,
      parts: (query, params) => ({ query: { ...wire(query), ...params } }),
      ref: refFor,
    },
  });
  const getJobRun = async (run: DatabricksJobRun | DatabricksJobRef, options?: CallOptions) =>
    withWords(await runs.getJobRun(run, options));

  /**
   * The trigger of `request` with idempotency token `key`: run-now (retried like a read: the same
   * token answers the same run), then runs/get of the id it answers. After an unknown outcome the
   * same token is sent again: the run Databricks answers for it is the proof.
   */
  function trigger(
    request: DatabricksTriggerRequest,
    options?: CallOptions,
  ): ConfirmedTrigger<DatabricksJobRef> {
    const body = parseRequest<RunNow>(PROVIDER, 'triggerJob', TRIGGER, request);
    const key = idempotencyKey(CONTRACT.idempotency, request.idempotencyKey, 'triggerJob');
    const jobId = String(body.job_id);
    const hint = `Look for the run in \`anyjob list databricks --job-id ${jobId}\` before triggering it again.`;
    async function send(sendOptions = options) {
      const sentAt = Date.now();
      const answer = await setup.api.call<{ run_id?: unknown }>(
        {
          operation: 'runNow',
          as: 'triggerJob',
          parts: { body },
          idempotency: { spec: CONTRACT.idempotency, key },
          exactIntegers: true,
          send: (sdk, sent) =>
            databricksRunNow({ ...sdk, body: sent.body as RunNow, bodySerializer: integerBody('job_id') }),
          fields: { run_id: integerId },
        },
        sendOptions,
      );
      const { status, headers, url } = answer.response;
      const reply = { status, body: answer.data, headers, url };
      const getById = (runId: string, o?: CallOptions) => getJobRun({ provider: PROVIDER, runId, jobId }, o);
      const found = { provider: PROVIDER, operation: 'runNow', request: { jobId }, hint, getById, sentAt };
      return runFromTriggerAnswer(CONTRACT.triggerAnswer, reply, { ...found, origin: origin() }, sendOptions);
    }
    return {
      provider: PROVIDER,
      operation: 'triggerJob',
      request: { jobId, idempotencyKey: key },
      hint,
      signal: options?.signal,
      logger: setup.logger,
      send: () => send(),
      search: {
        describe: () =>
          `the run ${PROVIDER} keeps for idempotency key ${key} (the trigger sent again with it)`,
        find: async (_window, findOptions) => ({ proven: [await send(findOptions)], candidates: [] }),
      },
    };
  }

  return {
    triggerJob: (request, options) => confirmTrigger(trigger(request, options)),
    // The token is the proof: fixed before the trigger is queued, so a worker that takes over a
    // stalled job sends the same one and Databricks answers the run it started (exactly once).
    prepareTrigger(request) {
      const key = trigger(request).request.idempotencyKey as string;
      const proof = { idempotency_token: key };
      return { request: { ...request, idempotencyKey: key }, origin: origin(), proof };
    },
    preparedTrigger: ({ request }, options) => trigger(request, options),

    getJobRun,

    /**
     * Asks Databricks to cancel the run and returns the run as it is now: cancellation is
     * asynchronous, so it is usually still running (or terminating). The run becomes
     * TERMINATED/USER_CANCELED later; `waitForJob` then ends in JobCanceledError.
     */
    async cancelJob(run, options) {
      const ref = runs.storedRef(run, 'cancelJob');
      const bodySerializer = integerBody('run_id');
      const cancel = {
        operation: 'cancelRun',
        send: (sdk: object) => databricksCancelRun({ ...sdk, bodySerializer } as never),
      };
      await runs.call(cancel, 'cancelJob', { body: { run_id: ref.runId } }, options);
      return getJobRun(ref, options);
    },

    async listRunPage(query, cursor, options) {
      const page = await runs.listRunPage(query, cursor, options);
      return { ...page, runs: page.runs.map(withWords) };
    },
  };
}
