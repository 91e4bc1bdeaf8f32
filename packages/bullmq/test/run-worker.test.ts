// Queued runs across worker processes, against a real Redis (scripts/test-harness/redis-server.ts,
// with an append-only file) and @anyjob/testing's fakes of Kognitos (whose trigger carries proof:
// a marked run name) and TrueFoundry (no proof) served by one listen() server in this process.
// The workers are real processes (test/fixtures/run-worker.mjs), killed with SIGKILL mid-trigger
// and mid-wait; the fake's own ledger (`fake.runs()`) says what was started. Needs `pnpm build`
// (the workers import dist/).
import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { tokenBucketShape } from '@anyjob/core';
import { createFakeProviders, type FakeProviders, type FakeServer } from '@anyjob/testing';
import { kognitos, truefoundry } from 'anyjob';
import { Queue } from 'bullmq';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type RedisServer, startRedisServer } from '../../../scripts/test-harness/redis-server.js';
import { type BatchResult, batchResults, batchStatus, enqueueRuns, type RunRequest } from '../src/index.js';

const WORKER = fileURLToPath(new URL('./fixtures/run-worker.mjs', import.meta.url));
/** How much later than its token a request may reach the fake (see redis-rate-budget.test.ts). */
const TRIP_MS = 1_000;

let redis: RedisServer;
let fake: FakeProviders;
let server: FakeServer;
const workers = new Set<Worker>();
const queues: Queue[] = [];
let tests = 0;

interface Worker {
  name: string;
  child: ChildProcess;
  ready: Promise<void>;
  exited: Promise<number | null>;
  stderr: () => string;
}

beforeAll(async () => {
  redis = await startRedisServer({ appendOnly: true });
  fake = await createFakeProviders({ providers: [kognitos, truefoundry] });
  server = await fake.listen();
});

afterEach(async () => {
  await Promise.all([...workers].map((worker) => stop(worker, 'SIGTERM')));
  await Promise.all(queues.splice(0).map((queue) => queue.close()));
  fake.reset();
});

afterAll(async () => {
  await server?.close();
  await redis?.stop();
});

