// Waiting for many runs against @anyjob/testing's fake (its in-process fetch), counting what
// reaches it: batching through the list operations, fallback to gets, the shared request budget
// and 429 pause, resuming from saved state.
import type { RateBudget } from '@anyjob/core';
import { setRateBudget } from '@anyjob/core/internal';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { exampleTriggerRequest } from '../../../scripts/test-harness/trigger-requests.mjs';
import { createFakeProviders, type FakeProviders, type FakeRequestRecord } from '../../testing/src/index.js';
import {
  type AnyJob,
  createAnyJob,
  defaultProviders,
  JobFailedError,
  type JobRun,
  type TriggerRequest,
  type WatchUpdate,
} from '../src/index.js';

let fake: FakeProviders;
let anyjob: AnyJob;
let job = 0;
/** A fresh application (and process) per test, so counts are the test's own. */
const nextJob = () => `fleet-${++job}`;

/** Runs take 0.2–1.5 s (a seeded draw per run); polls start after 20 ms and grow ×1.5 up to 200 ms. */
function drawnScript() {
  let seed = 7;
  const random = () => {
    seed = (seed * 16_807) % 2_147_483_647;
    return seed / 2_147_483_647;
  };
  return () => [
    { status: 'queued' as const, ms: 50 + random() * 150 },
    { status: 'running' as const, ms: 200 + random() * 1_300 },
    { status: 'succeeded' as const },
  ];
}

beforeAll(async () => {
  fake = await createFakeProviders();
  anyjob = createAnyJob({ ...fake.config(), env: {} });
});
// Each test's own runs, requests, scripts and faults.
beforeEach(() => {
  fake.reset();
  const script = drawnScript();
  for (const provider of fake.providers) fake.onTrigger(provider).script(script);
});

/** The requests the fake received that `test` picks. */
const requests = (test: (request: FakeRequestRecord) => boolean) => fake.requests().filter(test);
/** A query parameter of a recorded request. */
const queryOf = (request: FakeRequestRecord, name: string) =>
  new URL(request.url, 'http://fake.test').searchParams.get(name);
const count = (provider?: string, operation?: string) => fake.requests({ provider, operation }).length;

const fast = { pollIntervalMs: 20, maxPollIntervalMs: 200, timeoutMs: 20_000 };

async function trigger(n: number, request: () => TriggerRequest): Promise<JobRun[]> {
  const runs: JobRun[] = [];
  for (let i = 0; i < n; i++) runs.push((await anyjob.triggerJob(request())) as JobRun);
  return runs;
}

/** `n` more runs of a job, created at once (batches of 100 triggers in flight). */
async function seed(n: number, request: TriggerRequest): Promise<JobRun[]> {
  const runs: JobRun[] = [];
  for (let done = 0; done < n; done += 100)
    runs.push(
      ...(await Promise.all(
        Array.from({ length: Math.min(100, n - done) }, () => anyjob.triggerJob(request) as Promise<JobRun>),
      )),
    );
  return runs;
}

