// Waiting for many runs against the emulator, counting what reaches it: batching through the list
// operations, fallback to gets, the shared request budget and 429 pause, resuming from saved state.
import type { RateBudget } from '@anyjob/core';
import { setRateBudget } from '@anyjob/core/internal';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type Emulator, startEmulator } from '../../../scripts/lib/provider-emulator.mjs';
import { type AnyJob, createAnyJob, JobFailedError, type JobRun, type WatchUpdate } from '../src/index.js';

let emulator: Emulator;
let anyjob: AnyJob;
let job = 0;
/** A fresh application (and process) per test, so counts are the test's own. */
const nextJob = () => `fleet-${++job}`;

beforeAll(async () => {
  // Runs take 0.2–1.5 s; polls start after 20 ms and grow ×1.5 up to 200 ms.
  emulator = await startEmulator({ queueMs: [50, 200], durationMs: [200, 1_500], timeScale: 1 });
  anyjob = createAnyJob({
    truefoundry: { apiKey: emulator.keys.truefoundry, baseUrl: emulator.urls.truefoundry },
    kognitos: { apiKey: emulator.keys.kognitos, baseUrl: emulator.urls.kognitos },
    env: {},
  });
});
afterAll(() => emulator?.close());
beforeEach(() => emulator.clearFaults());

const fast = { pollIntervalMs: 20, maxPollIntervalMs: 200, timeoutMs: 20_000 };

async function trigger(n: number, request: () => Parameters<AnyJob['triggerJob']>[0]): Promise<JobRun[]> {
  const runs: JobRun[] = [];
  for (let i = 0; i < n; i++) runs.push((await anyjob.triggerJob(request())) as JobRun);
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
    const gets = emulator.count('truefoundry.getJobRun') + emulator.count('kognitos.getRun');
    const lists =
      emulator.requests('truefoundry.listJobRuns').filter((r) => r.path.includes(app)).length +
      emulator.requests('kognitos.listRuns').filter((r) => String(r.query.process_id) === proc).length;
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
    const before = emulator.count();
    const results = await anyjob.waitForJobs([done, ok], fast);
    expect(JobFailedError.isInstance(results[0].error) && results[0].error.run).toBe(done);
    expect(results[1].run?.status).toBe('succeeded');
    expect(emulator.count()).toBeGreaterThan(before);
    const reads = emulator.requests((r) => r.path.includes(app) && r.method === 'GET');
    expect(reads.length).toBeGreaterThan(0);
  });

  it('falls back to gets when the list fails for good (403), and keeps going', async () => {
    const app = nextJob();
    const runs = await trigger(5, () => ({ provider: 'truefoundry', applicationId: app }));
    emulator.setFault('truefoundry.listJobRuns', { type: 'status', status: 403, times: 'always' });
    const results = await anyjob.waitForJobs(runs, fast);
    expect(results.every((r) => r.run?.status === 'succeeded')).toBe(true);
    expect(
      emulator.requests((r) => r.route === 'truefoundry.listJobRuns' && r.path.includes(app)).length,
    ).toBe(1);
    expect(
      emulator.requests((r) => r.route === 'truefoundry.getJobRun' && r.path.includes(app)).length,
    ).toBeGreaterThanOrEqual(5);
  });

  it('reads a Kognitos process page after page until it has found every run waited for: no gets', async () => {
    const proc = nextJob();
    // 600 runs, 6 pages of 100; we wait for every 10th, so each page holds some of ours. They all
    // end together: every read is of 60 runs (with fewer left, a get each can be the cheaper).
    const seeded = emulator.seedRuns('kognitos', `agent1/${proc}`, 600, {
      final: false,
      queueMs: 0,
      durationMs: 600,
    });
    const origin = new URL(emulator.urls.kognitos).origin;
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
      emulator.requests((r) => r.route === 'kognitos.getRun' && mine.has(String(r.path.split('/').at(-1)))),
    ).toEqual([]);
    const pages = emulator.requests(
      (r) => r.route === 'kognitos.listRuns' && String(r.query.process_id) === proc,
    );
    expect(pages.length).toBeGreaterThanOrEqual(6);
  });

  it('a run the list does not cover (many newer runs of others) is read with its own get', async () => {
    const app = nextJob();
    const [mine] = await trigger(1, () => ({ provider: 'truefoundry', applicationId: app }));
    const [other] = await trigger(1, () => ({ provider: 'truefoundry', applicationId: app }));
    // 3,500 runs newer than ours: more pages than the list may read for two runs.
    emulator.seedRuns('truefoundry', app, 3_500, { final: false, durationMs: 60_000 });
    const results = await anyjob.waitForJobs([mine, other], { ...fast, batch: true });
    expect(results.every((r) => r.run?.status === 'succeeded')).toBe(true);
    expect(
      emulator.requests((r) => r.route === 'truefoundry.getJobRun' && r.path.includes(app)).length,
    ).toBeGreaterThan(0);
  });
});