function startWorker(name: string, config: Record<string, unknown>): Worker {
  const child = spawn(process.execPath, [WORKER], {
    env: {
      PATH: process.env.PATH ?? '',
      WORKER_CONFIG: JSON.stringify({
        redisUrl: redis.url,
        baseUrls: server.baseUrls,
        apiKeys: { kognitos: fake.apiKey('kognitos'), truefoundry: fake.apiKey('truefoundry') },
        worker: name,
        ...config,
      }),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  const ready = new Promise<void>((resolve, reject) => {
    child.stdout?.on('data', (chunk) => {
      stdout += chunk;
      if (stdout.includes('ready')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`worker ${name} exited (${code}):\n${stderr}`)));
  });
  child.stderr?.on('data', (chunk) => {
    stderr += chunk;
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const worker = { name, child, ready, exited, stderr: () => stderr };
  workers.add(worker);
  return worker;
}

async function stop(worker: Worker, signal: NodeJS.Signals): Promise<void> {
  workers.delete(worker);
  if (worker.child.exitCode === null && worker.child.signalCode === null) worker.child.kill(signal);
  await worker.exited;
}

/** A queue and a budget prefix of their own per test. */
function setting(): { queueName: string; budgetPrefix: string; queue: Queue } {
  const id = `${process.pid}-${++tests}`;
  const queueName = `runs-${id}`;
  const queue = new Queue(queueName, {
    connection: { host: '127.0.0.1', port: redis.port, maxRetriesPerRequest: null },
  });
  queue.on('error', () => {});
  queues.push(queue);
  return { queueName, budgetPrefix: `anyjob-test:${id}:`, queue };
}

const until = async (condition: () => boolean, timeoutMs = 30_000) => {
  const end = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > end) throw new Error('timed out waiting for a condition');
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
};

/** `n` requests, alternating providers; each carries its number, so the fake's runs say whose they are. */
function requests(n: number): RunRequest[] {
  return Array.from({ length: n }, (_, i) =>
    i % 2 === 0
      ? { provider: 'kognitos', agentId: 'agent1', processId: 'invoices', inputs: { n: i } }
      : { provider: 'truefoundry', applicationId: 'train', params: { n: String(i) } },
  );
}

/** The request number a fake run was triggered with. */
function numberOf(request: Readonly<Record<string, unknown>>): number {
  const inputs = request.inputs as Record<string, unknown> | undefined;
  const params = request.params as Record<string, unknown> | undefined;
  return Number(inputs?.n ?? params?.n);
}

async function collect(queue: Queue, batchId: string): Promise<BatchResult[]> {
  const results: BatchResult[] = [];
  for await (const result of batchResults(queue, batchId, { pollIntervalMs: 200 })) results.push(result);
  return results;
}

/**
 * The fake's ledger against the results: one result per request; no request started twice; every
 * run the fake started is either its request's final run or a candidate of its request's
 * unconfirmed result.
 */
function checkLedger(results: BatchResult[], total: number): void {
  expect(results).toHaveLength(total);
  expect(new Set(results.map((result) => result.index)).size).toBe(total);
  const byIndex = new Map(results.map((result) => [result.index, result]));
  const started = new Map<number, string[]>();
  for (const run of fake.runs()) {
    const n = numberOf(run.request);
    started.set(n, [...(started.get(n) ?? []), `${run.provider}:${run.id}`]);
  }
  const duplicates = [...started.entries()].filter(([, ids]) => ids.length > 1);
  expect(duplicates).toEqual([]);
  const lost: string[] = [];
  for (const run of fake.runs()) {
    const result = byIndex.get(numberOf(run.request));
    if (result === undefined) lost.push(run.id);
    else if (result.outcome === 'unconfirmed') {
      if (!result.error.candidates.some((candidate) => candidate.id === run.id)) lost.push(run.id);
    } else if (result.outcome === 'error' || result.run.id !== run.id) lost.push(run.id);
    else expect(result.run.status).toBe(run.status);
  }
  expect(lost).toEqual([]);
  for (const result of results) {
    if (result.outcome === 'unconfirmed') expect(result.error.candidates.length).toBeGreaterThan(0);
    else expect(result.outcome).not.toBe('error');
  }
}

const FAST = {
  wait: { pollIntervalMs: 200, maxPollIntervalMs: 1_000 },
  regroupMs: 300,
  lockDurationMs: 3_000,
  stalledIntervalMs: 1_000,
  requestsPerMinute: { kognitos: 1_000_000, truefoundry: 1_000_000 },
};

describe('createRunWorker across worker processes', () => {
  it('600 runs, 3 workers, one killed mid-trigger and one mid-wait: no run started twice, none lost, each result once', async () => {
    const { queue, queueName, budgetPrefix } = setting();
    const config = { ...FAST, queueName, budgetPrefix, concurrency: 150 };
    // Runs take about two seconds; a tenth fail and a tenth are canceled on the provider's side.
    fake
      .onTrigger('kognitos')
      .script([{ status: 'queued', ms: 300 }, { status: 'running', ms: 1_500 }, { status: 'succeeded' }]);
    fake
      .onTrigger('truefoundry')
      .script([{ status: 'queued', ms: 300 }, { status: 'running', ms: 1_500 }, { status: 'succeeded' }]);
    fake.onTrigger('kognitos', (request) => numberOf(request) % 10 === 4).fail('out of paper');
    fake.onTrigger('truefoundry', (request) => numberOf(request) % 10 === 5).cancel();
    // One trigger of each provider is created, then its answer never comes: its worker is killed
    // while it waits for it.
    fake.fault('kognitos', 'startRun', { kind: 'hang', afterCreate: true });
    fake.fault('truefoundry', 'triggerJob', { kind: 'hang', afterCreate: true });
    const first = ['w0', 'w1', 'w2'].map((name) => startWorker(name, config));
    await Promise.all(first.map((worker) => worker.ready));

    const batchId = 'crash';
    await enqueueRuns(queue, requests(600), { batchId });
    const results = collect(queue, batchId);

    // Mid-trigger: the workers holding the hung triggers.
    await until(() => fake.requests().filter((request) => request.fault === 'hang').length === 2);
    const hungBy = new Set(
      fake
        .requests()
        .filter((request) => request.fault === 'hang')
        .map((request) => request.headers['x-worker']),
    );
    const killed = first.filter((worker) => hungBy.has(worker.name));
    await Promise.all(killed.map((worker) => stop(worker, 'SIGKILL')));
    const spares = killed.map((worker) => startWorker(`${worker.name}-again`, config));
    // Mid-wait: a worker whose reads have started.
    const reads = (name: string) =>
      fake.requests().filter((request) => request.headers['x-worker'] === name && request.method === 'GET')
        .length;
    const survivor = first.find((worker) => !hungBy.has(worker.name));
    if (survivor) {
      await until(() => reads(survivor.name) > 0);
      await stop(survivor, 'SIGKILL');
      spares.push(startWorker(`${survivor.name}-again`, config));
    } else {
      // Both hung triggers were in one worker: kill a replacement once it waits.
      const spare = spares[0];
      await until(() => reads(spare.name) > 0);
      await stop(spare, 'SIGKILL');
      spares.push(startWorker(`${spare.name}-again`, config));
    }

    const all = await results;
    checkLedger(all, 600);
    const outcomes = (name: string) => all.filter((result) => result.outcome === name).length;
    expect(outcomes('failed')).toBeGreaterThan(0);
    expect(outcomes('canceled')).toBeGreaterThan(0);
    // A failed run fails its job with the run attached.
    const failed = all.find((result) => result.outcome === 'failed');
    expect(failed).toMatchObject({ outcome: 'failed', run: { status: 'failed', provider: 'kognitos' } });
    // The hung Kognitos trigger was found by its marker and waited for; the TrueFoundry one has
    // no proof: unconfirmed, its own run among the candidates (checkLedger).
    const hung = fake.requests().filter((request) => request.fault === 'hang');
    const hungKognitos = fake.runs('kognitos').find((run) => run.createdAt <= (hung[0]?.time ?? 0) + 1_000);
    expect(hungKognitos).toBeDefined();
    const unconfirmed = all.filter((result) => result.outcome === 'unconfirmed');
    expect(unconfirmed.length).toBeGreaterThanOrEqual(1);
    expect(unconfirmed.every((result) => result.request.provider === 'truefoundry')).toBe(true);
    const status = await batchStatus(queue, batchId);
    expect(status).toMatchObject({ total: 600, done: true });
    expect(status.counts.unconfirmed).toBe(unconfirmed.length);
  }, 90_000);

  it('60 requests a minute per provider, 3 workers: no window holds more than the bucket allows', async () => {
    // 60 a minute, not scaled: over eight seconds the bucket's own bound is checked on every
    // window [t_i, t_j] of each provider's requests — at most the burst of 6 plus 0.9 a second
    // (plus a trip) — which keeps every sliding 60-second window at 60 or fewer without a minute
    // of waiting. Triggers, gets and list pages all count.
    const { queue, queueName, budgetPrefix } = setting();
    const config = {
      ...FAST,
      queueName,
      budgetPrefix,
      concurrency: 20,
      requestsPerMinute: { kognitos: 60, truefoundry: 60 },
    };
    const started = ['b0', 'b1', 'b2'].map((name) => startWorker(name, config));
    await Promise.all(started.map((worker) => worker.ready));
    await enqueueRuns(queue, requests(40), { batchId: 'budget' });
    await new Promise((resolve) => setTimeout(resolve, 8_000));
    await Promise.all(started.map((worker) => stop(worker, 'SIGKILL')));
    const { capacity, refillPerMs } = tokenBucketShape(60);
    for (const provider of ['kognitos', 'truefoundry']) {
      const times = fake
        .requests({ provider })
        .map((request) => request.time)
        .sort((a, b) => a - b);
      let worst = Number.NEGATIVE_INFINITY;
      let widest = 0;
      for (let i = 0; i < times.length; i++) {
        for (let j = i; j < times.length; j++) {
          worst = Math.max(worst, j - i + 1 - (capacity + (times[j] - times[i] + TRIP_MS) * refillPerMs));
          if (times[j] - times[i] < 60_000) widest = Math.max(widest, j - i + 1);
        }
      }
      expect(worst).toBeLessThanOrEqual(0);
      expect(widest).toBeLessThanOrEqual(60);
      // Spent, not starved: more than the burst went out, from more than one worker.
      expect(times.length).toBeGreaterThan(capacity);
      const senders = new Set(fake.requests({ provider }).map((request) => request.headers['x-worker']));
      expect(senders.size).toBeGreaterThan(1);
    }
  }, 30_000);

  /** 200 runs on 3 workers; Redis killed (SIGKILL) once 100 have started, and started again `outageMs` later. */
  async function restartMidBatch(outageMs: number, lockDurationMs: number) {
    const { queue, queueName, budgetPrefix } = setting();
    const config = { ...FAST, queueName, budgetPrefix, concurrency: 100, lockDurationMs, debug: true };
    fake.onTrigger('kognitos').script([{ status: 'running', ms: 2_000 }, { status: 'succeeded' }]);
    fake.onTrigger('truefoundry').script([{ status: 'running', ms: 2_000 }, { status: 'succeeded' }]);
    const started = ['r0', 'r1', 'r2'].map((name) => startWorker(name, config));
    await Promise.all(started.map((worker) => worker.ready));
    const batchId = 'restart';
    await enqueueRuns(queue, requests(200), { batchId });
    await until(() => fake.runs().length >= 100);
    await redis.kill();
    await new Promise((resolve) => setTimeout(resolve, outageMs));
    await redis.start();
    const all = await collect(queue, batchId);
    // Every worker lived through it (a worker's stderr says why if not).
    expect(
      started.filter((worker) => worker.child.exitCode !== null).map((worker) => worker.stderr()),
    ).toEqual([]);
    checkLedger(all, 200);
    const stalled = started.flatMap((worker) => worker.stderr().match(/^stalled .+$/gm) ?? []);
    return { all, stalled };
  }

  it('Redis killed and started again mid-batch, the lock outlasting the outage: every run succeeds', async () => {
    // lockDurationMs above twice the outage plus a reconnect (see the README): a lock's expiry is a
    // time on Redis's clock, which runs on while Redis is down, and BullMQ renews a lock only every
    // quarter to half of its duration.
    const { all, stalled } = await restartMidBatch(1_500, 10_000);
    expect(stalled).toEqual([]);
    expect(all.filter((result) => result.outcome !== 'succeeded')).toEqual([]);
  }, 60_000);

  it('Redis down longer than what was left of the locks: jobs are handed on, none sent twice, none marked unsent', async () => {
    const { all, stalled } = await restartMidBatch(3_500, 3_000);
    // BullMQ did hand jobs on (else this test proves nothing).
    expect(stalled.length).toBeGreaterThan(0);
    // Kognitos' triggers carry proof: found whatever happened. A TrueFoundry job may end
    // unconfirmed only where its trigger did go out (its own run among the candidates): a job
    // whose former holder lost the lock before sending was never marked, and its taker sent it.
    expect(
      all.filter((result) => result.request.provider === 'kognitos' && result.outcome !== 'succeeded'),
    ).toEqual([]);
    const sent = new Set(fake.runs().map((run) => numberOf(run.request)));
    const unsent = all.filter((result) => !sent.has(result.index));
    expect(
      unsent.map(({ index, outcome, ...rest }) => ({
        index,
        outcome,
        error: 'error' in rest ? rest.error : undefined,
      })),
    ).toEqual([]);
  }, 60_000);
});
