// Kognitos's lists page by continuation token (KOGNITOS_PAGES, the contract's pagination), driven
// by core: the *All helpers here, listJobRuns and the trigger search read lists alike.
import { sdkLister } from '@anyjob/core/internal';
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
export const kognitosListRunsAll = sdkLister<Run, ListCall<ListRunsData>>(
  'kognitos',
  'listRuns',
  KOGNITOS_PAGES,
  kognitosListRuns,
);

/** Every process of an agent (`GET /processes`), page by page; see kognitosListRunsAll. */
export const kognitosListProcessesAll = sdkLister<Process, ListCall<ListProcessesData>>(
  'kognitos',
  'listProcesses',
  KOGNITOS_PAGES,
  kognitosListProcesses,
);