describe('waitForJobs', () => {
  it('reads runs of one job through its list: a handful of list pages instead of a get per run per poll', async () => {
    const app = nextJob();
    const proc = nextJob();
    const tf = await trigger(30, () => ({ provider: 'truefoundry', applicationId: app }));
    const kg = await trigger(20, () => ({ provider: 'kognitos', agentId: 'agent1', processId: proc }));
    const runs = [...tf, ...kg];
    const results = await anyjob.waitForJobs(runs, fast);
    // One result per run, in input order.
    expect(results.map((r) => r.run?.id)).toEqual(runs.map((run) => run.id));
    expect(results.every((r) => r.run?.status === 'succeeded')).toBe(true);
    const gets = count('truefoundry', 'getJobRun') + count('kognitos', 'getRun');
    const lists =
      fake.requests({ operation: 'listJobRuns' }).filter((r) => r.url.includes(app)).length +
      fake.requests({ operation: 'listRuns' }).filter((r) => queryOf(r, 'process_id') === proc).length;
    // A get only when one run is left in its group (a list would cost the same request).
    expect(gets).toBeLessThanOrEqual(2);
    // Per run, polling one by one sends at least one request per run per poll; here, fewer in all
    // than there are runs.
    expect(lists).toBeGreaterThan(0);
    expect(lists + gets).toBeLessThan(runs.length);
  });

  it('mixes outcomes: { run } for a success, { error } with the run otherwise, and a run that is already final costs nothing', async () => {
    const app = nextJob();
    const [ok] = await trigger(1, () => ({ provider: 'truefoundry', applicationId: app }));
    const done = { ...ok, status: 'failed' as const, providerStatus: 'FAILED' };
    const before = count();
    const results = await anyjob.waitForJobs([done, ok], fast);
    expect(JobFailedError.isInstance(results[0]?.error) && results[0].error.run).toBe(done);
    expect(results[1]?.run?.status).toBe('succeeded');
    expect(count()).toBeGreaterThan(before);
    const reads = requests((r) => r.url.includes(app) && r.method === 'GET');
    expect(reads.length).toBeGreaterThan(0);
  });

  it('falls back to gets when the list fails for good (403), and keeps going', async () => {
    const app = nextJob();
    const runs = await trigger(5, () => ({ provider: 'truefoundry', applicationId: app }));
    fake.fault('truefoundry', 'listJobRuns', { kind: 'status', status: 403, times: 'always' });
    const results = await anyjob.waitForJobs(runs, fast);
    expect(results.every((r) => r.run?.status === 'succeeded')).toBe(true);
    expect(requests((r) => r.operation === 'listJobRuns' && r.url.includes(app)).length).toBe(1);
    expect(requests((r) => r.operation === 'getJobRun' && r.url.includes(app)).length).toBeGreaterThanOrEqual(
      5,
    );
  });

  it('reads a Kognitos process page after page until it has found every run waited for: no gets', async () => {
    const proc = nextJob();
    // 600 runs, 6 pages of 100; we wait for every 10th, so each page holds some of ours. They all
    // end together: every read is of 60 runs (with fewer left, a get each can be the cheaper).
    // Running from creation until one moment, the same for all.
    const endAt = Date.now() + 1_500;
    fake
      .onTrigger('kognitos')
      .script(() => [{ status: 'running', ms: Math.max(0, endAt - Date.now()) }, { status: 'succeeded' }]);
    const seeded = await seed(600, { provider: 'kognitos', agentId: 'agent1', processId: proc });
    const origin = new URL(fake.baseUrl('kognitos')).origin;
    const refs = seeded
      .filter((_, i) => i % 10 === 0)
      .map((run) => ({
        provider: 'kognitos' as const,
        runId: run.id,
        origin,
        agentId: 'agent1',
        processId: proc,
      }));
    const results = await anyjob.waitForJobs(refs, fast);
    expect(results.every((r) => r.run !== undefined)).toBe(true);
    const mine = new Set(refs.map((ref) => ref.runId));
    expect(
      requests((r) => r.operation === 'getRun' && mine.has(String(r.url.split('?')[0]?.split('/').at(-1)))),
    ).toEqual([]);
    const pages = requests((r) => r.operation === 'listRuns' && queryOf(r, 'process_id') === proc);
    expect(pages.length).toBeGreaterThanOrEqual(6);
  });

  it('a run the list does not cover (many newer runs of others) is read with its own get', async () => {
    const app = nextJob();
    const [mine] = await trigger(1, () => ({ provider: 'truefoundry', applicationId: app }));
    const [other] = await trigger(1, () => ({ provider: 'truefoundry', applicationId: app }));
    // 3,500 runs newer than ours: more pages than the list may read for two runs.
    fake.onTrigger('truefoundry', { applicationId: app }).queuedFor(0).runningFor(60_000);
    await seed(3_500, { provider: 'truefoundry', applicationId: app });
    const results = await anyjob.waitForJobs([mine, other] as JobRun[], { ...fast, batch: true });
    expect(results.every((r) => r.run?.status === 'succeeded')).toBe(true);
    expect(requests((r) => r.operation === 'getJobRun' && r.url.includes(app)).length).toBeGreaterThan(0);
  });
});

// Every provider of the registry whose refs group (runs of one job read through its run list:
// a TrueFoundry application, a Kognitos process, a GitHub workflow).
const GROUPED = defaultProviders.filter((d) => d.testing && d.refs.group);

