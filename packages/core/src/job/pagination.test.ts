import { describe, expect, it } from 'vitest';
import { ResponseValidationError } from '../errors/index.js';
import { createProviderClient } from '../transport/provider-client.js';
import { createProviderApi } from './operation.js';
import {
  nextLinkOf,
  operationPages,
  type PageAnswer,
  type PageParams,
  type PaginationSpec,
  paginateOperation,
} from './pagination.js';

const context = { provider: 'acme', operation: 'listRuns' };

/** A fake list operation over `items`, recording the parameters of each request. */
function fakeList(total: number, answer: (params: PageParams, all: number[]) => PageAnswer) {
  const all = Array.from({ length: total }, (_, i) => i + 1);
  const seen: PageParams[] = [];
  const readPage = async (params: PageParams) => {
    seen.push(params);
    return answer(params, all);
  };
  return { readPage, seen };
}

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

describe('paginateOperation', () => {
  it('page: counts pages from firstPage and stops on a short page', async () => {
    const spec: PaginationSpec = { style: 'page', pageParam: 'page', sizeParam: 'per_page', items: 'runs' };
    const { readPage, seen } = fakeList(5, (p, all) => {
      const size = Number(p.per_page);
      return { body: { runs: all.slice((Number(p.page) - 1) * size, Number(p.page) * size) } };
    });
    expect(await collect(paginateOperation(spec, readPage, context, { pageSize: 2 }))).toEqual([
      1, 2, 3, 4, 5,
    ]);
    expect(seen).toEqual([
      { per_page: 2, page: 1 },
      { per_page: 2, page: 2 },
      { per_page: 2, page: 3 },
    ]);
  });

  it('page: stops at totalPages without reading an empty page', async () => {
    const spec: PaginationSpec = {
      style: 'page',
      pageParam: 'p',
      firstPage: 0,
      sizeParam: 'n',
      items: 'data',
      totalPages: 'meta.pages',
    };
    const { readPage, seen } = fakeList(4, (p, all) => ({
      body: { data: all.slice(Number(p.p) * 2, Number(p.p) * 2 + 2), meta: { pages: 2 } },
    }));
    expect(await collect(paginateOperation(spec, readPage, context, { pageSize: 2 }))).toEqual([1, 2, 3, 4]);
    expect(seen.map((p) => p.p)).toEqual([0, 1]);
  });

  it('offset: advances by each page and stops at the total', async () => {
    const spec: PaginationSpec = {
      style: 'offset',
      offsetParam: 'offset',
      sizeParam: 'limit',
      items: 'data',
      total: 'pagination.total',
      maxPageSize: 2,
    };
    const { readPage, seen } = fakeList(3, (p, all) => ({
      body: {
        data: all.slice(Number(p.offset), Number(p.offset) + Number(p.limit)),
        pagination: { total: 3 },
      },
    }));
    // pageSize 10 is lowered to maxPageSize 2.
    expect(await collect(paginateOperation(spec, readPage, context, { pageSize: 10 }))).toEqual([1, 2, 3]);
    expect(seen).toEqual([
      { limit: 2, offset: 0 },
      { limit: 2, offset: 2 },
    ]);
  });

  it('offset without a total: a full page asks for the next, a short one ends', async () => {
    const spec: PaginationSpec = { style: 'offset', offsetParam: 'skip', sizeParam: 'take', items: '' };
    const { readPage, seen } = fakeList(4, (p, all) => ({
      body: all.slice(Number(p.skip), Number(p.skip) + Number(p.take)),
    }));
    expect(await collect(paginateOperation(spec, readPage, context, { pageSize: 2 }))).toEqual([1, 2, 3, 4]);
    expect(seen.map((p) => p.skip)).toEqual([0, 2, 4]);
  });

  it('token: sends the previous next token until it is absent, and a null list is empty', async () => {
    const spec: PaginationSpec = {
      style: 'token',
      tokenParam: 'page_token',
      nextToken: 'next_page_token',
      sizeParam: 'limit',
      items: 'runs',
    };
    const pages: Record<string, unknown> = {
      first: { runs: [1, 2], next_page_token: 't2' },
      t2: { runs: null, next_page_token: 't3' },
      t3: { runs: [3], next_page_token: '' },
    };
    const { readPage, seen } = fakeList(0, (p) => ({ body: pages[String(p.page_token ?? 'first')] }));
    expect(await collect(paginateOperation(spec, readPage, context))).toEqual([1, 2, 3]);
    expect(seen).toEqual([{}, { page_token: 't2' }, { page_token: 't3' }]);
  });

  it("link: sends the next link's query to the same operation, never its origin", async () => {
    const spec: PaginationSpec = { style: 'link', sizeParam: 'per_page', items: 'workflow_runs' };
    const { readPage, seen } = fakeList(3, (p, all) => {
      const page = Number(p.page ?? 1);
      const next =
        page < 3
          ? `<https://elsewhere.example/repos/o/r/actions/runs?per_page=1&page=${page + 1}>; rel="next", `
          : '';
      return {
        body: { workflow_runs: all.slice(page - 1, page) },
        headers: new Headers({ link: `${next}<https://elsewhere.example/x?page=3>; rel="last"` }),
      };
    });
    expect(await collect(paginateOperation(spec, readPage, context, { pageSize: 1 }))).toEqual([1, 2, 3]);
    expect(seen).toEqual([{ per_page: 1 }, { per_page: '1', page: '2' }, { per_page: '1', page: '3' }]);
  });

  it('is lazy and stops after limit, asking for no more than it needs', async () => {
    const spec: PaginationSpec = {
      style: 'offset',
      offsetParam: 'o',
      sizeParam: 'n',
      items: 'i',
      defaultPageSize: 50,
    };
    const { readPage, seen } = fakeList(100, (p, all) => ({
      body: { i: all.slice(Number(p.o), Number(p.o) + Number(p.n)) },
    }));
    expect(await collect(paginateOperation(spec, readPage, context, { limit: 3 }))).toEqual([1, 2, 3]);
    expect(seen).toEqual([{ n: 3, o: 0 }]);
    for await (const _ of paginateOperation(spec, readPage, context)) break;
    expect(seen.at(-1)).toEqual({ n: 50, o: 0 });
    expect(seen).toHaveLength(2);
  });

  it('an answer whose list is not an array is a ResponseValidationError naming the path', async () => {
    const spec: PaginationSpec = { style: 'token', tokenParam: 't', nextToken: 'next', items: 'data.runs' };
    const readPage = async () => ({ body: { data: { runs: { id: 1 } } } });
    const error = await collect(paginateOperation(spec, readPage, context)).catch((e: unknown) => e);
    expect(ResponseValidationError.isInstance(error)).toBe(true);
    expect((error as Error).message).toContain('response.data.runs: must be an array');
  });
});

