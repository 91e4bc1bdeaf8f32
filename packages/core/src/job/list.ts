// Listing with the provider's own pagination, lazily: one page is read when the previous one has
// been consumed, and nothing after `limit` runs.
import { InvalidRequestError } from '../errors/index.js';
import type { JobProvider, JobRefBase, JobRun, ListOptions } from './provider.js';

function checkCount(name: 'limit' | 'pageSize', value: unknown): void {
  if (value === undefined || (Number.isInteger(value) && (value as number) > 0)) return;
  const message = `\`${name}\` must be a whole number ≥ 1.`;
  throw new InvalidRequestError(message, {
    operation: 'listJobRuns',
    issues: [{ path: name, rule: 'minimum', message }],
  });
}

/** Every run `query` selects, page by page, as an async iterable. */
export function listRuns<Ref extends JobRefBase, Query>(
  provider: Pick<JobProvider<{ provider: string }, Ref, Query>, 'listRunPage'>,
  query: Query,
  options: ListOptions = {},
): AsyncIterable<JobRun<Ref>> {
  checkCount('limit', options.limit);
  checkCount('pageSize', options.pageSize);
  return {
    async *[Symbol.asyncIterator]() {
      const limit = options.limit ?? Number.POSITIVE_INFINITY;
      let yielded = 0;
      let cursor: unknown;
      do {
        const remaining = limit - yielded;
        const pageSize = Math.min(options.pageSize ?? remaining, remaining);
        const page = await provider.listRunPage(query, cursor, {
          ...options,
          pageSize: Number.isFinite(pageSize) ? pageSize : undefined,
        });
        for (const run of page.runs) {
          if (yielded >= limit) return;
          yield run;
          yielded++;
        }
        cursor = page.next;
      } while (cursor !== undefined && yielded < limit);
    },
  };
}
