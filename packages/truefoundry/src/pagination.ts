// Every item of TrueFoundry's list operations, following its offset pagination lazily.
import { type ListOptions, paginate } from '@anyjob/core';
import { callWithClient } from '@anyjob/core/internal';
import type { Options } from './generated/sdk.gen.js';
import { truefoundryListJobRuns } from './generated/sdk.gen.js';
import type { JobRun, ListJobRunsData, ListJobRunsResponse } from './generated/types.gen.js';

/** TrueFoundry serves at most this many runs per page. */
const MAX_PAGE = 1000;

/**
 * Every run of a job (`GET /api/svc/v1/jobs/{jobId}/runs`), page by page: `offset` advances by
 * each page's length until `pagination.total` is reached. A page is read when the previous one
 * has been consumed; `limit` stops after that many runs, `pageSize` sets `limit` per request (up
 * to 1,000). Reads are retried like any read, and failures throw anyjob's typed errors.
 *
 *   for await (const run of truefoundryListJobRunsAll({ client, path: { jobId }, query: { status: ['RUNNING'] } })) …
 */
export function truefoundryListJobRunsAll(
  options: Omit<Options<ListJobRunsData, true>, 'throwOnError' | 'fetch'>,
  pages: ListOptions = {},
): AsyncIterable<JobRun> {
  return paginate<JobRun>(async (cursor, pageSize) => {
    const offset = typeof cursor === 'number' ? cursor : (options.query?.offset ?? 0);
    const limit = Math.min(pageSize ?? options.query?.limit ?? 100, MAX_PAGE);
    const { data } = await callWithClient<ListJobRunsResponse>(
      options.client,
      'listJobRuns',
      pages,
      (fetch) =>
        truefoundryListJobRuns({
          ...options,
          query: { ...options.query, offset, limit },
          fetch,
          throwOnError: true,
        }),
    );
    const items = data.data;
    const next = offset + items.length;
    return { items, next: items.length > 0 && next < data.pagination.total ? next : undefined };
  }, pages);
}
