// getJobRun and listRunPage driven from data, through the real pipeline (createProviderClient →
// setUpProvider → runOperations) against a fake API with offset pagination and nested runs.
import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { ConfigError, InvalidRequestError, ResponseValidationError } from '../errors/index.js';
import { createProviderClient } from '../transport/provider-client.js';
import type { OperationTable } from '../validation/schemas.js';
import type { CommonProviderSettings } from './provider.js';
import { setUpProvider } from './provider-setup.js';
import { refChecker } from './ref-fields.js';
import { runOperations } from './run-operations.js';
import { paginateSdk } from './sdk-pages.js';

interface Ref {
  provider: 'acme';
  runId: string;
  origin?: string;
}
interface Query {
  provider: 'acme';
  group: string;
}
interface WireRun {
  id: string;
  state: string;
}

const OPERATIONS: OperationTable = {
  getRun: { method: 'GET', url: '/runs/{id}', sideEffect: 'read', errors: {} },
  listRuns: { method: 'GET', url: '/groups/{group}/runs', sideEffect: 'read', errors: {} },
};
const RUNS: WireRun[] = [1, 2, 3, 4, 5].map((n) => ({ id: `r${n}`, state: n % 2 ? 'DONE' : 'RUNNING' }));
const BASE = 'http://api.test';

function fakeApi(answerId?: string, junk = false) {
  const seen: string[] = [];
  const fetch = (async (input: RequestInfo | URL, init?: RequestInit) => {
    const url = new URL((input instanceof Request ? input : new Request(input, init)).url);
    seen.push(`${url.pathname}${url.search}`);
    if (url.pathname.startsWith('/runs/')) {
      const id = url.pathname.slice('/runs/'.length);
      return Response.json({ run: { ...RUNS.find((run) => run.id === id), id: answerId ?? id } });
    }
    const offset = Number(url.searchParams.get('offset'));
    const limit = Number(url.searchParams.get('limit'));
    const items: unknown[] = RUNS.slice(offset, offset + limit);
    return Response.json({ items: junk ? [...items, 'x'] : items, total: 5 });
  }) as typeof globalThis.fetch;
  const createClient = (settings: CommonProviderSettings) =>
    createProviderClient({
      provider: 'acme',
      displayName: 'Acme',
      baseUrl: BASE,
      apiKey: () => 'acme-key-0123456789',
      operations: OPERATIONS,
      settings,
    });
  const setup = setUpProvider({
    provider: 'acme',
    settings: { fetch, maxRetries: 0 } as CommonProviderSettings,
    createClient,
    resolveBaseUrl: () => BASE,
    operations: OPERATIONS,
    fieldNames: [],
  });
  const send = (options: {
    client: { get: (o: object) => Promise<unknown> };
    path?: object;
    query?: object;
  }) =>
    options.client.get({
      ...options,
      url: 'path' in options && options.path && 'id' in options.path ? '/runs/{id}' : '/groups/{group}/runs',
    });
  const runs = runOperations<Ref, Query, WireRun>({
    provider: 'acme',
    status: { field: 'state', table: { done: 'succeeded', running: 'running' } },
    pagination: {
      style: 'offset',
      offsetParam: 'offset',
      sizeParam: 'limit',
      items: 'items',
      total: 'total',
      defaultPageSize: 2,
    },
    setup,
    baseUrlSetting: 'the `baseUrl` option',
    refs: { check: refChecker('acme', { runId: 'required' }), runId: (ref) => ref.runId },
    run: (run) => ({ id: run.id }),
    get: { operation: 'getRun', send, parts: (ref) => ({ path: { id: ref.runId } }), at: 'run', id: 'id' },
    list: {
      operation: 'listRuns',
      send,
      query: v.strictObject({ provider: v.optional(v.unknown()), group: v.string('`group` is required.') }),
      parts: (query, params) => ({ path: { group: query.group }, query: params }),
      ref: (run) => ({ provider: 'acme', runId: run.id, origin: BASE }),
    },
  });
  return { runs, seen, fetch };
}

