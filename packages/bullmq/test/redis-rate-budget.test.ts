// The shared budget against a real Redis (scripts/test-harness/redis-server.ts) and real worker
// processes (test/fixtures/budget-worker.mjs: core's fleet engine with `rateBudget`), hitting a
// loopback "provider" that records when each request arrived. Needs `pnpm build` (the workers
// import dist/).
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { ConfigError, RateBudgetUnavailableError, rateBudgetKey, tokenBucketShape } from '@anyjob/core';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { type RedisServer, startRedisServer } from '../../../scripts/test-harness/redis-server.js';
import { type NodeResult, startNode } from '../../../scripts/test-harness/spawn-node.js';
import { createRedisRateBudget, type RedisRateBudget } from '../src/index.js';

const WORKER = fileURLToPath(new URL('./fixtures/budget-worker.mjs', import.meta.url));
/**
 * How much later than its token a request may reach the server: arrival is timed here, and the
 * trip from a worker's take through its event loop, fetch and this process's event loop varies
 * (by hundreds of milliseconds on a loaded machine). Every bound below allows for it, and the
 * rates are low enough that a trip is worth at most a request or two.
 */
const TRIP_MS = 1_000;

interface Arrival {
  at: number;
  worker: string;
}

/** A loopback provider: each GET /runs/<id> is recorded and answered by `answer` (default: running). */
interface Provider {
  url: string;
  arrivals: Arrival[];
  answer: (
    arrival: Arrival,
    index: number,
  ) => { status: number; headers?: Record<string, string>; body: unknown };
  close(): Promise<void>;
}

