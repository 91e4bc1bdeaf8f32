// `@anyjob/databricks/testing`: the Databricks half of the fake in @anyjob/testing — run-now with
// its idempotency token (the same token answers the same run), runs/get by `run_id` (an unknown run
// is Databricks' 400 INVALID_PARAMETER_VALUE), runs/list newest first with page tokens, and an
// asynchronous cancel: runs/cancel answers `{}` at once, the run goes TERMINATING and then
// TERMINATED/USER_CANCELED. Loaded on first use, never by the main entries.
import type { FakeAnswer, FakeRequestContext, FakeRunHandle, FakeRunView, ProviderFake } from '@anyjob/core';
import { DATABRICKS_CONTRACT } from './provider.js';
import { databricksOperations } from './validation.js';

/** What the fake stores with each Databricks run it creates. */
export interface DatabricksFakeRunFields {
  jobId: number;
  token: string | undefined;
}

type Context = FakeRequestContext<DatabricksFakeRunFields>;

const FIRST_RUN_ID = 455644832;
const ERROR_CODES: Record<number, string> = {
  400: 'INVALID_PARAMETER_VALUE',
  401: 'UNAUTHENTICATED',
  403: 'PERMISSION_DENIED',
  404: 'RESOURCE_DOES_NOT_EXIST',
  429: 'REQUEST_LIMIT_EXCEEDED',
};

const last = (value: string | readonly string[] | undefined) =>
  typeof value === 'string' ? value : value?.at(-1);
const isId = (value: unknown): value is number => Number.isSafeInteger(value) && (value as number) > 0;

function run({ id, fields, createdAt, word, endedAt, error }: FakeRunView<DatabricksFakeRunFields>) {
  const [state, code] = word.split('/');
  const termination = code ? { termination_details: { code, ...(error ? { message: error } : {}) } } : {};
  return {
    job_id: fields.jobId,
    run_id: Number(id),
    number_in_job: Number(id),
    start_time: createdAt,
    end_time: endedAt ?? 0,
    status: { state, ...termination },
  };
}

/** Every run the fake holds, newest first (run ids follow the creation order). */
function allRuns(context: Context): FakeRunHandle<DatabricksFakeRunFields>[] {
  const runs = [];
  for (let id = FIRST_RUN_ID + 1; context.run(String(id)); id++)
    runs.push(context.run(String(id)) as FakeRunHandle<DatabricksFakeRunFields>);
  return runs.reverse();
}

function runNow(context: Context): FakeAnswer {
  const body = (context.body ?? {}) as {
    job_id?: unknown;
    idempotency_token?: string;
    job_parameters?: Record<string, string>;
  };
  if (!isId(body.job_id)) return context.error(400, 'job_id must be a positive integer');
  const token = body.idempotency_token;
  const same =
    token === undefined ? undefined : allRuns(context).find((found) => found.fields.token === token);
  const created =
    same ??
    context.createRun({
      job: String(body.job_id),
      request: {
        jobId: String(body.job_id),
        ...(body.job_parameters ? { jobParameters: body.job_parameters } : {}),
      },
      fields: { jobId: body.job_id, token },
      id: (seq) => String(FIRST_RUN_ID + seq),
    });
  return { status: 200, body: { run_id: Number(created.id), number_in_job: Number(created.id) } };
}

function found(context: Context, id: unknown): FakeRunHandle<DatabricksFakeRunFields> | FakeAnswer {
  return context.run(String(id)) ?? context.error(400, `Run ${String(id)} does not exist.`);
}

function getRun(context: Context): FakeAnswer {
  const handle = found(context, last(context.query.run_id));
  return 'seq' in handle ? { status: 200, body: run(context.read(handle)) } : handle;
}

/** Newest first; the page token names the last run returned, so new runs do not shift later pages. */
function listRuns(context: Context): FakeAnswer {
  const jobId = last(context.query.job_id);
  const { sizeParam, tokenParam, maxPageSize } = DATABRICKS_CONTRACT.pagination;
  // 20: Databricks' own default (the client always asks for its maximum).
  const limit = Number(last(context.query[sizeParam]) ?? 20);
  if (!Number.isInteger(limit) || limit < 1 || limit > maxPageSize)
    return context.error(400, `limit must be between 1 and ${maxPageSize}`);
  const before = Number(last(context.query[tokenParam]) ?? Number.POSITIVE_INFINITY);
  const active = last(context.query.active_only) === 'true';
  const completed = last(context.query.completed_only) === 'true';
  const matching = (jobId === undefined ? allRuns(context) : context.runsOf(jobId)).filter((handle) => {
    const ended = context.peek(handle).endedAt !== undefined;
    return Number(handle.id) < before && !(active && ended) && !(completed && !ended);
  });
  const page = matching.slice(0, limit);
  const more = matching.length > page.length;
  return {
    status: 200,
    body: {
      ...(page.length ? { runs: page.map((handle) => run(context.read(handle))) } : {}),
      has_more: more,
      ...(more ? { next_page_token: page.at(-1)?.id } : {}),
    },
  };
}

function cancelRun(context: Context): FakeAnswer {
  const handle = found(context, (context.body as { run_id?: unknown } | undefined)?.run_id);
  if (!('seq' in handle)) return handle;
  context.cancel(handle); // a run already final stays as it is: Databricks answers {} all the same
  return { status: 200, body: {} };
}

/** The Databricks half of the fake in @anyjob/testing (the descriptor's `testing.load()` returns this module). */
export const fake: ProviderFake<DatabricksFakeRunFields> = {
  basePath: '',
  operations: databricksOperations,
  auth: { header: 'authorization', scheme: 'Bearer' },
  statusWords: [
    'QUEUED',
    'RUNNING',
    'TERMINATED/SUCCESS',
    'TERMINATED/RUN_EXECUTION_ERROR',
    'TERMINATED/USER_CANCELED',
  ],
  cancelingWord: 'TERMINATING',
  errorBody: (status, message) => ({
    error_code: ERROR_CODES[status] ?? (status >= 500 ? 'INTERNAL_ERROR' : 'BAD_REQUEST'),
    message,
  }),
  handlers: { runNow, getRun, listRuns, cancelRun },
};
