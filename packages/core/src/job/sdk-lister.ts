// A provider package's `*All` helper (`kognitosListRunsAll({ client, query })`) made from its list
// operation's generated SDK function and PaginationSpec, instead of written out per list.
import type { PaginationSpec } from './pagination.js';
import type { ListOptions } from './provider.js';
import { paginateSdk, type SdkListOptions } from './sdk-pages.js';

/** Every item of `operation`, page by page, for the options its SDK function `sdk` takes. */
export const sdkLister =
  <Item, Options extends SdkListOptions>(
    provider: string,
    operation: string,
    spec: PaginationSpec,
    sdk: (options: Options & { fetch: typeof globalThis.fetch; throwOnError: true }) => Promise<unknown>,
  ) =>
  (options: Options, pages: ListOptions = {}): AsyncIterable<Item> =>
    paginateSdk<Item, Options>(provider, operation, spec, options, pages, sdk);
