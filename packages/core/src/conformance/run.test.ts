// The runner's guarantees, on a client from createProviderClient with a stub fetch: only the
// spec's read operations are ever sent, a step sends its own operation, transport failures reject
// with anyjob's errors, and a body that is not JSON is a finding.
import { describe, expect, it } from 'vitest';
import { ConnectionError, InvalidRequestError } from '../errors/index.js';
import { createProviderClient } from '../transport/provider-client.js';
import type { ConformanceOperation } from './check.js';
import { type ConformancePlan, requireInput, runConformance } from './run.js';

const BASE = 'https://api.example.test/v2';
const KEY = 'conformance-unit-key-51fa';
const ITEM = { type: 'object', required: ['id'], properties: { id: { type: 'string' } } } as const;
const READS: Record<'listItems' | 'getItem', ConformanceOperation> = {
  listItems: {
    method: 'GET',
    url: '/items',
    responses: { '200': { type: 'object', properties: { items: { type: 'array', items: ITEM } } } },
  },
  getItem: { method: 'GET', url: '/items/{id}', responses: { '200': ITEM, '404': null } },
};

function stub(answers: Record<string, () => Response>) {
  const sent: string[] = [];
  const fetch: typeof globalThis.fetch = async (input, init) => {
    const url = new URL(String(input));
    const route = `${init?.method ?? 'GET'} ${url.pathname}`;
    sent.push(route);
    const answer = answers[route];
    if (!answer) throw new TypeError('fetch failed');
    return answer();
  };
  return { fetch, sent };
}

const json = (body: unknown, status = 200) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

function run(
  plan: ConformancePlan<Record<string, never>, 'listItems' | 'getItem'>,
  fetch: typeof globalThis.fetch,
) {
  return runConformance({
    plan,
    input: {},
    baseUrl: BASE,
    fetch,
    createClient: (guarded) =>
      createProviderClient({
        provider: 'acme',
        displayName: 'Acme',
        baseUrl: BASE,
        apiKey: () => KEY,
        operations: {
          listItems: { method: 'GET', url: '/items', sideEffect: 'read', errors: {} },
          getItem: { method: 'GET', url: '/items/{id}', sideEffect: 'read', errors: {} },
          createItem: { method: 'POST', url: '/items', sideEffect: 'trigger', errors: {} },
        },
        settings: { fetch: guarded, maxRetries: 0 },
      }),
  });
}

const plan = (steps: ConformancePlan<Record<string, never>, 'listItems' | 'getItem'>['steps']) => ({
  provider: 'acme',
  spec: 'specs/acme.yaml',
  operations: READS,
  steps,
});

describe('runConformance', () => {
  it('calls the steps in order, feeding each the earlier answers, and reports per check', async () => {
    const server = stub({
      'GET /v2/items': () => json({ items: [{ id: 'a1', colour: 'red' }] }),
      'GET /v2/items/a1': () => json({ id: 'a1' }),
    });
    const report = await run(
      plan([
        { operation: 'listItems', call: ({ sdk }) => sdk.client.get({ url: '/items', ...sdk }) },
        {
          operation: 'getItem',
          call: ({ sdk, answers }) => {
            const id = (answers.listItems as { items?: { id?: string }[] }).items?.[0]?.id;
            return id === undefined
              ? 'nothing listed'
              : sdk.client.get({ url: '/items/{id}', path: { id }, ...sdk });
          },
        },
      ]),
      server.fetch,
    );
    expect(server.sent).toEqual(['GET /v2/items', 'GET /v2/items/a1']);
    expect(report).toEqual({
      provider: 'acme',
      spec: 'specs/acme.yaml',
      conforms: false,
      checks: [
        { operation: 'listItems', method: 'GET', url: '/items', status: 200, findings: 1 },
        { operation: 'getItem', method: 'GET', url: '/items/{id}', status: 200, findings: 0 },
      ],
      findings: [
        {
          operation: 'listItems',
          status: 200,
          path: '$.items[].colour',
          kind: 'extra',
          expected: 'not in the spec',
          got: 'a string',
        },
      ],
    });
  });

  it('refuses to send anything but a read of the spec: a step calling a trigger sends nothing', async () => {
    const server = stub({ 'POST /v2/items': () => json({ id: 'new' }, 201) });
    await expect(
      run(
        plan([
          { operation: 'listItems', call: ({ sdk }) => sdk.client.post({ url: '/items', body: {}, ...sdk }) },
        ]),
        server.fetch,
      ),
    ).rejects.toThrow(
      /tried to send POST https:\/\/api.example.test\/v2\/items, which is not a read operation of specs\/acme.yaml; nothing was sent/,
    );
    expect(server.sent).toEqual([]);
  });

  it('a step must send its own operation, and name one of the reads', async () => {
    const server = stub({ 'GET /v2/items/x': () => json({ id: 'x' }) });
    await expect(
      run(
        plan([
          {
            operation: 'listItems',
            call: ({ sdk }) => sdk.client.get({ url: '/items/{id}', path: { id: 'x' }, ...sdk }),
          },
        ]),
        server.fetch,
      ),
    ).rejects.toThrow('step listItems sent getItem');
    await expect(
      run(plan([{ operation: 'createItem' as 'getItem', call: () => 'never' }]), server.fetch),
    ).rejects.toThrow('createItem is not a read operation of specs/acme.yaml');
  });

  it('an error answer stops the plan; an undocumented one is a status finding', async () => {
    const server = stub({ 'GET /v2/items': () => json({ message: 'who are you' }, 401) });
    const report = await run(
      plan([
        { operation: 'listItems', call: ({ sdk }) => sdk.client.get({ url: '/items', ...sdk }) },
        {
          operation: 'getItem',
          call: ({ sdk }) => sdk.client.get({ url: '/items/{id}', path: { id: 'a' }, ...sdk }),
        },
      ]),
      server.fetch,
    );
    expect(report.findings).toEqual([
      { operation: 'listItems', status: 401, path: '$', kind: 'status', expected: 'one of 200', got: '401' },
    ]);
    expect(report.checks[1].skipped).toBe('not called after listItems answered 401');
    expect(server.sent).toEqual(['GET /v2/items']);
  });

  it('a 2xx body that is not JSON is a finding; a transport failure rejects with its anyjob error', async () => {
    const broken = stub({
      'GET /v2/items': () =>
        new Response('{"items": [', { status: 200, headers: { 'content-type': 'application/json' } }),
    });
    const report = await run(
      plan([{ operation: 'listItems', call: ({ sdk }) => sdk.client.get({ url: '/items', ...sdk }) }]),
      broken.fetch,
    );
    expect(report.findings).toEqual([
      {
        operation: 'listItems',
        status: 200,
        path: '$',
        kind: 'type',
        expected: 'a JSON body',
        got: 'a body that is not valid JSON',
      },
    ]);
    const down = stub({});
    const failure = run(
      plan([{ operation: 'listItems', call: ({ sdk }) => sdk.client.get({ url: '/items', ...sdk }) }]),
      down.fetch,
    );
    await expect(failure).rejects.toSatisfy((error) => ConnectionError.isInstance(error));
  });

  it('requireInput names each missing field', () => {
    expect(() => requireInput('acme', { agentId: ' ' }, ['agentId', 'processId'])).toThrow(
      InvalidRequestError,
    );
    try {
      requireInput('acme', {}, ['agentId']);
    } catch (error) {
      expect((error as InvalidRequestError).issues).toEqual([
        { path: 'agentId', rule: 'required', message: '`agentId` is required.' },
      ]);
    }
  });
});
