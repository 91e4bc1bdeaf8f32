// A list operation's pagination, declared once as data and driven by core: by page number, by
// offset, by a continuation token, or by the `Link` header's rel="next". The provider supplies
// only `readPage(params)`, which sends its list operation with these query parameters added; core
// decides the parameters of each page, where the items are, and whether there is a next page.
import { throwIfResponseIssues } from '../validation/response-checks.js';
import { type Page, paginate } from './list.js';
import type { ListOptions } from './provider.js';
import { valueAt } from './run-status.js';

interface PaginationBase {
  /** Dotted path of the items in the answer's body; `''` when the body is the array itself. */
  readonly items: string;
  /** The query parameter of the page size (`limit`, `per_page`); absent when the API has none. */
  readonly sizeParam?: string;
  /** Page size when the caller sets none. Default: the API's own (the parameter is not sent). */
  readonly defaultPageSize?: number;
  /** The API's largest page size; a larger `pageSize` is lowered to it. */
  readonly maxPageSize?: number;
}

/** `?page=1,2,…` (`firstPage` default 1). Ends on a short or empty page, or at `totalPages`. */
export interface PagePagination extends PaginationBase {
  readonly style: 'page';
  readonly pageParam: string;
  readonly firstPage?: number;
  /** Dotted path of the number of pages, where the answer says it. */
  readonly totalPages?: string;
}

/** `?offset=0,n,…`. Ends on an empty page, at `total`, or (without `total`) on a short page. */
export interface OffsetPagination extends PaginationBase {
  readonly style: 'offset';
  readonly offsetParam: string;
  /** The first page's offset. Default 0. */
  readonly firstOffset?: number;
  /** Dotted path of the total number of items, where the answer says it (`pagination.total`). */
  readonly total?: string;
}

/** `?token=…` from the previous answer's `nextToken` field. Ends when it is absent, null or empty. */
export interface TokenPagination extends PaginationBase {
  readonly style: 'token';
  readonly tokenParam: string;
  /** Dotted path of the next page's token in the answer (`next_page_token`). */
  readonly nextToken: string;
}

/**
 * The `Link` header's rel="next" (RFC 8288), as GitHub does. The next link's query parameters are
 * sent to the same operation: its origin and path are never followed, so a key is only ever sent
 * where the user configured. Ends when there is no rel="next".
 */
export interface LinkPagination extends PaginationBase {
  readonly style: 'link';
}

/** How a list operation pages, as data. */
export type PaginationSpec = PagePagination | OffsetPagination | TokenPagination | LinkPagination;

/** The query parameters of one page's request. */
export type PageParams = Record<string, string | number>;

/** What one page's request answered. */
export interface PageAnswer {
  body: unknown;
  headers?: Headers;
}

/** Reads one page: the list operation with `params` added to its query. */
export type ReadPage = (params: PageParams) => Promise<PageAnswer>;

/** Names for a ResponseValidationError when an answer has no list where the spec says. */
export interface PaginationContext {
  provider: string;
  operation: string;
}

/** Where the next page starts; opaque to callers (pass back a Page's `next`). */
type Cursor = { page: number } | { offset: number } | { token: string } | { params: PageParams };

function pageSizeFor(spec: PaginationSpec, wanted: number | undefined): number | undefined {
  const size = wanted ?? spec.defaultPageSize;
  if (size === undefined) return undefined;
  return spec.maxPageSize === undefined ? size : Math.min(size, spec.maxPageSize);
}

function paramsFor(spec: PaginationSpec, cursor: Cursor | undefined, size: number | undefined): PageParams {
  if (cursor && 'params' in cursor) return { ...cursor.params };
  const params: PageParams = {};
  if (size !== undefined && spec.sizeParam) params[spec.sizeParam] = size;
  switch (spec.style) {
    case 'page':
      params[spec.pageParam] = cursor && 'page' in cursor ? cursor.page : (spec.firstPage ?? 1);
      break;
    case 'offset':
      params[spec.offsetParam] = cursor && 'offset' in cursor ? cursor.offset : (spec.firstOffset ?? 0);
      break;
    case 'token':
      if (cursor && 'token' in cursor) params[spec.tokenParam] = cursor.token;
      break;
  }
  return params;
}

/**
 * The target of the `Link` header's rel="next", or undefined. A small parser rather than
 * `http-link-header`: core has no CommonJS dependency and needs only the next link; it splits on
 * commas outside `<…>` and quotes, and reads `rel` as a space-separated list (RFC 8288 §3.3).
 */
