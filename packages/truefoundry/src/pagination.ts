// TrueFoundry's run list pages by offset up to `pagination.total` (TRUEFOUNDRY_RUN_PAGES, the
// contract's pagination), driven by core for truefoundryListJobRunsAll, listJobRuns and the search.
import { sdkLister } from '@anyjob/core/internal';
import { type Options, truefoundryListJobRuns } from './generated/sdk.gen.js';
import type { JobRun, ListJobRunsData } from './generated/types.gen.js';
import { TRUEFOUNDRY_RUN_PAGES } from './provider.js';

/**
 * Every run of a job (`GET /api/svc/v1/jobs/{jobId}/runs`), page by page: `offset` advances by
 * each page's length until `pagination.total` is reached. A page is read when the previous one
 * has been consumed; `limit` stops after that many runs, `pageSize` sets `limit` per request (up
 * to 1,000). The caller's own `offset` and `limit` are where the list starts and its page size.
 * Reads are retried like any read, and failures throw anyjob's typed errors.
 *
 *   for await (const run of truefoundryListJobRunsAll({ client, path: { jobId }, query: { status: ['RUNNING'] } })) …
 */
export const truefoundryListJobRunsAll = sdkLister<
  JobRun,
  Omit<Options<ListJobRunsData, true>, 'throwOnError' | 'fetch'>
>('truefoundry', 'listJobRuns', TRUEFOUNDRY_RUN_PAGES, truefoundryListJobRuns);
