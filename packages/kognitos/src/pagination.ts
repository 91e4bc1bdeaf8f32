// Kognitos's lists page by continuation token (KOGNITOS_PAGES, the contract's pagination), driven
// by core: the *All helpers here, listJobRuns and the trigger search read lists alike.
import type { ListOptions } from '@anyjob/core';
import { paginateSdk } from '@anyjob/core/internal';
import { kognitosListProcesses, kognitosListRuns, type Options } from './generated/sdk.gen.js';
import type { ListProcessesData, ListRunsData, Process, Run } from './generated/types.gen.js';
import { KOGNITOS_PAGES } from './provider.js';

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
  return paginateSdk<Run, typeof options>(
    'kognitos',
    'listRuns',
    KOGNITOS_PAGES,
    options,
    pages,
    kognitosListRuns,
  );
}

/** Every process of an agent (`GET /processes`), page by page; see kognitosListRunsAll. */
export function kognitosListProcessesAll(
  options: ListCall<ListProcessesData>,
  pages: ListOptions = {},
): AsyncIterable<Process> {
  return paginateSdk<Process, typeof options>(
    'kognitos',
    'listProcesses',
    KOGNITOS_PAGES,
    options,
    pages,
    kognitosListProcesses,
  );
}
