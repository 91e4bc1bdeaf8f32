// TrueFoundry's run list pages by offset up to `pagination.total`, declared once here and driven
// by core (`paginateOperation`), for truefoundryListJobRunsAll, listJobRuns and the trigger search.
import { type ListOptions, type PaginationSpec, paginateOperation } from '@anyjob/core';
import { callWithClient } from '@anyjob/core/internal';
import type { Options } from './generated/sdk.gen.js';
import { truefoundryListJobRuns } from './generated/sdk.gen.js';
import type { JobRun, ListJobRunsData, ListJobRunsResponse } from './generated/types.gen.js';

/** `GET /api/svc/v1/jobs/{jobId}/runs`: `offset` + `limit` (at most 1,000), `data`, `pagination.total`. */
export const TRUEFOUNDRY_RUN_PAGES = {
  style: 'offset',
  offsetParam: 'offset',
  sizeParam: 'limit',
  items: 'data',
  total: 'pagination.total',
  defaultPageSize: 100,
  maxPageSize: 1000,
} as const satisfies PaginationSpec;

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
  // The caller's own `offset` and `limit` are where the list starts and its page size.
  const spec: PaginationSpec = {
    ...TRUEFOUNDRY_RUN_PAGES,
    firstOffset: options.query?.offset ?? 0,
    defaultPageSize: options.query?.limit ?? TRUEFOUNDRY_RUN_PAGES.defaultPageSize,
  };
  return paginateOperation<JobRun>(
    spec,
    async (params) => {
      const { data } = await callWithClient<ListJobRunsResponse>(
        options.client,
        'listJobRuns',
        pages,
        (fetch) =>
          truefoundryListJobRuns({
            ...options,
            query: { ...options.query, ...params },
            fetch,
            throwOnError: true,
          }),
      );
      return { body: data };
    },
    { provider: 'truefoundry', operation: 'listJobRuns' },
    pages,
  );
}