async function startProvider(): Promise<Provider> {
  const provider: Provider = {
    url: '',
    arrivals: [],
    answer: () => ({ status: 200, body: { status: 'running' } }),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const arrival = { at: Date.now(), worker: url.searchParams.get('worker') ?? '' };
    provider.arrivals.push(arrival);
    const { status, headers, body } = provider.answer(arrival, provider.arrivals.length - 1);
    res.writeHead(status, { 'content-type': 'application/json', ...headers });
    res.end(JSON.stringify(body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  provider.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return provider;
}

let redis: RedisServer;
let provider: Provider;
let prefixes = 0;
const budgets: RedisRateBudget[] = [];

beforeAll(async () => {
  redis = await startRedisServer();
  provider = await startProvider();
});

afterAll(async () => {
  await provider?.close();
  await redis?.stop();
});

afterEach(async () => {
  await Promise.all(budgets.splice(0).map((budget) => budget.close()));
  provider.arrivals = [];
  provider.answer = () => ({ status: 200, body: { status: 'running' } });
});

/** A prefix of its own per test: the buckets of one test never carry over to the next. */
const nextPrefix = () => `anyjob-test:${process.pid}:${++prefixes}:`;

function startWorkers(count: number, env: Record<string, string>): Promise<NodeResult[]> {
  return Promise.all(
    Array.from(
      { length: count },
      (_, i) =>
        startNode(WORKER, [], {
          env: { REDIS_URL: redis.url, ORIGIN: provider.url, WORKER: `w${i}`, ...env },
        }).done,
    ),
  );
}

function summaries(results: NodeResult[]): { worker: string; outcomes: Record<string, number> }[] {
  return results.map((result) => {
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    return JSON.parse(result.stdout);
  });
}

const until = async (condition: () => boolean) => {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 20));
};

describe('one budget shared by worker processes', () => {
  it('3 processes at 60/min: no window holds more than the burst of 6 plus 0.9 a second', async () => {
    const results = await startWorkers(3, {
      PREFIX: nextPrefix(),
      RUNS: '10',
      RPM: '60',
      HORIZON_MS: '6000',
    });
    // Every run is still going at the horizon: each worker's wait ends by timing out.
    for (const summary of summaries(results))
      expect(Object.keys(summary.outcomes).every((name) => name.endsWith('TimeoutError'))).toBe(true);
    const { capacity, refillPerMs } = tokenBucketShape(60);
    expect(capacity).toBe(6);
    const times = provider.arrivals.map((arrival) => arrival.at).sort((a, b) => a - b);
    // Every window [times[i], times[j]] holds at most the burst plus what refilled over it and
    // over one trip (the requests at its start may have had their tokens up to TRIP_MS earlier),
    // so no 60-second window can hold more than 60. Without the shared bucket it would be 18 at once.
    let worst = Number.NEGATIVE_INFINITY;
    for (let i = 0; i < times.length; i++) {
      for (let j = i; j < times.length; j++) {
        const allowed = capacity + (times[j] - times[i] + TRIP_MS) * refillPerMs;
        worst = Math.max(worst, j - i + 1 - allowed);
      }
    }
    expect(worst).toBeLessThanOrEqual(0);
    // The budget was spent, not starved: the burst and then the refill went out.
    expect(times.length).toBeGreaterThan(capacity);
  });

  it('a 429 seen by one process pauses the others for its Retry-After', async () => {
    // At 600/min the workers send the burst of 60 at once, then 9 a second between them; the
    // 429 comes in the burst, with a pause long enough to outlast the trips already under way.
    let pausedAt: number | undefined;
    let pausedBy: string | undefined;
    provider.answer = (arrival, index) => {
      if (index !== 40) return { status: 200, body: { status: 'running' } };
      pausedAt = arrival.at;
      pausedBy = arrival.worker;
      return { status: 429, headers: { 'retry-after': '3' }, body: { message: 'slow down' } };
    };
    const results = await startWorkers(3, {
      PREFIX: nextPrefix(),
      RUNS: '20',
      RPM: '600',
      HORIZON_MS: '8000',
    });
    summaries(results);
    expect(pausedAt).toBeDefined();
    const at = pausedAt as number;
    // A request that had its token when the 429 arrived may land up to a trip after it; after
    // that, nobody sends until the three seconds are over, then the others go on.
    const during = provider.arrivals.filter(
      (arrival) => arrival.at > at + TRIP_MS && arrival.at < at + 2_900,
    );
    expect(during).toEqual([]);
    const after = provider.arrivals.filter((arrival) => arrival.at >= at + 3_000);
    expect(new Set(after.map((arrival) => arrival.worker))).toContain(pausedBy === 'w0' ? 'w1' : 'w0');
  });

  it('Redis restarted mid-run: no request goes out while it is down, then the workers go on and finish', async () => {
    const workers = startWorkers(3, {
      PREFIX: nextPrefix(),
      RUNS: '10',
      RPM: '600',
      HORIZON_MS: '30000',
      // Shorter than the outage: the workers' takes give up while Redis is down, and their waits
      // read the runs again later (the error is transient) instead of sending without a budget.
      UNREACHABLE_MS: '500',
    });
    // Past the burst of 60, the workers send 9 a second between them: few requests are on their
    // way at any moment, so the outage's arrivals are telling.
    await until(() => provider.arrivals.length >= 70);
    await redis.kill();
    const killedAt = Date.now();
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    const restartedAt = Date.now();
    await redis.start();
    await until(() => provider.arrivals.some((arrival) => arrival.at > restartedAt));
    provider.answer = () => ({ status: 200, body: { status: 'succeeded' } });
    const results = await workers;
    for (const summary of summaries(results)) expect(summary.outcomes).toEqual({ succeeded: 10 });
    // Fails closed: while Redis was down, only requests already on their way arrived.
    expect(provider.arrivals.filter((a) => a.at > killedAt + TRIP_MS && a.at < restartedAt)).toEqual([]);
    expect(new Set(provider.arrivals.filter((a) => a.at > restartedAt).map((a) => a.worker)).size).toBe(3);
  });
});

describe('the budget in one process', () => {
  const key = rateBudgetKey('loopback', 'http://127.0.0.1:1');

  it('bad options are a ConfigError naming the option, before any connection', () => {
    const settingOf = (build: () => unknown) => {
      try {
        build();
      } catch (error) {
        return ConfigError.isInstance(error) ? error.setting : error;
      }
      return 'no error';
    };
    const options = (value: object) => value as Parameters<typeof createRedisRateBudget>[0];
    expect(settingOf(() => createRedisRateBudget(options({})))).toBe('connection');
    expect(settingOf(() => createRedisRateBudget(options({ connection: redis.url, prefix: '' })))).toBe(
      'prefix',
    );
    expect(
      settingOf(() => createRedisRateBudget(options({ connection: redis.url, unreachableTimeoutMs: -1 }))),
    ).toBe('unreachableTimeoutMs');
  });

  it('gives the burst at once, then makes the next take wait for the refill', async () => {
    const budget = createRedisRateBudget({ connection: redis.url, prefix: nextPrefix() });
    budgets.push(budget);
    // 60/min: a burst of 6, then a token every 1.1 s.
    const { capacity } = tokenBucketShape(60);
    for (let i = 0; i < capacity; i++) await budget.take(key, { requestsPerMinute: 60 });
    const controller = new AbortController();
    let granted = false;
    const next = budget.take(key, { requestsPerMinute: 60, signal: controller.signal }).then(() => {
      granted = true;
    });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(granted).toBe(false);
    controller.abort();
    await expect(next).rejects.toMatchObject({ name: 'AbortError' });
  });

  /** `count` waiters taking from `budget` over and over, recording each grant; `stop()` aborts them. */
  function waiters(budget: RedisRateBudget, count: number, requestsPerMinute: number) {
    const controller = new AbortController();
    const granted: number[] = [];
    const wait = async () => {
      for (;;) {
        await budget.take(key, { requestsPerMinute, signal: controller.signal });
        granted.push(Date.now());
      }
    };
    const settled = Array.from({ length: count }, () =>
      wait().catch((error: unknown) => expect(error).toMatchObject({ name: 'AbortError' })),
    );
    const stop = () => {
      controller.abort();
      return Promise.all(settled);
    };
    return { granted, stop };
  }

  it('asks Redis once per wait for all of a process’s waiters, not once per waiter', async () => {
    const client = new Redis(redis.url, { maxRetriesPerRequest: null });
    const budget = createRedisRateBudget({ redis: client, prefix: nextPrefix() });
    budgets.push(budget);
    // 600/min: a burst of 60, then a token every 111 ms.
    const { capacity } = tokenBucketShape(600);
    for (let i = 0; i < capacity; i++) await budget.take(key, { requestsPerMinute: 600 });
    const calls = vi.spyOn(client, 'evalsha');
    const forty = waiters(budget, 40, 600);
    await until(() => forty.granted.length >= 8);
    await forty.stop();
    // One call per token and the odd early wake-up; forty waiters asking each would make ~40 a token.
    expect(calls.mock.calls.length).toBeLessThanOrEqual(3 * forty.granted.length + 4);
    await client.quit();
  });

  it('shares the tokens between processes that wait at once, not all to whichever asks first', async () => {
    const prefix = nextPrefix();
    const one = createRedisRateBudget({ connection: redis.url, prefix });
    const two = createRedisRateBudget({ connection: redis.url, prefix });
    budgets.push(one, two);
    // 6,000/min: a burst of 600 spent first, then a token every 11 ms for both to share.
    const { capacity } = tokenBucketShape(6_000);
    for (let i = 0; i < capacity; i++) await one.take(key, { requestsPerMinute: 6_000 });
    const first = waiters(one, 10, 6_000);
    const second = waiters(two, 10, 6_000);
    await until(() => first.granted.length + second.granted.length >= 60);
    await Promise.all([first.stop(), second.stop()]);
    const total = first.granted.length + second.granted.length;
    expect(first.granted.length).toBeGreaterThanOrEqual(total / 5);
    expect(second.granted.length).toBeGreaterThanOrEqual(total / 5);
  });

  it('a waiter aborted in line lets the ones behind it through', async () => {
    const budget = createRedisRateBudget({ connection: redis.url, prefix: nextPrefix() });
    budgets.push(budget);
    const { capacity } = tokenBucketShape(600);
    for (let i = 0; i < capacity; i++) await budget.take(key, { requestsPerMinute: 600 });
    const controller = new AbortController();
    const order: string[] = [];
    const take = (name: string, signal?: AbortSignal) =>
      budget.take(key, { requestsPerMinute: 600, signal }).then(
        () => order.push(name),
        () => order.push(`${name} aborted`),
      );
    const all = Promise.all([take('first'), take('second', controller.signal), take('third')]);
    controller.abort();
    await all;
    expect(order).toEqual(['second aborted', 'first', 'third']);
  });

  it('keeps the pause in Redis: another client sees it, and a shorter pause does not cut it', async () => {
    const prefix = nextPrefix();
    const one = createRedisRateBudget({ connection: redis.url, prefix });
    const two = createRedisRateBudget({ connection: redis.url, prefix });
    budgets.push(one, two);
    expect(await two.pausedUntil(key)).toBe(0);
    await one.pause(key, 60_000);
    await one.pause(key, 10);
    const until = await two.pausedUntil(key);
    expect(until).toBeGreaterThan(Date.now() + 50_000);
    const controller = new AbortController();
    const take = two.take(key, { requestsPerMinute: undefined, signal: controller.signal });
    setTimeout(() => controller.abort(), 50);
    await expect(take).rejects.toMatchObject({ name: 'AbortError' });
  });

  it('Redis unreachable: take fails closed with RateBudgetUnavailableError after unreachableTimeoutMs', async () => {
    const budget = createRedisRateBudget({
      connection: redis.url,
      prefix: nextPrefix(),
      unreachableTimeoutMs: 300,
    });
    budgets.push(budget);
    await budget.take(key, { requestsPerMinute: 600 });
    await redis.kill();
    try {
      const error = await budget.take(key, { requestsPerMinute: 600 }).then(
        () => undefined,
        (reason: unknown) => reason,
      );
      expect(RateBudgetUnavailableError.isInstance(error)).toBe(true);
      expect(error).toMatchObject({ key, message: expect.stringContaining('no request was sent') });
    } finally {
      await redis.start();
    }
    // Back again: the same budget answers once its client has reconnected (ioredis retries with
    // a growing delay), without being recreated.
    await vi.waitFor(() => budget.take(key, { requestsPerMinute: 600 }), { timeout: 10_000, interval: 100 });
  });
});