describe('runOperations', () => {
  it('reads a run by its ref: the run at `at`, the status by the contract, the origin filled in', async () => {
    const { runs, seen } = fakeApi();
    const run = await runs.getJobRun({ provider: 'acme', runId: 'r2' });
    expect(run).toMatchObject({ id: 'r2', status: 'running', providerStatus: 'RUNNING' });
    expect(run.ref).toEqual({ provider: 'acme', runId: 'r2', origin: BASE });
    expect(run.raw).toEqual({ run: { id: 'r2', state: 'RUNNING' } });
    expect(seen).toEqual(['/runs/r2']);
  });

  it('refuses another run than the one asked for, a bad ref and a ref of another origin', async () => {
    const { runs, seen } = fakeApi('r9');
    await expect(runs.getJobRun({ provider: 'acme', runId: 'r2' })).rejects.toSatisfy(
      (error: unknown) =>
        ResponseValidationError.isInstance(error) && error.issues[0].path === 'response.run.id',
    );
    await expect(runs.getJobRun({ provider: 'acme' } as Ref)).rejects.toSatisfy(
      InvalidRequestError.isInstance,
    );
    await expect(
      runs.getJobRun({ provider: 'acme', runId: 'r1', origin: 'https://evil.test' }),
    ).rejects.toSatisfy(ConfigError.isInstance);
    expect(seen).toEqual(['/runs/r2']);
  });

  it('lists a page by the pagination and continues from its cursor; a bad query sends nothing', async () => {
    const { runs, seen } = fakeApi();
    await expect(runs.listRunPage({ provider: 'acme' } as Query, undefined)).rejects.toThrow(
      '`group` is required.',
    );
    const first = await runs.listRunPage({ provider: 'acme', group: 'g' }, undefined, { pageSize: 3 });
    expect(first.runs.map((run) => [run.id, run.status])).toEqual([
      ['r1', 'succeeded'],
      ['r2', 'running'],
      ['r3', 'succeeded'],
    ]);
    const second = await runs.listRunPage({ provider: 'acme', group: 'g' }, first.next, { pageSize: 3 });
    expect(second.runs.map((run) => run.id)).toEqual(['r4', 'r5']);
    expect(second.next).toBeUndefined();
    expect(seen).toEqual(['/groups/g/runs?limit=3&offset=0', '/groups/g/runs?limit=3&offset=3']);
  });

  it('refuses a listed item that is not a run object, naming where it is', async () => {
    const { runs } = fakeApi(undefined, true);
    await expect(runs.listRunPage({ provider: 'acme', group: 'g' }, undefined)).rejects.toSatisfy(
      (error: unknown) =>
        ResponseValidationError.isInstance(error) && error.issues[0].path === 'response.items[2]',
    );
  });
});

describe('paginateSdk', () => {
  it("pages an SDK list function from the caller's own offset and limit", async () => {
    const { fetch, seen } = fakeApi();
    const client = createProviderClient({
      provider: 'acme',
      displayName: 'Acme',
      baseUrl: BASE,
      apiKey: () => 'acme-key-0123456789',
      operations: OPERATIONS,
      settings: { fetch },
    });
    const spec = {
      style: 'offset',
      offsetParam: 'offset',
      sizeParam: 'limit',
      items: 'items',
      total: 'total',
    } as const;
    const items: unknown[] = [];
    const list = (options: { client: typeof client; query?: Record<string, unknown> }) =>
      options.client.get({ ...options, url: '/groups/g/runs' });
    for await (const item of paginateSdk(
      'acme',
      'listRuns',
      spec,
      { client, query: { offset: 1, limit: 2 } },
      {},
      list,
    )) {
      items.push(item);
    }
    expect(items).toEqual(RUNS.slice(1));
    expect(seen).toEqual(['/groups/g/runs?offset=1&limit=2', '/groups/g/runs?offset=3&limit=2']);
  });
});
