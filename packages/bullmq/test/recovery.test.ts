// What a worker does with a job another worker left behind, in this process, against a real Redis
// and @anyjob/testing's in-process fakes: a trigger recorded as being sent is searched for by its
// proof and never sent blindly; a run whose last status is final is not read again; and the
// providers' prepared triggers themselves (Kognitos' marker is proof, TrueFoundry has none).
import { type JobRun, TriggerUnconfirmedError } from '@anyjob/core';
import { createFakeProviders, type FakeProviders } from '@anyjob/testing';
import { kognitos, truefoundry } from 'anyjob';
import { Job, Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type RedisServer, startRedisServer } from '../../../scripts/test-harness/redis-server.js';
import {
  batchResults,
  batchStatus,
  createBatchReader,
  createRunWorker,
  enqueueRuns,
  RUN_JOB_NAME,
  type RunJobData,
  type RunWorker,
  type RunWorkerOptions,
  runJobId,
} from '../src/index.js';

let redis: RedisServer;
let fake: FakeProviders;
let queues = 0;
const open: { close(): Promise<void> }[] = [];

beforeAll(async () => {
  redis = await startRedisServer();
  fake = await createFakeProviders({ providers: [kognitos, truefoundry] });
});

afterEach(async () => {
  await Promise.all(open.splice(0).map((closable) => closable.close()));
  fake.reset();
});

afterAll(async () => {
  await redis?.stop();
});

const settings = () => ({
  fetch: fake.fetch,
  retryDelayMs: 1,
  kognitos: { baseUrl: fake.baseUrl('kognitos'), apiKey: fake.apiKey('kognitos') },
  truefoundry: { baseUrl: fake.baseUrl('truefoundry'), apiKey: fake.apiKey('truefoundry') },
});

const KOGNITOS = { provider: 'kognitos', agentId: 'agent1', processId: 'invoices' } as const;
const TRUEFOUNDRY = { provider: 'truefoundry', applicationId: 'train' } as const;

function providers() {
  return {
    kognitos: kognitos.create({ ...settings().kognitos, fetch: fake.fetch }),
    truefoundry: truefoundry.create({ ...settings().truefoundry, fetch: fake.fetch }),
  };
}

/** A queue of its own and a worker on it; `jobs` are added as they are, like a dead worker's. */
async function workOn(jobs: RunJobData[]): Promise<{ queue: Queue; worker: RunWorker; batchId: string }> {
  const { queue, name } = ownQueue();
  await queue.addBulk(
    jobs.map((data) => ({ name: RUN_JOB_NAME, data, opts: { jobId: runJobId(data.batchId, data.index) } })),
  );
  // A short lock: a job left in the middle of a trigger waits one lock duration for its former
  // holder (gone here) before the search runs again.
  return { queue, worker: startWorker(name, { lockDurationMs: 1_000 }), batchId: jobs[0].batchId };
}

function ownQueue(): { queue: Queue; name: string } {
  const name = `recovery-${process.pid}-${++queues}`;
  const queue = new Queue(name, { connection: { host: '127.0.0.1', port: redis.port } });
  open.push(queue);
  return { queue, name };
}

function startWorker(name: string, overrides: Partial<RunWorkerOptions> = {}): RunWorker {
  const worker = createRunWorker({
    connection: redis.url,
    queueName: name,
    providers: [kognitos, truefoundry],
    settings: settings(),
    rateBudget: undefined,
    requestsPerMinute: { kognitos: 1_000_000, truefoundry: 1_000_000 },
    wait: { pollIntervalMs: 50, maxPollIntervalMs: 200 },
    regroupMs: 50,
    ...overrides,
  });
  open.push(worker);
  return worker;
}

async function results(queue: Queue, batchId: string) {
  const all = [];
  for await (const result of batchResults(queue, batchId, { pollIntervalMs: 50 })) all.push(result);
  return all;
}

const until = async (condition: () => boolean) => {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 20));
};

const job = (request: RunJobData['request'], rest: Partial<RunJobData> = {}): RunJobData => ({
  batchId: 'left',
  index: 0,
  batchSize: 1,
  request,
  ...rest,
});