describe.each(GROUPED)('waitForJobs, $name: runs of one job are polled through its list', (descriptor) => {
  it('25 runs of one job end succeeded, read through the list: their own gets stay under a fifth of the runs', async () => {
    const request = exampleTriggerRequest(descriptor, { suffix: nextJob() }) as TriggerRequest;
    const runs = await trigger(25, () => request);
    // One group for all of them: the batched poll reads them together.
    const keys = new Set(runs.map((run) => descriptor.refs.group?.(run.ref as never)?.key));
    expect(keys.size).toBe(1);
    const started = Date.now();
    const results = await anyjob.waitForJobs(runs, fast);
    expect(results.map((r) => r.run?.id)).toEqual(runs.map((run) => run.id));
    expect(results.every((r) => r.run?.status === 'succeeded')).toBe(true);
    // Read through the list: the runs' own reads stay far fewer than the runs, however many list
    // polls the runs' drawn durations take (a poll's count depends on timing; per-run reads do not).
    const { get, list } = descriptor.contract?.operations ?? {};
    const reads = (operation?: string) =>
      fake.requests({ provider: descriptor.name, operation }).filter((r) => r.time >= started).length;
    expect(reads(list)).toBeGreaterThan(0);
    expect(reads(get)).toBeLessThan(runs.length / 5);
  });
});

describe('politeness', () => {
  it('a 429 with Retry-After pauses every wait on that provider, not just the one that got it', async () => {
    const app = nextJob();
    const runs = await trigger(8, () => ({ provider: 'truefoundry', applicationId: app }));
    fake.fault('truefoundry', 'getJobRun', { kind: '429', retryAfterSeconds: 1 });
    const started = Date.now();
    // batch: false, so each wait polls on its own: without the shared pause they would keep going.
    await Promise.all(runs.map((run) => anyjob.waitForJob(run, { ...fast, pollIntervalMs: 10 })));
    const gets = requests((r) => r.operation === 'getJobRun' && r.url.includes(app));
    const limited = gets.find((r) => r.status === 429);
    expect(limited).toBeDefined();
    // Each run's first get went out with the one that got the 429, before anyone knew of it; on a
    // loaded machine they may arrive some tens of ms later. Any later get is a poll the pause
    // should have held (without it, every wait polls again within 10 to 50 ms).
    const firsts = new Set(runs.map((run) => gets.find((r) => r.url.endsWith(`/${run.id}`))));
    const during = gets.filter(
      (r) => !firsts.has(r) && r.time > (limited?.time ?? 0) && r.time < (limited?.time ?? 0) + 900,
    );
    expect(during).toEqual([]);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1_000);
  });

  it('a rateBudget holds every request of the waits and records the 429 pause (what a shared budget in Redis is built on)', async () => {
    const app = nextJob();
    const runs = await trigger(6, () => ({ provider: 'truefoundry', applicationId: app }));
    const takes: string[] = [];
    const pauses: [string, number][] = [];
    const rateBudget: RateBudget = {
      async take(key) {
        takes.push(key);
      },
      async pause(key, ms) {
        pauses.push([key, ms]);
      },
      pausedUntil: async () => 0,
    };
    fake.fault('truefoundry', 'getJobRun', { kind: '429', retryAfterSeconds: 1 });
    const before = count('truefoundry', 'getJobRun');
    try {
      const results = await anyjob.waitForJobs(runs, { ...fast, batch: false, maxRetries: 0, rateBudget });
      expect(results.every((result) => result.run?.status === 'succeeded')).toBe(true);
    } finally {
      setRateBudget('truefoundry', undefined);
    }
    const origin = new URL(fake.baseUrl('truefoundry')).origin;
    expect(new Set(takes)).toEqual(new Set([`truefoundry ${origin}`]));
    expect(takes.length).toBe(count('truefoundry', 'getJobRun') - before);
    expect(pauses).toEqual([[`truefoundry ${origin}`, 1_000]]);
  });

  it('no more requests than the budget: 120 per minute is a burst of 12, then 1.8 per second', async () => {
    const app = nextJob();
    const runs = await trigger(30, () => ({ provider: 'truefoundry', applicationId: app }));
    const watch = anyjob.watchJobs(runs, {
      pollIntervalMs: 5,
      maxPollIntervalMs: 5,
      batch: false,
      requestsPerMinute: { truefoundry: 120 },
      timeoutMs: 2_000,
    });
    const started = Date.now();
    for await (const _ of watch) {
      // drain
    }
    const gets = requests((r) => r.operation === 'getJobRun' && r.url.includes(app) && r.time >= started);
    // Within any 60 s the bucket allows at most 120; in these 2 s: 12 + 1.8 × 2 ≈ 16.
    expect(gets.length).toBeGreaterThan(5);
    expect(gets.length).toBeLessThanOrEqual(17);
    await anyjob.waitForJobs([], { requestsPerMinute: { truefoundry: Number.POSITIVE_INFINITY } });
  });
});

