// Every item of Kognitos's list operations, following its continuation tokens lazily.
import { type ListOptions, type Page, paginate } from '@anyjob/core';
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

/** Kognitos serves at most this many items per page. */
const MAX_PAGE = 100;

type ListCall<Data extends ListRunsData | ListProcessesData> = Omit<
  Options<Data, true>,
  'throwOnError' | 'fetch'
>;

function page<Item>(list: { items: Item[] | null; continuation_token: string | null }): Page<Item> {
  return { items: list.items ?? [], next: list.continuation_token ?? undefined };
}

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
  return paginate<Run>(async (cursor, pageSize) => {
    const query = {
      ...options.query,
      limit: Math.min(pageSize ?? options.query.limit ?? 10, MAX_PAGE),
      ...(typeof cursor === 'string' ? { continuation_token: cursor } : {}),
    };
    const { data } = await callWithClient<RunList>(options.client, 'listRuns', pages, (fetch) =>
      kognitosListRuns({ ...options, query, fetch, throwOnError: true }),
    );
    return page(data);
  }, pages);
}

/** Every process of an agent (`GET /processes`), page by page; see kognitosListRunsAll. */
export function kognitosListProcessesAll(
  options: ListCall<ListProcessesData>,
  pages: ListOptions = {},
): AsyncIterable<Process> {
  return paginate<Process>(async (cursor, pageSize) => {
    const query = {
      ...options.query,
      limit: Math.min(pageSize ?? options.query?.limit ?? 10, MAX_PAGE),
      ...(typeof cursor === 'string' ? { continuation_token: cursor } : {}),
    };
    const { data } = await callWithClient<ProcessList>(options.client, 'listProcesses', pages, (fetch) =>
      kognitosListProcesses({ ...options, query, fetch, throwOnError: true }),
    );
    return page(data);
  }, pages);
}