describe('a job another worker left behind', () => {
  it('Kognitos, sent before the worker died: found by its marker, waited for, never sent again', async () => {
    const { kognitos: provider } = providers();
    const prepared = await provider.prepareTrigger?.(KOGNITOS);
    expect(prepared?.proof?.name).toMatch(/^anyjob .+ [0-9a-f]{8}$/);
    const sentAt = Date.now();
    const run = (await provider.triggerPrepared?.(prepared as never)) as JobRun;
    const { queue, batchId } = await workOn([job(KOGNITOS, { step: 'sending', prepared, sentAt })]);
    const [result] = await results(queue, batchId);
    expect(result).toMatchObject({ outcome: 'succeeded', run: { id: run.id, status: 'succeeded' } });
    expect(fake.requests({ operation: 'startRun' })).toHaveLength(1);
  });

  it('Kognitos, recorded but never sent: no run carries the marker, so it is sent once, with it', async () => {
    const { kognitos: provider } = providers();
    // Another run of the same process, by another caller: not proof of anything.
    await provider.triggerJob(KOGNITOS);
    const prepared = await provider.prepareTrigger?.(KOGNITOS);
    const { queue, batchId } = await workOn([
      job(KOGNITOS, { step: 'sending', prepared, sentAt: Date.now() }),
    ]);
    const [result] = await results(queue, batchId);
    expect(result.outcome).toBe('succeeded');
    const runs = fake.runs('kognitos');
    expect(runs).toHaveLength(2);
    expect(runs[1].request.name).toBe(prepared?.proof?.name);
  }, 15_000);

  it('TrueFoundry, no proof: ends unconfirmed with its run among the candidates, never sent again', async () => {
    const { truefoundry: provider } = providers();
    const prepared = await provider.prepareTrigger?.(TRUEFOUNDRY);
    expect(prepared?.proof).toBeUndefined();
    const sentAt = Date.now();
    const run = (await provider.triggerPrepared?.(prepared as never)) as JobRun;
    const { queue, batchId } = await workOn([job(TRUEFOUNDRY, { step: 'sending', prepared, sentAt })]);
    const [result] = await results(queue, batchId);
    expect(result.outcome).toBe('unconfirmed');
    if (result.outcome !== 'unconfirmed') return;
    expect(result.error.reconciliation.outcome).toBe('unproven');
    expect(result.error.candidates.map((candidate) => candidate.id)).toContain(run.id);
    expect(fake.requests({ operation: 'triggerJob' })).toHaveLength(1);
  }, 15_000);

  it('TrueFoundry, marked by a worker that then sent nothing: its mark taken back while the new holder waits, sent once', async () => {
    const { truefoundry: provider } = providers();
    const prepared = await provider.prepareTrigger?.(TRUEFOUNDRY);
    const mark = job(TRUEFOUNDRY, { step: 'sending', prepared, sentAt: Date.now(), sendId: 'former' });
    const { queue, name } = ownQueue();
    const id = runJobId(mark.batchId, mark.index);
    await queue.add(RUN_JOB_NAME, mark, { jobId: id });
    startWorker(name, { lockDurationMs: 10_000 });
    // The new holder searched (its third and last list read, a second and three seconds after the
    // first), found nothing proven, and waits on the former holder...
    await until(() => fake.requests({ provider: 'truefoundry', method: 'GET' }).length >= 3);
    // ...which takes its mark back a while later, as a worker whose mark was refused does.
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const left = await Job.fromId<RunJobData>(queue, id);
    await left?.updateData({ ...mark, step: undefined, sendId: undefined });
    const [result] = await results(queue, mark.batchId);
    expect(result.outcome).toBe('succeeded');
    expect(fake.requests({ operation: 'triggerJob' })).toHaveLength(1);
  }, 15_000);

  it('a run whose recorded status is final is not read again; one still running is read on', async () => {
    const { kognitos: provider } = providers();
    fake.onTrigger('kognitos').succeed();
    const done = await provider.triggerJob(KOGNITOS);
    const going = await provider.triggerJob(KOGNITOS);
    const { queue, batchId } = await workOn([
      job(KOGNITOS, { step: 'waiting', ref: done.ref, status: 'succeeded', batchSize: 2 }),
      job(KOGNITOS, { index: 1, step: 'waiting', ref: going.ref, status: 'running', batchSize: 2 }),
    ]);
    const all = await results(queue, batchId);
    expect(all.map((result) => result.outcome)).toEqual(['succeeded', 'succeeded']);
    const reads = fake.requests({ provider: 'kognitos', method: 'GET' });
    expect(reads.length).toBeGreaterThan(0);
    // Every read was of the running one: the finished run's id is in no get.
    expect(reads.filter((request) => request.url.includes(done.id))).toEqual([]);
    expect(fake.runs('kognitos').find((run) => run.id === done.id)?.polls).toBe(0);
  });
});

describe('a lock that lapsed (by Redis clock, as during an outage)', () => {
  it('before the trigger went out: the job is handed on unsent and not marked as sending, then sent once', async () => {
    const { queue, name } = ownQueue();
    let release = () => {};
    let asked = () => {};
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    const askedForToken = new Promise<void>((resolve) => {
      asked = resolve;
    });
    let first = true;
    // The trigger's token (the first request) comes only once the test has taken the lock away.
    const rateBudget = {
      async take() {
        if (!first) return;
        first = false;
        asked();
        await held;
      },
      async pause() {},
      async pausedUntil() {
        return 0;
      },
    };
    startWorker(name, { rateBudget, lockDurationMs: 2_000, stalledIntervalMs: 300 });
    await enqueueRuns(queue, [TRUEFOUNDRY], { batchId: 'lapsed' });
    await askedForToken;
    const keys = new Redis(redis.url);
    expect(await keys.del(`bull:${name}:${runJobId('lapsed', 0)}:lock`)).toBe(1);
    await keys.quit();
    release();
    const [result] = await results(queue, 'lapsed');
    // Marked as sending by a worker that no longer held it, TrueFoundry (no proof) would end
    // unconfirmed; unmarked, the next taker sends it, once.
    expect(result.outcome).toBe('succeeded');
    expect(fake.requests({ operation: 'triggerJob' })).toHaveLength(1);
  }, 20_000);
});

