// A plan as data, on a client from createProviderClient with a stub fetch: each read's path and
// query are built from literals, the input and earlier answers; a read whose list came back empty
// is skipped with the plan's reason; bad input is refused before anything is sent.
import { describe, expect, it } from 'vitest';
import type { Client } from '../fetch-client/index.js';
import type { CommonProviderSettings } from '../job/provider.js';
import { createProviderClient } from '../transport/provider-client.js';
import type { ConformanceOperation } from './check.js';
import { type ConformanceDefinition, defineConformance, firstItem, fromInput } from './define.js';

const BASE = 'https://api.example.test/v2';
const ITEM = { type: 'object', properties: { id: { type: ['string', 'integer'] } } } as const;
const LIST = { type: 'object', properties: { items: { type: 'array', items: ITEM } } } as const;
type Read = 'listItems' | 'getItem';
const READS: Record<Read, ConformanceOperation> = {
  listItems: { method: 'GET', url: '/shops/{shop}/items', responses: { '200': LIST } },
  getItem: { method: 'GET', url: '/items/{id}', responses: { '200': ITEM } },
};

function stub(answers: Record<string, unknown>) {
  const sent: string[] = [];
  const fetch: typeof globalThis.fetch = async (input) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    sent.push(`${url.pathname}${url.search}`);
    return new Response(JSON.stringify(answers[url.pathname] ?? {}), {
      headers: { 'content-type': 'application/json' },
    });
  };
  return { fetch, sent };
}

// What a generated SDK function does: its route and security scheme, then the caller's options.
const listItems = (options: { client: Client }) =>
  options.client.get({
    security: [{ scheme: 'bearer', type: 'http' }],
    url: '/shops/{shop}/items',
    ...options,
  });
const getItem = (options: { client: Client }) =>
  options.client.get({ security: [{ scheme: 'bearer', type: 'http' }], url: '/items/{id}', ...options });

const created: CommonProviderSettings[] = [];
function define(overrides: Partial<ConformanceDefinition<CommonProviderSettings, Read>> = {}) {
  return defineConformance<CommonProviderSettings, Read>({
    provider: 'acme',
    operations: READS,
    createClient: (settings) => {
      created.push(settings);
      return createProviderClient({
        provider: 'acme',
        displayName: 'Acme',
        baseUrl: BASE,
        apiKey: () => 'define-unit-key-7c2e',
        operations: {},
        settings: { ...settings, maxRetries: 0 },
      });
    },
    resolveBaseUrl: () => BASE,
    required: ['shop'],
    reads: [
      {
        operation: 'listItems',
        send: listItems,
        path: { shop: fromInput('shop') },
        query: { limit: 10, colour: fromInput('colour') },
      },
      {
        operation: 'getItem',
        send: getItem,
        path: { id: fromInput('itemId', firstItem('listItems', 'items', 'id')) },
        skip: 'no item to read: the shop listed none',
      },
    ],
    ...overrides,
  });
}

describe('defineConformance', () => {
  it('sends literals, input fields and the first listed id; an absent optional field is left out', async () => {
    const server = stub({ '/v2/shops/s1/items': { items: [{ id: 'a1' }, { id: 'a2' }] } });
    const report = await define()({ fetch: server.fetch }, { shop: 's1' });
    expect(server.sent).toEqual(['/v2/shops/s1/items?limit=10', '/v2/items/a1']);
    expect(report.spec).toBe('specs/acme.yaml');
    expect(report.checks.map((check) => [check.operation, check.status])).toEqual([
      ['listItems', 200],
      ['getItem', 200],
    ]);
    // The client checks neither requests nor answers: what the API says of them is the report.
    expect(created.at(-1)).toMatchObject({ validateRequests: false, validateResponses: false });
  });

  it('an input field beats the list; an integer id is sent as it is', async () => {
    const server = stub({ '/v2/shops/s1/items': { items: [{ id: 9007199254740991 }] } });
    await define()({ fetch: server.fetch }, { shop: 's1', colour: 'red', itemId: 'b7' });
    await define()({ fetch: server.fetch }, { shop: 's1' });
    // A list whose answer is the array itself.
    const bare = stub({ '/v2/shops/s2/items': [{ id: 'c3' }] });
    const plain = define({
      reads: [
        { operation: 'listItems', send: listItems, path: { shop: fromInput('shop') } },
        { operation: 'getItem', send: getItem, path: { id: firstItem('listItems', '', 'id') } },
      ],
    });
    await plain({ fetch: bare.fetch }, { shop: 's2' });
    expect(server.sent).toEqual([
      '/v2/shops/s1/items?limit=10&colour=red',
      '/v2/items/b7',
      '/v2/shops/s1/items?limit=10',
      '/v2/items/9007199254740991',
    ]);
    expect(bare.sent).toEqual(['/v2/shops/s2/items', '/v2/items/c3']);
  });

  it('an empty list skips the read that needs its id, with the plan reason (or a default one)', async () => {
    const server = stub({ '/v2/shops/s1/items': { items: [{ id: '' }] } });
    const report = await define()({ fetch: server.fetch }, { shop: 's1' });
    expect(report.checks[1]).toEqual({
      operation: 'getItem',
      method: 'GET',
      url: '/items/{id}',
      findings: 0,
      skipped: 'no item to read: the shop listed none',
    });
    const unexplained = define({
      reads: [
        { operation: 'listItems', send: listItems, path: { shop: fromInput('shop') } },
        { operation: 'getItem', send: getItem, path: { id: firstItem('listItems', 'items', 'id') } },
      ],
    });
    const again = await unexplained({ fetch: stub({}).fetch }, { shop: 's1' });
    expect(again.checks[1].skipped).toBe('no id to send: the list before it was empty');
    // A path parameter the input lacks is never sent as its template (`/items/{id}`).
    const unnamed = define({
      required: [],
      reads: [{ operation: 'getItem', send: getItem, path: { id: fromInput('itemId') } }],
    });
    const missing = await unnamed({ fetch: server.fetch }, {});
    expect(missing.checks[0].skipped).toBe('no id to send: the input has none');
    expect(server.sent).toEqual(['/v2/shops/s1/items?limit=10']);
  });

  it('refuses missing input, and what prepare refuses, before anything is sent', async () => {
    const server = stub({});
    await expect(define()({ fetch: server.fetch }, { shop: ' ' })).rejects.toMatchObject({
      name: 'InvalidRequestError',
      issues: [{ path: 'shop', rule: 'required', message: '`shop` is required.' }],
    });
    const picky = define({
      prepare: (input) => {
        if (!String(input.shop).startsWith('s')) throw new RangeError('`shop` starts with s');
        return { ...input, shop: String(input.shop).toUpperCase() };
      },
    });
    await expect(picky({ fetch: server.fetch }, { shop: 'x1' })).rejects.toThrow('`shop` starts with s');
    expect(server.sent).toEqual([]);
    await picky({ fetch: server.fetch }, { shop: 's1' });
    expect(server.sent[0]).toBe('/v2/shops/S1/items?limit=10');
  });
});
