// getJobRun and listRunPage driven from data: the provider says which operation reads a run and
// which lists runs, how a ref and a query become their request parts, and what a wire run means
// (its JobRun parts); core checks the stored ref and its origin, checks the query with its schema,
// sends through the operation pipeline, pages by the contract's pagination and builds each JobRun
// by the contract's status. The trigger search reads its list through the same `pages`.

import { isPlainObject } from '../validation/request-checks.js';
import { parseRequest } from '../validation/request-schema.js';
import type { FieldChecks } from '../validation/response-checks.js';
import { checkSameRun, throwIfResponseIssues } from '../validation/response-checks.js';
import type { RequestParts, StandardSchema } from '../validation/schemas.js';
import { idText } from './exact-ids.js';
import { type RunParts, toJobRun } from './job-run.js';
import type { Page } from './list.js';
import type { ApiAnswer } from './operation.js';
import { checkRefOrigin } from './origin.js';
import {
  operationPages,
  type PageParams,
  type PaginateOptions,
  type PaginationSpec,
  readOperationPage,
} from './pagination.js';
import type { CallOptions, JobRefBase, JobRun, ListOptions, RunPage } from './provider.js';
import type { ProviderSetup } from './provider-setup.js';
import { type StatusSpec, valueAt } from './run-status.js';

/** One operation of the pipeline: its operationId, the generated SDK function and the fields read. */
export interface RunOperation {
  operation: string;
  /**
   * The generated SDK function, called with the pipeline's options and the request parts (typed
   * `never` here: each function types its own parts, which core cannot name).
   */
  send: (options: never) => Promise<unknown>;
  /** The answer's fields the provider reads (`satisfies FieldChecks<Answer>` keeps them typed). */
  fields?: FieldChecks<Record<string, unknown>>;
  /** The answer carries int64 ids: parse it exactly (an id beyond 2^53 keeps its digits). */
  exactIntegers?: boolean;
}

export interface RunOperationsConfig<Ref extends JobRefBase, Query, Run> {
  provider: string;
  /** The contract's status and pagination. */
  status: StatusSpec;
  pagination?: PaginationSpec;
  setup: ProviderSetup;
  /** Where the base URL is set, for a ref from another origin. */
  baseUrlSetting: string;
  /** The descriptor's ref check and run id (its RefShape). */
  refs: { check(ref: unknown, operation: string): Ref; runId(ref: Ref): string };
  /** A JobRun's parts (id, created, output, error) from a wire run; the ref is given. */
  run(run: Run): Omit<RunParts<Ref>, 'ref'>;
  get?: RunOperation & {
    /** The request parts that read the run of `ref` (may throw InvalidRequestError for a field it lacks). */
    parts(ref: Ref): RequestParts;
    /** Dotted path of the run in the answer; `''` when the answer is the run. */
    at: string;
    /** Dotted path of the run's id in the run, checked against the ref's. */
    id: string;
    /** The stored ref after a read (default: as stored, with the origin filled in). */
    ref?(ref: Ref, run: Run): Ref;
  };
  list?: RunOperation & {
    /** The schema of listJobRuns's query, whose issues name the caller's fields. */
    query: StandardSchema;
    /** The request parts of one page: the query's wire parts with the pagination's `params`. */
    parts(query: Query, params: PageParams): RequestParts;
    /** The ref of a listed run. */
    ref(run: Run, query: Query): Ref;
  };
}

export interface RunOperations<Ref extends JobRefBase, Query, Run> {
  /** Sends another operation (a trigger, a cancel) through the pipeline; `as` is the caller's name for it. */
  call<Data>(
    op: RunOperation,
    as: string,
    parts: RequestParts,
    options?: CallOptions,
  ): Promise<ApiAnswer<Data>>;
  /** The JobRun of a wire run, read by the contract's status. */
  jobRun(run: Run, ref: Ref, answer?: ApiAnswer<unknown>, raw?: unknown): JobRun<Ref>;
  /** A stored ref (or JobRun), checked, for the configured origin. */
  storedRef(run: JobRun<Ref> | Ref, operation: string): Ref;
  getJobRun(run: JobRun<Ref> | Ref, options?: CallOptions): Promise<JobRun<Ref>>;
  listRunPage(query: Query, cursor: unknown, options?: ListOptions): Promise<RunPage<Ref>>;
  /** The pages of the runs `query` selects, for a search that decides page by page when to stop. */
  pages(query: Query, options: CallOptions | undefined, paging: PaginateOptions): AsyncIterable<Page<Run>>;
}