describe('many waits at once', () => {
  it('never prints MaxListenersExceededWarning: each request and each pause listens on a signal of its own', async () => {
    const warnings: Error[] = [];
    const onWarning = (warning: Error) => warnings.push(warning);
    process.on('warning', onWarning);
    try {
      const app = nextJob();
      const proc = nextJob();
      const tf = await trigger(40, () => ({ provider: 'truefoundry', applicationId: app }));
      const kg = await trigger(20, () => ({ provider: 'kognitos', agentId: 'agent1', processId: proc }));
      const controller = new AbortController();
      await Promise.all([
        // 40 gets in flight at once on one wait, with a budget that makes some of them wait (a
        // burst of 120, then 18 a second).
        anyjob.waitForJobs(tf, {
          ...fast,
          batch: false,
          concurrency: 40,
          requestsPerMinute: { truefoundry: 1_200 },
          signal: controller.signal,
        }),
        // A batched wait, and 20 single waits sharing the caller's signal.
        anyjob.waitForJobs(kg, { ...fast, signal: controller.signal }),
        ...kg.map((run) => anyjob.waitForJob(run, { ...fast, signal: controller.signal })),
      ]);
      await new Promise((resolve) => setTimeout(resolve, 10));
      expect(warnings.map((w) => `${w.name}: ${w.message}`)).toEqual([]);
    } finally {
      process.off('warning', onWarning);
      await anyjob.waitForJobs([], { requestsPerMinute: { truefoundry: Number.POSITIVE_INFINITY } });
    }
  });
});

describe('watchJobs and resuming', () => {
  it('yields each status change once, then the final state', async () => {
    const app = nextJob();
    const runs = await trigger(3, () => ({ provider: 'truefoundry', applicationId: app }));
    const updates: WatchUpdate<JobRun>[] = [];
    for await (const update of anyjob.watchJobs(runs, fast)) updates.push(update);
    for (let index = 0; index < runs.length; index++) {
      const mine = updates.filter((u) => u.index === index);
      expect(mine.at(-1)).toMatchObject({ final: true, run: { status: 'succeeded' } });
      expect(mine.filter((u) => u.final)).toHaveLength(1);
      const statuses = mine.map((u) => u.run?.providerStatus);
      expect(new Set(statuses).size).toBe(statuses.length);
    }
  });

  it('leaving the loop early (break) stops the polling: no request after it', async () => {
    const app = nextJob();
    // Runs that take seconds, so they are still going when the loop is left.
    const runs = await trigger(3, () => ({ provider: 'truefoundry', applicationId: app }));
    const mine = () => requests((r) => r.provider === 'truefoundry' && r.url.includes(app)).length;
    const watch = anyjob.watchJobs(runs, { ...fast, maxPollIntervalMs: 20 });
    for await (const update of watch) {
      if (update) break;
    }
    // Let a request already on its way land, then nothing more may come.
    await new Promise((resolve) => setTimeout(resolve, 50));
    const atBreak = mine();
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(mine()).toBe(atBreak);
    // The state is still there to save and resume from.
    expect(watch.state().runs).toHaveLength(3);
  });

  it('the state is plain JSON; another watcher continues from it and never reads a final run again', async () => {
    const app = nextJob();
    const runs = await trigger(4, () => ({ provider: 'truefoundry', applicationId: app }));
    const controller = new AbortController();
    const first = anyjob.watchJobs(runs, { ...fast, signal: controller.signal, batch: false });
    let saved = '';
    await expect(
      (async () => {
        for await (const update of first) {
          saved = JSON.stringify(first.state());
          if (update.final) controller.abort();
        }
      })(),
    ).rejects.toMatchObject({ name: 'AbortError' });
    const state = JSON.parse(saved);
    const finished = state.runs.filter((entry: { status?: string }) => entry.status === 'succeeded');
    expect(finished.length).toBeGreaterThanOrEqual(1);
    const before = requests((r) => r.operation === 'getJobRun' && r.url.includes(app)).length;
    const results = await anyjob.waitForJobs(state.runs, { ...fast, batch: false });
    expect(results.every((r) => r.run?.status === 'succeeded')).toBe(true);
    const after = requests((r) => r.operation === 'getJobRun' && r.url.includes(app));
    const finishedNames = finished.map((entry: { ref: { jobRunName: string } }) => entry.ref.jobRunName);
    expect(
      after.slice(before).filter((r) => finishedNames.some((name: string) => r.url.endsWith(name))),
    ).toEqual([]);
  });
});
