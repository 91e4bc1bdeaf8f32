// Kognitos's lists page by continuation token, declared once here and driven by core
// (`paginateOperation`), for the *All helpers, listJobRuns and the trigger search.
import { type ListOptions, type PaginationSpec, paginateOperation } from '@anyjob/core';
import { callWithClient } from '@anyjob/core/internal';
import type { Options } from './generated/sdk.gen.js';
import { kognitosListProcesses, kognitosListRuns } from './generated/sdk.gen.js';
import type {
  ListProcessesData,
  ListRunsData,
  Process,
  ProcessList,
  Run,
  RunList,
} from './generated/types.gen.js';

/** `GET /runs` and `GET /processes`: `limit` (at most 100), `items` (null when empty), `continuation_token`. */
export const KOGNITOS_PAGES = {
  style: 'token',
  tokenParam: 'continuation_token',
  nextToken: 'continuation_token',
  sizeParam: 'limit',
  items: 'items',
  defaultPageSize: 10,
  maxPageSize: 100,
} as const satisfies PaginationSpec;

type ListCall<Data extends ListRunsData | ListProcessesData> = Omit<
  Options<Data, true>,
  'throwOnError' | 'fetch'
>;

/**
 * Every run of a process (`GET /runs`), page by page, following `continuation_token` until it is
 * null. A page is read when the previous one has been consumed; `limit` stops after that many
 * runs, `pageSize` sets `limit` per request (up to 100). Reads are retried like any read, and
 * failures throw anyjob's typed errors.
 *
 *   for await (const run of kognitosListRunsAll({ client, query: { agent_id, process_id } })) …
 */
export function kognitosListRunsAll(
  options: ListCall<ListRunsData>,
  pages: ListOptions = {},
): AsyncIterable<Run> {
  return paginateOperation<Run>(
    { ...KOGNITOS_PAGES, defaultPageSize: options.query.limit ?? KOGNITOS_PAGES.defaultPageSize },
    async (params) => {
      const { data } = await callWithClient<RunList>(options.client, 'listRuns', pages, (fetch) =>
        kognitosListRuns({ ...options, query: { ...options.query, ...params }, fetch, throwOnError: true }),
      );
      return { body: data };
    },
    { provider: 'kognitos', operation: 'listRuns' },
    pages,
  );
}

/** Every process of an agent (`GET /processes`), page by page; see kognitosListRunsAll. */
export function kognitosListProcessesAll(
  options: ListCall<ListProcessesData>,
  pages: ListOptions = {},
): AsyncIterable<Process> {
  return paginateOperation<Process>(
    { ...KOGNITOS_PAGES, defaultPageSize: options.query?.limit ?? KOGNITOS_PAGES.defaultPageSize },
    async (params) => {
      const { data } = await callWithClient<ProcessList>(options.client, 'listProcesses', pages, (fetch) =>
        kognitosListProcesses({
          ...options,
          query: { ...options.query, ...params },
          fetch,
          throwOnError: true,
        }),
      );
      return { body: data };
    },
    { provider: 'kognitos', operation: 'listProcesses' },
    pages,
  );
}