export function nextLinkOf(header: string | null | undefined): string | undefined {
  if (!header) return undefined;
  for (const link of splitOutside(header, ',')) {
    const target = /^\s*<([^>]*)>/.exec(link);
    if (!target) continue;
    for (const param of splitOutside(link.slice(target[0].length), ';')) {
      const [name, ...value] = param.split('=');
      if (name.trim().toLowerCase() !== 'rel') continue;
      const rels = value.join('=').trim().replace(/^"|"$/g, '').toLowerCase().split(/\s+/);
      if (rels.includes('next')) return target[1];
    }
  }
  return undefined;
}

/** `text` split on `separator` where it is outside `<…>` and double quotes. */
function splitOutside(text: string, separator: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quoted = false;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (char === '"') quoted = !quoted;
    else if (!quoted && char === '<') depth++;
    else if (!quoted && char === '>') depth = Math.max(0, depth - 1);
    else if (!quoted && depth === 0 && char === separator) {
      parts.push(text.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(text.slice(start));
  return parts;
}

function queryOf(link: string): PageParams {
  // Relative links resolve against any base: only the query is used.
  const url = new URL(link, 'http://link.invalid/');
  return Object.fromEntries(url.searchParams);
}

function present(value: unknown): boolean {
  return value !== undefined && value !== null && value !== '';
}

/**
 * Reads one page by the spec: `cursor` is the previous Page's `next` (undefined for the first),
 * `pageSize` the items wanted (bounded by the spec's `maxPageSize`).
 */
export async function readOperationPage<Item>(
  spec: PaginationSpec,
  readPage: ReadPage,
  cursor: unknown,
  pageSize: number | undefined,
  context: PaginationContext,
): Promise<Page<Item>> {
  const at = cursor as Cursor | undefined;
  const size = pageSizeFor(spec, pageSize);
  const params = paramsFor(spec, at, size);
  const { body, headers } = await readPage(params);
  const list = spec.items === '' ? body : valueAt(body, spec.items);
  // A null list is an empty page (some APIs send `items: null` on the last one).
  if (list !== null && list !== undefined && !Array.isArray(list)) {
    throwIfResponseIssues(context.provider, context.operation, [
      { path: `response${spec.items ? `.${spec.items}` : ''}`, rule: 'type', message: 'must be an array' },
    ]);
  }
  const items = (list ?? []) as Item[];
  const full = size === undefined || items.length >= size;
  let next: Cursor | undefined;
  switch (spec.style) {
    case 'page': {
      const page = Number(params[spec.pageParam]);
      const total = spec.totalPages ? valueAt(body, spec.totalPages) : undefined;
      const read = page - (spec.firstPage ?? 1) + 1;
      const more = typeof total === 'number' ? read < total : full;
      if (items.length > 0 && more) next = { page: page + 1 };
      break;
    }
    case 'offset': {
      const offset = Number(params[spec.offsetParam]) + items.length;
      const total = spec.total ? valueAt(body, spec.total) : undefined;
      const more = typeof total === 'number' ? offset < total : full;
      if (items.length > 0 && more) next = { offset };
      break;
    }
    case 'token': {
      const token = valueAt(body, spec.nextToken);
      if (present(token)) next = { token: String(token) };
      break;
    }
    case 'link': {
      const link = nextLinkOf(headers?.get('link'));
      if (link !== undefined) next = { params: queryOf(link) };
      break;
    }
  }
  return { items, next };
}

/** Options of a paginated read: `limit`, `pageSize`, and at most `maxPages` requests. */
export interface PaginateOptions extends Pick<ListOptions, 'limit' | 'pageSize'> {
  /** Stop after this many pages (a search that must stay bounded). Default: no bound. */
  maxPages?: number;
}

/**
 * Every page of a list operation, lazily: a page is read when the previous one has been consumed.
 * For a search that decides page by page when to stop (a run list sorted newest first).
 */
export function operationPages<Item>(
  spec: PaginationSpec,
  readPage: ReadPage,
  context: PaginationContext,
  options: PaginateOptions = {},
): AsyncIterable<Page<Item>> {
  return {
    async *[Symbol.asyncIterator]() {
      let cursor: unknown;
      for (let read = 0; read < (options.maxPages ?? Number.POSITIVE_INFINITY); read++) {
        const page = await readOperationPage<Item>(spec, readPage, cursor, options.pageSize, context);
        yield page;
        if (page.next === undefined) return;
        cursor = page.next;
      }
    },
  };
}

/**
 * Every item of a list operation, lazily (see `paginate`): one implementation for every style, so
 * listJobRuns, batched polling and reconciliation read lists alike.
 */
export function paginateOperation<Item>(
  spec: PaginationSpec,
  readPage: ReadPage,
  context: PaginationContext,
  options: Pick<ListOptions, 'limit' | 'pageSize'> = {},
): AsyncIterable<Item> {
  return paginate<Item>(
    (cursor, pageSize) => readOperationPage<Item>(spec, readPage, cursor, pageSize, context),
    options,
  );
}