describe('closing a worker', () => {
  it('hands the runs it waits for back to the queue, their record intact, for the next worker', async () => {
    const { kognitos: provider } = providers();
    fake.onTrigger('kognitos').runningFor(60_000).succeed();
    const going = await provider.triggerJob(KOGNITOS);
    const { queue, worker, batchId } = await workOn([
      job(KOGNITOS, { step: 'waiting', ref: going.ref, status: 'running' }),
    ]);
    const id = runJobId(batchId, 0);
    await until(() => fake.requests({ provider: 'kognitos', method: 'GET' }).length > 0);
    await worker.close();
    const left = await queue.getJob(id);
    expect(await left?.getState()).toBe('waiting');
    expect(left?.data).toMatchObject({ step: 'waiting', ref: going.ref, status: 'running' });
    expect(fake.requests({ operation: 'startRun' })).toHaveLength(1);
  });
});

describe('a batch', () => {
  it('enqueued twice with the same batchId (and again once done) is added, and triggered, once', async () => {
    const { queue, name } = ownQueue();
    const requests = [KOGNITOS, TRUEFOUNDRY, { ...KOGNITOS, inputs: { n: 2 } }];
    const first = await enqueueRuns(queue, requests, { batchId: 'twice' });
    const again = await enqueueRuns(queue, requests, { batchId: 'twice' });
    expect(again.jobIds).toEqual(first.jobIds);
    expect(await queue.getJobCountByTypes('waiting', 'active', 'completed', 'failed')).toBe(3);
    startWorker(name);
    expect(await results(queue, 'twice')).toHaveLength(3);
    await enqueueRuns(queue, requests, { batchId: 'twice' });
    expect(await queue.getJobCountByTypes('waiting', 'active', 'completed', 'failed')).toBe(3);
    expect((await batchStatus(queue, 'twice')).done).toBe(true);
    expect(fake.runs()).toHaveLength(3);
  });

  it('is read by its id alone on a worker and on a createBatchReader, as on its queue', async () => {
    const { queue, name } = ownQueue();
    fake
      .onTrigger('kognitos', (request) => (request.inputs as { n?: number } | undefined)?.n === 1)
      .fail('no');
    await enqueueRuns(queue, [KOGNITOS, { ...KOGNITOS, inputs: { n: 1 } }, TRUEFOUNDRY], {
      batchId: 'by-id',
    });
    const worker = startWorker(name);
    const reader = createBatchReader({ connection: redis.url, queueName: name });
    open.push(reader);
    const fromWorker = [];
    for await (const result of worker.batchResults('by-id', { pollIntervalMs: 50 })) fromWorker.push(result);
    expect(fromWorker.map((result) => [result.index, result.outcome]).sort()).toEqual([
      [0, 'succeeded'],
      [1, 'failed'],
      [2, 'succeeded'],
    ]);
    const fromReader = [];
    for await (const result of reader.batchResults('by-id')) fromReader.push(result);
    expect(fromReader).toEqual(await results(queue, 'by-id'));
    const expected = { batchId: 'by-id', total: 3, counts: { succeeded: 2, failed: 1 }, done: true };
    expect(await worker.batchStatus('by-id')).toEqual(expected);
    expect(await reader.batchStatus('by-id')).toEqual(expected);
    expect(await batchStatus(queue, 'by-id')).toEqual(expected);
    // Another queue's reader sees no such batch.
    const elsewhere = createBatchReader({ connection: redis.url });
    open.push(elsewhere);
    expect(await elsewhere.batchStatus('by-id')).toMatchObject({ total: 0 });
    await expect(reader.batchStatus('no:colon')).rejects.toThrow(/batchId/);
  });
});

describe('prepared triggers', () => {
  it('a TriggerUnconfirmedError names what was searched when nothing was sent and there is no proof', async () => {
    const { truefoundry: provider } = providers();
    const prepared = await provider.prepareTrigger?.({ ...TRUEFOUNDRY, applicationId: 'nothing-here' });
    const error = await provider
      .findPreparedRun?.(prepared as never, { sentAt: Date.now() - 1_000, endedAt: Date.now() })
      .catch((reason: unknown) => reason);
    expect(TriggerUnconfirmedError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ reconciliation: { outcome: 'not-found' }, candidates: [] });
  }, 15_000);
});
