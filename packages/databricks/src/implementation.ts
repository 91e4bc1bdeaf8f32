// Databricks Jobs API 2.2 behind the anyjob provider contract, loaded on the provider's first call:
// trigger → POST run-now (with an idempotency token) then runs/get, read → GET runs/get?run_id=,
// cancel → POST runs/cancel, list → GET runs/list. Ids are int64: answers are parsed exactly and
// ids sent as bare JSON integers, so a run id beyond 2^53 keeps its digits.
import {
  type CallOptions,
  type JobProviderImplementation,
  type PageParams,
  readRunStatus,
  refOf,
} from '@anyjob/core';
import {
  type ApiAnswer,
  checkRefOrigin,
  confirmIdempotentTrigger,
  type FieldCheck,
  type FieldNames,
  idText,
  jsonInteger,
  readOperationPage,
  runFromTriggerAnswer,
  setUpProvider,
  stringifyJson,
  throwIfInvalid,
  throwIfResponseIssues,
  unknownFieldIssues,
  withAnswer,
} from '@anyjob/core/internal';
import { createDatabricksClient, DATABRICKS_BASE_URL_SETTING, resolveDatabricksBaseUrl } from './client.js';
import {
  databricksCancelRun,
  databricksGetRun,
  databricksListRuns,
  databricksRunNow,
} from './generated/sdk.gen.js';
import type { ListRunsResponse, Run, RunNow } from './generated/types.gen.js';
import { databricksId } from './ids.js';
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
const TRIGGER_FIELDS = ['provider', 'jobId', 'jobParameters', 'idempotencyKey', 'only', 'performanceTarget'];
const LIST_FIELDS = ['provider', 'jobId', 'activeOnly', 'completedOnly', 'startTimeFrom', 'startTimeTo'];
// Wire paths → the request, query and ref fields the caller set.
const FIELD_NAMES: FieldNames = [
  ['body.job_id', 'jobId'],
  ['body.job_parameters', 'jobParameters'],
  ['body.idempotency_token', 'idempotencyKey'],
  ['body.performance_target', 'performanceTarget'],
  ['body.only', 'only'],
  ['body.run_id', 'ref.runId'],
  ['query.run_id', 'ref.runId'],
  ['query.job_id', 'jobId'],
  ['query.active_only', 'activeOnly'],
  ['query.completed_only', 'completedOnly'],
  ['query.start_time_from', 'startTimeFrom'],
  ['query.start_time_to', 'startTimeTo'],
];
const integerId: FieldCheck = [(value) => idText(value) !== undefined, 'an integer id'];

/** A body whose int64 fields (digits, as validated) are written as bare JSON integers. */
const exactBody = (fields: string[]) => (body: unknown) =>
  stringifyJson({
    ...(body as object),
    ...Object.fromEntries(
      fields.map((f) => [
        f,
        jsonInteger(String((body as Record<string, unknown>)[f]), `body.${f}`, 'request'),
      ]),
    ),
  });

