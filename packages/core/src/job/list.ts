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

/** One page of any list: its items and the cursor of the next page (undefined on the last). */
export interface Page<Item> {
  items: Item[];
  next: unknown;
}

/**
 * Every item of a paginated list as an async iterable: `readPage` is called for the first page
 * when iteration starts and for each next page only once the previous one has been consumed, with
 * the page size (never more than the items still wanted). Stops after `limit` items.
 */
export function paginate<Item>(
  readPage: (cursor: unknown, pageSize: number | undefined) => Promise<Page<Item>>,
  options: Pick<ListOptions, 'limit' | 'pageSize'> = {},
): AsyncIterable<Item> {
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
        const page = await readPage(cursor, Number.isFinite(pageSize) ? pageSize : undefined);
        for (const item of page.items) {
          if (yielded >= limit) return;
          yield item;
          yielded++;
        }
        cursor = page.next;
      } while (cursor !== undefined && yielded < limit);
    },
  };
}

/** Every run `query` selects, page by page, as an async iterable. */
export function listRuns<Ref extends JobRefBase, Query>(
  provider: Pick<JobProvider<{ provider: string }, Ref, Query>, 'listRunPage'>,
  query: Query,
  options: ListOptions = {},
): AsyncIterable<JobRun<Ref>> {
  return paginate(async (cursor, pageSize) => {
    const page = await provider.listRunPage(query, cursor, { ...options, pageSize });
    return { items: page.runs, next: page.next };
  }, options);
}
