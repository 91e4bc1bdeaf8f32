// A rate limit answered as 403 (a spent quota, `x-ratelimit-remaining: 0`, or a request to wait,
// `retry-after`) is a rate limit, not a permission problem: retried like a 429, reported as
// RateLimitError, and pausing every wait on the provider. Against the scripted loopback server,
// counting the requests that reached it.
import { describe, expect, it } from 'vitest';
import { useLoopbackServer } from '../../../../scripts/test-harness/loopback-server.js';
import { PermissionDeniedError, RateLimitError } from '../errors/index.js';
import { setRateBudget } from './pacing.js';
import { createLocalRateBudget, type RateBudget, rateBudgetKey } from './rate-budget.js';
import { isTransientError, rateLimitWaitMs } from './retry-policy.js';
import { type OperationInfo, type SendOptions, sendWithRetry } from './send.js';

const ROUTE = 'GET /runs';
const body = { message: 'API rate limit exceeded' };
const fast: SendOptions = { retryDelayMs: 1, maxRetryDelayMs: 2 };
let names = 0;

/** A provider of its own (pauses are process-wide), with every pause it gets recorded. */
function recordedProvider(sideEffect: OperationInfo['sideEffect'] = 'read') {
  const provider = `limited-${++names}`;
  const pauses: [string, number][] = [];
  const shared: RateBudget = {
    ...createLocalRateBudget(),
    async pause(key, ms) {
      pauses.push([key, ms]);
    },
  };
  setRateBudget(provider, shared);
  const op: OperationInfo = { provider, operation: 'listRuns', sideEffect };
  return { op, pauses, done: () => setRateBudget(provider, undefined) };
}

describe('a 403 that says it is a rate limit', () => {
  const server = useLoopbackServer();
  const get = (op: OperationInfo, options: SendOptions = fast) =>
    sendWithRetry(new Request(`${server.url}/runs`), op, options);

  it('a spent quota (x-ratelimit-remaining: 0) is retried once its reset has passed, and pauses the provider', async () => {
    const { op, pauses, done } = recordedProvider();
    try {
      const reset = String(Math.floor(Date.now() / 1000)); // already passed: no real wait
      server.script(ROUTE, [
        { status: 403, headers: { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': reset }, body },
        { body: { ok: true } },
      ]);
      const response = await get(op);
      expect(response.status).toBe(200);
      expect(server.count(ROUTE)).toBe(2);
      expect(pauses.map(([key]) => key)).toEqual([rateBudgetKey(op.provider, server.url)]);
    } finally {
      done();
    }
  });

  it('a secondary limit (retry-after) is a RateLimitError with the wait asked for, even on a trigger', async () => {
    const { op, pauses, done } = recordedProvider('trigger');
    try {
      server.script(ROUTE, { status: 403, headers: { 'retry-after': '0' }, body });
      const error = await get(op, { ...fast, maxRetries: 1 }).catch((e: unknown) => e);
      expect(RateLimitError.isInstance(error)).toBe(true);
      expect(error).toMatchObject({ status: 403, retryAfterMs: 0 });
      // The wait engine polls again later, as after a 429.
      expect(isTransientError(error)).toBe(true);
      // Refused before any work, so a trigger is retried like after a 429.
      expect(server.count(ROUTE)).toBe(2);
      expect(pauses).toHaveLength(2);
    } finally {
      done();
    }
  });

  it('a wait longer than maxRetryAfterMs is not waited for: RateLimitError with retryAfterMs, the provider paused', async () => {
    const { op, pauses, done } = recordedProvider();
    try {
      const reset = String(Math.floor(Date.now() / 1000) + 3600);
      server.script(ROUTE, {
        status: 403,
        headers: { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': reset },
        body,
      });
      const error = await get(op).catch((e: unknown) => e);
      expect(RateLimitError.isInstance(error)).toBe(true);
      expect((error as RateLimitError).retryAfterMs).toBeGreaterThan(3_500_000);
      expect(server.count(ROUTE)).toBe(1);
      // The shared pause is capped at five minutes (pacing.ts); the error says the whole wait.
      expect(pauses.map(([, ms]) => ms)).toEqual([300_000]);
    } finally {
      done();
    }
  });

  it('a 403 without those headers stays a PermissionDeniedError, not retried, nothing paused', async () => {
    const { op, pauses, done } = recordedProvider();
    try {
      server.script(ROUTE, {
        status: 403,
        headers: { 'x-ratelimit-remaining': '4999' },
        body: { message: 'Resource not accessible by integration' },
      });
      const error = await get(op).catch((e: unknown) => e);
      expect(PermissionDeniedError.isInstance(error)).toBe(true);
      expect(RateLimitError.isInstance(error)).toBe(false);
      expect(isTransientError(error)).toBe(false);
      expect(server.count(ROUTE)).toBe(1);
      expect(pauses).toEqual([]);
    } finally {
      done();
    }
  });
});

describe('rateLimitWaitMs', () => {
  const now = 1_800_000_000_000;
  const headers = (entries: Record<string, string>) => new Headers(entries);

  it('is Retry-After when given, else the time to x-ratelimit-reset once the quota is spent', () => {
    expect(rateLimitWaitMs(headers({ 'retry-after': '30', 'x-ratelimit-remaining': '0' }), now)).toBe(30_000);
    const reset = String(now / 1000 + 90);
    expect(rateLimitWaitMs(headers({ 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': reset }), now)).toBe(
      90_000,
    );
    expect(rateLimitWaitMs(headers({ 'x-ratelimit-remaining': '3', 'x-ratelimit-reset': reset }), now)).toBe(
      undefined,
    );
    expect(rateLimitWaitMs(headers({ 'x-ratelimit-remaining': '0' }), now)).toBe(undefined);
  });
});