export function createJobProvider(
  settings: DatabricksSettings,
): JobProviderImplementation<DatabricksTriggerRequest, DatabricksJobRef, DatabricksListQuery> {
  const {
    api,
    connection: connect,
    logger,
  } = setUpProvider({
    provider: PROVIDER,
    settings,
    createClient: createDatabricksClient,
    resolveBaseUrl: resolveDatabricksBaseUrl,
    operations: databricksOperations,
    fieldNames: FIELD_NAMES,
  });

  function toJobRun(run: Run, answer?: ApiAnswer<unknown>): DatabricksJobRun {
    const runId = idText(run.run_id) as string;
    const { status } = readRunStatus(CONTRACT.status, run);
    const ref: DatabricksJobRef = { provider: PROVIDER, runId, origin: connect().origin };
    const jobId = idText(run.job_id);
    if (jobId !== undefined) ref.jobId = jobId;
    const jobRun: DatabricksJobRun = { provider: PROVIDER, id: runId, status, ref, raw: run };
    // The two words that decided (`TERMINATED/SUCCESS`), not all four fields' (`status` repeats `state`).
    const words = run.status?.state
      ? [run.status.state, run.status.termination_details?.code]
      : [run.state?.life_cycle_state, run.state?.result_state];
    const providerStatus = words.filter(Boolean).join('/');
    if (providerStatus !== '') jobRun.providerStatus = providerStatus;
    const message = run.status?.termination_details?.message || run.state?.state_message;
    if (message && status !== 'succeeded') jobRun.error = message;
    if (typeof run.start_time === 'number' && run.start_time > 0)
      jobRun.createdAt = new Date(run.start_time).toISOString();
    return answer ? withAnswer(jobRun, answer) : jobRun;
  }

  async function getRun(runId: string, options?: CallOptions): Promise<DatabricksJobRun> {
    const parts = { query: { run_id: runId as unknown as number } };
    const answer = await api.call<Run>(
      {
        operation: 'getRun',
        as: 'getJobRun',
        parts,
        exactIntegers: true,
        send: (sdk) => databricksGetRun({ ...sdk, ...parts }),
        fields: { run_id: integerId },
      },
      options,
    );
    if (idText(answer.data.run_id) !== runId) {
      const message = `must be the run that was asked for (${runId}), got another run`;
      throwIfResponseIssues(PROVIDER, 'getRun', [{ path: 'response.run_id', rule: 'const', message }]);
    }
    return toJobRun(answer.data, answer);
  }

  function checkedRef(run: DatabricksJobRun | DatabricksJobRef, operation: string): DatabricksJobRef {
    const ref = databricksRefs.check(refOf(run), operation);
    checkRefOrigin(ref, connect().baseUrl, DATABRICKS_BASE_URL_SETTING);
    return ref;
  }

  return {
    async triggerJob(request, options) {
      throwIfInvalid(PROVIDER, 'triggerJob', unknownFieldIssues(request as never, TRIGGER_FIELDS));
      const jobId = databricksId(request.jobId, 'jobId', 'triggerJob');
      const body = { job_id: jobId as unknown as number } as RunNow;
      if (request.jobParameters !== undefined) body.job_parameters = request.jobParameters;
      if (request.only !== undefined) body.only = request.only;
      if (request.performanceTarget !== undefined) body.performance_target = request.performanceTarget;
      const hint = `Look for the run in \`anyjob list databricks --job-id ${jobId}\` before triggering it again.`;
      return confirmIdempotentTrigger<DatabricksJobRef>({
        provider: PROVIDER,
        operation: 'triggerJob',
        request: { jobId },
        hint,
        idempotency: CONTRACT.idempotency,
        key: request.idempotencyKey,
        signal: options?.signal,
        logger,
        // Sends run-now with the key (retried like a read: the same key answers the same run), then
        // reads the run the answer names (`{ run_id, number_in_job }` only).
        async send(key, sendOptions = options) {
          const sentAt = Date.now();
          const parts = { body };
          const answer = await api.call<{ run_id?: unknown }>(
            {
              operation: 'runNow',
              as: 'triggerJob',
              parts,
              idempotency: { spec: CONTRACT.idempotency, key },
              exactIntegers: true,
              send: (sdk, sent) =>
                databricksRunNow({
                  ...sdk,
                  body: sent.body as RunNow,
                  bodySerializer: exactBody(['job_id']),
                }),
              fields: { run_id: integerId },
            },
            sendOptions,
          );
          const { response } = answer;
          const reply = {
            status: response.status,
            body: answer.data,
            headers: response.headers,
            url: response.url,
          };
          const run = await runFromTriggerAnswer<DatabricksJobRef>(
            CONTRACT.triggerAnswer,
            reply,
            {
              provider: PROVIDER,
              operation: 'runNow',
              request: { jobId },
              hint,
              origin: connect().origin,
              getById: getRun,
              sentAt,
            },
            sendOptions,
          );
          run.ref.jobId ??= jobId;
          return run;
        },
      });
    },

    async getJobRun(run, options) {
      const ref = checkedRef(run, 'getJobRun');
      return getRun(ref.runId, options);
    },

    /**
     * Asks Databricks to cancel the run and returns the run as it is now: cancellation is
     * asynchronous, so it is usually still running (or terminating). The run becomes
     * TERMINATED/USER_CANCELED later; `waitForJob` then ends in JobCanceledError.
     */
    async cancelJob(run, options) {
      const ref = checkedRef(run, 'cancelJob');
      const parts = { body: { run_id: ref.runId as unknown as number } };
      await api.call(
        {
          operation: 'cancelRun',
          as: 'cancelJob',
          parts,
          send: (sdk) => databricksCancelRun({ ...sdk, ...parts, bodySerializer: exactBody(['run_id']) }),
        },
        options,
      );
      return getRun(ref.runId, options);
    },

    async listRunPage(query, cursor, options) {
      const issues = unknownFieldIssues(query as never, LIST_FIELDS);
      if (query.activeOnly === true && query.completedOnly === true) {
        const message = '`activeOnly` and `completedOnly` cannot both be true; set one of them.';
        issues.push({ path: 'completedOnly', rule: 'conflict', message });
      }
      throwIfInvalid(PROVIDER, 'listJobRuns', issues);
      const filters: Record<string, string | boolean> = {};
      if (query.jobId !== undefined) filters.job_id = databricksId(query.jobId, 'jobId', 'listJobRuns');
      if (query.activeOnly !== undefined) filters.active_only = query.activeOnly;
      if (query.completedOnly !== undefined) filters.completed_only = query.completedOnly;
      if (query.startTimeFrom !== undefined) filters.start_time_from = String(query.startTimeFrom);
      if (query.startTimeTo !== undefined) filters.start_time_to = String(query.startTimeTo);
      const readPage = async (params: PageParams) => {
        const parts = { query: { ...filters, ...params } as never };
        const answer = await api.call<ListRunsResponse>(
          {
            operation: 'listRuns',
            as: 'listJobRuns',
            parts,
            exactIntegers: true,
            send: (sdk) => databricksListRuns({ ...sdk, ...parts }),
          },
          options,
        );
        return { body: answer.data, headers: answer.response.headers };
      };
      const context = { provider: PROVIDER, operation: 'listRuns' };
      const page = await readOperationPage<Run>(
        CONTRACT.pagination,
        readPage,
        cursor,
        options?.pageSize,
        context,
      );
      return { runs: page.items.map((item) => toJobRun(item)), next: page.next };
    },
  };
}
