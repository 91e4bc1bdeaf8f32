// The `*All` helpers a provider package exports beside its generated SDK functions
// (`kognitosListRunsAll({ client, query })`): every item of a list operation, driven by the
// operation's PaginationSpec, each page sent through the client's transport so it is retried like
// any read and fails with anyjob's typed errors. One implementation for every provider.
import type { Client } from '../fetch-client/index.js';
import { callWithClient } from '../transport/call-operation.js';
import { type PageParams, type PaginationSpec, paginateOperation } from './pagination.js';
import type { ListOptions } from './provider.js';

/** The options every generated SDK list function takes, plus the query it was given. */
export interface SdkListOptions {
  client: Client;
  query?: Record<string, unknown> & { limit?: number; offset?: number };
}

/**
 * Every item of `operation`, lazily, page by page. The caller's own `limit` query parameter sets
 * the page size, and a spec's offset starts at the caller's `offset`. `sdk` is the generated SDK
 * function, called with the caller's options, the page's query and the transport's `fetch`.
 */
export function paginateSdk<Item, Options extends SdkListOptions>(
  provider: string,
  operation: string,
  spec: PaginationSpec,
  options: Options,
  pages: ListOptions,
  sdk: (options: Options & { fetch: typeof globalThis.fetch; throwOnError: true }) => Promise<unknown>,
): AsyncIterable<Item> {
  const { limit, offset } = options.query ?? {};
  const own: PaginationSpec = {
    ...spec,
    ...(limit !== undefined && spec.sizeParam ? { defaultPageSize: limit } : {}),
    ...(offset !== undefined && spec.style === 'offset' ? { firstOffset: offset } : {}),
  };
  return paginateOperation<Item>(
    own,
    async (params: PageParams) => {
      const { data } = await callWithClient<unknown>(
        options.client,
        operation,
        pages,
        (fetch) =>
          sdk({ ...options, query: { ...options.query, ...params }, fetch, throwOnError: true }) as Promise<{
            data?: unknown;
          }>,
      );
      return { body: data };
    },
    { provider, operation },
    pages,
  );
}