function refOf<Ref>(run: unknown): Ref {
  const record = run as { ref?: unknown } | null;
  return (
    typeof record === 'object' && record !== null && typeof record.ref === 'object' && record.ref !== null
      ? record.ref
      : run
  ) as Ref;
}

export function runOperations<Ref extends JobRefBase, Query, Run>(
  config: RunOperationsConfig<Ref, Query, Run>,
): RunOperations<Ref, Query, Run> {
  const { provider, setup } = config;
  const call = <Data>(op: RunOperation, as: string, parts: RequestParts, options?: CallOptions) =>
    setup.api.call<Data>(
      {
        operation: op.operation,
        as,
        parts,
        send: (sdk) => op.send({ ...sdk, ...parts } as never),
        fields: op.fields,
        exactIntegers: op.exactIntegers,
      },
      options,
    );
  const withOrigin = (ref: Ref): Ref => ({ ...ref, origin: ref.origin ?? setup.connection().origin });

  const jobRun: RunOperations<Ref, Query, Run>['jobRun'] = (run, ref, answer, raw) =>
    toJobRun(config.status, run, { ...config.run(run), ref, ...(raw === undefined ? {} : { raw }) }, answer);

  const readPage = (query: Query, options?: CallOptions) => async (params: PageParams) => {
    const list = config.list as NonNullable<typeof config.list>;
    const answer = await call<unknown>(list, 'listJobRuns', list.parts(query, params), options);
    const items = config.pagination?.items ? valueAt(answer.data, config.pagination.items) : answer.data;
    if (Array.isArray(items)) {
      throwIfResponseIssues(
        provider,
        list.operation,
        items.flatMap((item, index) =>
          isPlainObject(item)
            ? []
            : [
                {
                  path: `response.${config.pagination?.items}[${index}]`,
                  rule: 'type',
                  message: 'must be a run object',
                },
              ],
        ),
      );
    }
    return { body: answer.data, headers: answer.response.headers };
  };

  const storedRef: RunOperations<Ref, Query, Run>['storedRef'] = (run, operation) => {
    const ref = config.refs.check(refOf(run), operation);
    checkRefOrigin(ref, setup.connection().baseUrl, config.baseUrlSetting);
    return ref;
  };

  return {
    call,
    jobRun,
    storedRef,
    async getJobRun(run, options) {
      const get = config.get as NonNullable<typeof config.get>;
      const ref = storedRef(run, 'getJobRun');
      const answer = await call<unknown>(get, 'getJobRun', get.parts(ref), options);
      const wire = (get.at === '' ? answer.data : valueAt(answer.data, get.at)) as Run;
      const path = ['response', get.at, get.id].filter(Boolean).join('.');
      // An integer id (int64, parsed exactly) is compared by its digits.
      const id = valueAt(wire, get.id);
      checkSameRun(provider, get.operation, path, config.refs.runId(ref), idText(id) ?? id);
      const next = withOrigin(get.ref ? get.ref(ref, wire) : ref);
      return jobRun(wire, next, answer, answer.data);
    },
    async listRunPage(query, cursor, options) {
      const list = config.list as NonNullable<typeof config.list>;
      parseRequest(provider, 'listJobRuns', list.query, query);
      const pagination = config.pagination as PaginationSpec;
      const context = { provider, operation: list.operation };
      const page = await readOperationPage<Run>(
        pagination,
        readPage(query, options),
        cursor,
        options?.pageSize,
        context,
      );
      return { runs: page.items.map((run) => jobRun(run, list.ref(run, query))), next: page.next };
    },
    pages(query, options, paging) {
      const list = config.list as NonNullable<typeof config.list>;
      const context = { provider, operation: list.operation };
      return operationPages<Run>(
        config.pagination as PaginationSpec,
        readPage(query, options),
        context,
        paging,
      );
    },
  };
}
