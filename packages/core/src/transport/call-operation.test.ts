import { describe, expect, it } from 'vitest';
import { ConnectionError, ResponseValidationError } from '../errors/index.js';
import { responseObject } from '../validation/response-checks.js';
import { callOperation } from './call-operation.js';
import type { OperationInfo, SendOptions } from './send.js';

const OP: OperationInfo = { provider: 'p', operation: 'getRun', sideEffect: 'read' };
const URL_ = 'http://api.test/runs/1';
const KEY = 'kog-0123456789abcdef';

/** A fetch answering `body` (and recording the requests' keys), as the transport's `fetch` option. */
function answering(body: string | (() => string), headers: Record<string, string> = {}) {
  const keys: (string | null)[] = [];
  const fetch = (async (input: RequestInfo | URL, init?: RequestInit) => {
    keys.push(new Headers(init?.headers).get('x-api-key'));
    void input;
    return new Response(typeof body === 'string' ? body : body(), {
      status: 200,
      headers: { 'content-type': 'application/json', ...headers },
    });
  }) as typeof globalThis.fetch;
  return { fetch, keys };
}

/** Runs one call the way a generated SDK function does: text(), then JSON.parse. */
function call(base: SendOptions, key = KEY) {
  let parsed: unknown;
  const result = callOperation<Record<string, unknown>>(OP, base, undefined, async (fetch) => {
    const response = await fetch(new Request(URL_, { headers: { 'x-api-key': key } }));
    const text = await response.text();
    parsed = JSON.parse(text);
    return { data: parsed, response };
  });
  return result.then(({ data }) => ({ data, parsed }));
}

describe('callOperation redacts what the answer echoes', () => {
  it('hands back what was parsed untouched when the text holds no key', async () => {
    const { fetch } = answering('{"id":"run-1","outputs":[{"name":"n","value":"v"}]}');
    const { data, parsed } = await call({ fetch, secrets: [] });
    expect(data).toBe(parsed);
  });

  it('leaves no watcher on the response it hands back (a kept response must not keep its text alive)', async () => {
    const { fetch } = answering('{"id":"run-1"}');
    let response: Response | undefined;
    await callOperation(OP, { fetch, secrets: [] }, undefined, async (send) => {
      response = await send(new Request(URL_, { headers: { 'x-api-key': KEY } }));
      return { data: JSON.parse(await response.text()), response };
    });
    // The watched text() was an own property closing over the call's scope (and so over the
    // whole text): a caller keeping responses (withResponse, a fleet's pages) kept every page.
    expect(response && Object.hasOwn(response, 'text')).toBe(false);
  });

  it('redacts a key echoed in the text, in any spelling', async () => {
    for (const spelling of [KEY, KEY.toUpperCase(), btoa(KEY).replace(/=+$/, '')]) {
      const { fetch } = answering(JSON.stringify({ note: `got ${spelling}`, [spelling]: 1 }));
      const { data } = await call({ fetch, secrets: [] });
      expect(data).toEqual({ note: 'got [redacted]', '[redacted]': 1 });
    }
  });

  it('redacts a key the text spells with JSON escapes (the parsed strings hold it)', async () => {
    const escaped = `{"note":"got \\u006b${KEY.slice(1)}"}`;
    expect(escaped).not.toContain(KEY);
    const { fetch } = answering(escaped);
    const { data, parsed } = await call({ fetch, secrets: [] });
    expect((parsed as { note: string }).note).toBe(`got ${KEY}`);
    expect(data).toEqual({ note: 'got [redacted]' });
  });

  it('redacts the key each request carried when the key changes between calls of one client', async () => {
    const secrets: string[] = [];
    const other = 'kog-fedcba9876543210';
    const { fetch } = answering(() => JSON.stringify({ a: KEY, b: other }));
    expect((await call({ fetch, secrets })).data).toEqual({ a: '[redacted]', b: other });
    expect((await call({ fetch, secrets }, other)).data).toEqual({ a: KEY, b: '[redacted]' });
    // A key added to the client's secrets (as its auth hook does) is redacted from then on.
    secrets.push(KEY);
    expect((await call({ fetch, secrets }, other)).data).toEqual({ a: '[redacted]', b: '[redacted]' });
  });

  it('redacts a key echoed in the headers it keeps: the request id, the content type it quotes', async () => {
    const { fetch } = answering('"not an object"', {
      'x-request-id': `req-${encodeURIComponent(KEY)}`,
      'content-type': `application/${KEY}`,
    });
    const result = await callOperation<unknown>(OP, { fetch, secrets: [] }, undefined, async (send) => {
      const response = await send(new Request(URL_, { headers: { 'x-api-key': KEY } }));
      return { data: JSON.parse(await response.text()), response };
    });
    expect(result.requestId).toBe('req-[redacted]');
    const error = (() => {
      try {
        return responseObject('p', 'getRun', result);
      } catch (thrown) {
        return thrown;
      }
    })();
    expect(ResponseValidationError.isInstance(error)).toBe(true);
    expect((error as Error).message).toContain('(application/[redacted])');
  });

  it('walks what was parsed when the reader did not read it through text()', async () => {
    const { fetch } = answering(JSON.stringify({ a: KEY }));
    const result = await callOperation<Record<string, unknown>>(
      OP,
      { fetch, secrets: [] },
      undefined,
      async (send) => {
        const response = await send(new Request(URL_, { headers: { 'x-api-key': KEY } }));
        const data = JSON.parse(new TextDecoder().decode(await response.arrayBuffer()));
        return { data, response };
      },
    );
    expect(result.data).toEqual({ a: '[redacted]' });
  });
});

describe('callOperation reports', () => {
  it('a connection failure with the origin it could not reach', async () => {
    const fetch = (async () => {
      throw new TypeError('fetch failed', { cause: { code: 'ECONNREFUSED' } });
    }) as typeof globalThis.fetch;
    const error = await call({ fetch, secrets: [], maxRetries: 0 }).catch((e: unknown) => e);
    expect(ConnectionError.isInstance(error)).toBe(true);
    expect((error as Error).message).toBe('p getRun could not reach http://api.test (ECONNREFUSED).');
  });
});