describe('operationPages', () => {
  it('yields whole pages and stops after maxPages', async () => {
    const spec: PaginationSpec = { style: 'token', tokenParam: 't', nextToken: 'next', items: 'items' };
    let n = 0;
    const readPage = async () => ({ body: { items: [++n], next: `t${n}` } });
    const pages = await collect(operationPages<number>(spec, readPage, context, { maxPages: 3 }));
    expect(pages.map((page) => page.items)).toEqual([[1], [2], [3]]);
    expect(n).toBe(3);
  });
});

describe('nextLinkOf', () => {
  it('finds rel="next" among several links, with a rel list, quoted or bare, any case', () => {
    expect(nextLinkOf('<https://a/x?page=1>; rel="prev", <https://a/x?page=3>; rel="next"')).toBe(
      'https://a/x?page=3',
    );
    expect(nextLinkOf('</x?page=2>; title="a, b"; rel="last next"')).toBe('/x?page=2');
    expect(nextLinkOf('<https://a/x?page=2>; REL=Next')).toBe('https://a/x?page=2');
    expect(nextLinkOf('<https://a/x?page=9>; rel="last"')).toBeUndefined();
    expect(nextLinkOf(null)).toBeUndefined();
  });
});

describe('link pagination through the operation pipeline', () => {
  it("reads the Link header of each answer and sends the next link's query, on the configured origin only", async () => {
    const seen: string[] = [];
    const fetch = (async (input: RequestInfo | URL, init?: RequestInit) => {
      const url = new URL((input instanceof Request ? input : new Request(input, init)).url);
      seen.push(url.href);
      const page = Number(url.searchParams.get('page') ?? 1);
      const link =
        page < 3
          ? `<https://elsewhere.example/repos/o/r/actions/runs?per_page=2&page=${page + 1}>; rel="next"`
          : '<https://elsewhere.example/repos/o/r/actions/runs?per_page=2&page=1>; rel="first"';
      return Response.json({ workflow_runs: [page * 10, page * 10 + 1] }, { headers: { link } });
    }) as typeof globalThis.fetch;
    const operations = { listRuns: { method: 'GET', url: '/runs', sideEffect: 'read' as const, errors: {} } };
    const client = createProviderClient({
      provider: 'acme',
      displayName: 'Acme',
      baseUrl: 'http://api.test',
      apiKey: () => 'acme-key-0123456789',
      operations,
      settings: { fetch },
    });
    const api = createProviderApi({
      provider: 'acme',
      client,
      operations,
      validateRequests: false,
      fieldNames: [],
    });
    const spec: PaginationSpec = { style: 'link', sizeParam: 'per_page', items: 'workflow_runs' };
    const runs = await collect(
      paginateOperation<number>(
        spec,
        async (params) => {
          const answer = await api.call({
            operation: 'listRuns',
            parts: { query: params },
            send: (sdk, parts) => sdk.client.get({ url: '/runs', query: parts.query, ...sdk }),
          });
          return { body: answer.data, headers: answer.response.headers };
        },
        context,
        { pageSize: 2 },
      ),
    );
    expect(runs).toEqual([10, 11, 20, 21, 30, 31]);
    expect(seen).toEqual([
      'http://api.test/runs?per_page=2',
      'http://api.test/runs?per_page=2&page=2',
      'http://api.test/runs?per_page=2&page=3',
    ]);
  });
});