describe('politeness', () => {
  it('a 429 with Retry-After pauses every wait on that provider, not just the one that got it', async () => {
    const app = nextJob();
    const runs = await trigger(8, () => ({ provider: 'truefoundry', applicationId: app }));
    emulator.setFault('truefoundry.getJobRun', { type: 'status', status: 429, retryAfter: 1 });
    const started = Date.now();
    // batch: false, so each wait polls on its own: without the shared pause they would keep going.
    await Promise.all(runs.map((run) => anyjob.waitForJob(run, { ...fast, pollIntervalMs: 10 })));
    const gets = emulator.requests((r) => r.route === 'truefoundry.getJobRun' && r.path.includes(app));
    const limited = gets.find((r) => r.status === 429);
    expect(limited).toBeDefined();
    // Each run's first get went out with the one that got the 429, before anyone knew of it; on a
    // loaded machine they may arrive some tens of ms later. Any later get is a poll the pause
    // should have held (without it, every wait polls again within 10 to 50 ms).
    const firsts = new Set(runs.map((run) => gets.find((r) => r.path.endsWith(`/${run.id}`))));
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
    emulator.setFault('truefoundry.getJobRun', { type: 'status', status: 429, retryAfter: 1 });
    const before = emulator.count('truefoundry.getJobRun');
    try {
      const results = await anyjob.waitForJobs(runs, { ...fast, batch: false, maxRetries: 0, rateBudget });
      expect(results.every((result) => result.run?.status === 'succeeded')).toBe(true);
    } finally {
      setRateBudget('truefoundry', undefined);
    }
    const origin = new URL(emulator.urls.truefoundry).origin;
    expect(new Set(takes)).toEqual(new Set([`truefoundry ${origin}`]));
    expect(takes.length).toBe(emulator.count('truefoundry.getJobRun') - before);
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
    const started = emulator.now();
    for await (const _ of watch) {
      // drain
    }
    const gets = emulator.requests(
      (r) => r.route === 'truefoundry.getJobRun' && r.path.includes(app) && r.time >= started,
    );
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
    const mine = () =>
      emulator.requests((r) => (r.route ?? '').startsWith('truefoundry.') && r.path.includes(app)).length;
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
    const before = emulator.requests(
      (r) => r.route === 'truefoundry.getJobRun' && r.path.includes(app),
    ).length;
    const results = await anyjob.waitForJobs(state.runs, { ...fast, batch: false });
    expect(results.every((r) => r.run?.status === 'succeeded')).toBe(true);
    const after = emulator.requests((r) => r.route === 'truefoundry.getJobRun' && r.path.includes(app));
    const finishedNames = finished.map((entry: { ref: { jobRunName: string } }) => entry.ref.jobRunName);
    expect(
      after.slice(before).filter((r) => finishedNames.some((name: string) => r.path.endsWith(name))),
    ).toEqual([]);
  });
});
