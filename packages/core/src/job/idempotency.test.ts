// An idempotent trigger through the real pipeline (createProviderClient → createProviderApi →
// sendWithRetry) against a fake provider that deduplicates by key: it creates a run for a new key
// and answers the same run for a key it has seen, and can fail after creating.
import { describe, expect, it } from 'vitest';
import { InvalidRequestError, TriggerUnconfirmedError } from '../errors/index.js';
import { createProviderClient } from '../transport/provider-client.js';
import type { OperationTable } from '../validation/schemas.js';
import {
  confirmIdempotentTrigger,
  type IdempotencySpec,
  idempotencyKey,
  withIdempotencyKey,
} from './idempotency.js';
import { createProviderApi } from './operation.js';
import type { JobRun } from './provider.js';

const OPERATIONS: OperationTable = {
  runNow: { method: 'POST', url: '/runs', sideEffect: 'trigger', errors: {} },
};

/** A provider that keeps one run per key; `failAfterCreate` answers 503 for that many requests. */
function fakeProvider(failAfterCreate: number) {
  const runs = new Map<string, string>();
  const keys: (string | undefined)[] = [];
  /** Calls of the trigger's `send`: the transport's retries happen inside one; a proof lookup is another. */
  const sends = { count: 0 };
  let failures = failAfterCreate;
  const fetch = (async (input: RequestInfo | URL, init?: RequestInit) => {
    const request = input instanceof Request ? input : new Request(input, init);
    const body = (await request.json()) as { idempotency_token?: string };
    const key = request.headers.get('idempotency-key') ?? body.idempotency_token;
    keys.push(key);
    if (key !== undefined && !runs.has(key)) runs.set(key, `run-${runs.size + 1}`);
    const runId = key === undefined ? `run-anon-${keys.length}` : (runs.get(key) as string);
    if (failures-- > 0) return new Response('{"error":"overloaded"}', { status: 503 });
    return Response.json({ run_id: runId });
  }) as typeof globalThis.fetch;
  return { fetch, runs, keys, sends };
}

function trigger(
  spec: IdempotencySpec,
  fake: ReturnType<typeof fakeProvider>,
  maxRetries: number,
  key?: string,
) {
  const client = createProviderClient({
    provider: 'acme',
    displayName: 'Acme',
    baseUrl: 'http://api.test',
    apiKey: () => 'acme-key-0123456789',
    operations: OPERATIONS,
    settings: { fetch: fake.fetch, retryDelayMs: 1, maxRetryDelayMs: 1, maxRetries },
  });
  const api = createProviderApi({
    provider: 'acme',
    client,
    operations: OPERATIONS,
    validateRequests: false,
    fieldNames: [],
  });
  return confirmIdempotentTrigger({
    provider: 'acme',
    operation: 'triggerJob',
    request: { jobId: 7 },
    hint: 'look at the job',
    idempotency: spec,
    key,
    searchDelaysMs: [],
    send: async (k, options) => {
      fake.sends.count++;
      const answer = await api.call<{ run_id: string }>(
        {
          operation: 'runNow',
          parts: { body: { job_id: 7 } },
          idempotency: { spec, key: k },
          send: (sdk, parts) =>
            sdk.client.post({ url: '/runs', body: parts.body, headers: parts.headers, ...sdk }),
        },
        options,
      );
      return {
        provider: 'acme',
        id: answer.data.run_id,
        status: 'queued',
        ref: { provider: 'acme' },
        raw: answer.data,
      } as JobRun;
    },
  });
}

const inBody: IdempotencySpec = { in: 'body', name: 'idempotency_token', maxLength: 64 };
const inHeader: IdempotencySpec = { in: 'header', name: 'Idempotency-Key' };

describe('confirmIdempotentTrigger', () => {
  it('retries a 5xx after the provider created the run, with the same key: one run', async () => {
    const fake = fakeProvider(1);
    const run = await trigger(inBody, fake, 2);
    expect(fake.keys).toHaveLength(2);
    expect(new Set(fake.keys).size).toBe(1);
    expect(fake.runs.size).toBe(1);
    expect(run.id).toBe('run-1');
    // Retried by the transport like a read, not found by a proof lookup.
    expect(fake.sends.count).toBe(1);
  });

  it('sends the key in a header where the spec says', async () => {
    const fake = fakeProvider(1);
    const run = await trigger(inHeader, fake, 2, 'my-key-1');
    expect(fake.keys).toEqual(['my-key-1', 'my-key-1']);
    expect(run.id).toBe('run-1');
  });

  it('after the retries are spent, re-sends the same key as the proof lookup and returns that run', async () => {
    // Two attempts fail (the first created the run); the proof lookup's answer is the run.
    const fake = fakeProvider(2);
    const run = await trigger(inBody, fake, 1);
    expect(fake.keys).toHaveLength(3);
    expect(fake.sends.count).toBe(2);
    expect(new Set(fake.keys).size).toBe(1);
    expect(fake.runs.size).toBe(1);
    expect(run.id).toBe('run-1');
  });

  it('when the proof lookup fails too, throws TriggerUnconfirmedError naming the key', async () => {
    const fake = fakeProvider(10);
    const error = await trigger(inBody, fake, 0).catch((e: unknown) => e);
    expect(TriggerUnconfirmedError.isInstance(error)).toBe(true);
    const unconfirmed = error as TriggerUnconfirmedError;
    expect(unconfirmed.reconciliation.outcome).toBe('failed');
    expect(unconfirmed.request.idempotencyKey).toBe(fake.keys[0]);
    expect(fake.runs.size).toBe(1);
  });
});

describe('idempotencyKey', () => {
  it('makes a new key per call, within maxLength', () => {
    const a = idempotencyKey(inBody, undefined, 'triggerJob');
    expect(a).not.toBe(idempotencyKey(inBody, undefined, 'triggerJob'));
    expect(idempotencyKey({ ...inBody, maxLength: 16 }, undefined, 'triggerJob')).toMatch(/^[0-9a-f]{16}$/);
  });

  it("takes the caller's key, refusing one that does not fit before any request", () => {
    expect(idempotencyKey(inBody, 'abc', 'triggerJob')).toBe('abc');
    for (const bad of ['', 'x'.repeat(65), 42]) {
      expect(() => idempotencyKey(inBody, bad, 'triggerJob')).toThrow(InvalidRequestError);
    }
  });

  it('puts the key in a copy of the parts', () => {
    const parts = { body: { job_id: 1 } };
    expect(withIdempotencyKey(inBody, parts, 'k')).toEqual({ body: { job_id: 1, idempotency_token: 'k' } });
    expect(withIdempotencyKey(inHeader, parts, 'k')).toEqual({
      ...parts,
      headers: { 'Idempotency-Key': 'k' },
    });
    expect(parts).toEqual({ body: { job_id: 1 } });
  });
});
