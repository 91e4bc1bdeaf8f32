// The fleet engine against a fake provider on fake timers: which requests it sends, when, and
// what it keeps. (packages/anyjob/test/fleet.test.ts runs it against the emulator over HTTP.)
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { AbortError, InvalidRequestError, WaitTimeoutError } from '../errors/index.js';
import type { RateBudget } from '../transport/rate-budget.js';
import { type FleetInput, type FleetOptions, waitForRuns, watchRuns } from './fleet.js';
import type { JobProvider, JobRefBase, JobRun, ListOptions, RunPage } from './provider.js';
import type { JobStatus } from './status.js';

interface FakeRef extends JobRefBase {
  id: string;
  job: string;
}

interface FakeRun {
  id: string;
  job: string;
  /** Final from this time on (fake clock, ms after the test's start). */
  finishAt: number;
  outcome?: JobStatus;
}

interface Call {
  op: 'get' | 'list';
  at: number;
  job: string;
  id?: string;
  cursor?: unknown;
  pageSize?: number;
  signal: AbortSignal | undefined;
}

let names = 0;

/**
 * A provider whose runs finish at set times. Lists are newest first (the reverse of `runs`
 * within a job), `pageSize` runs a page; every answer takes `latencyMs` and, like the transport,
 * listens to the call's signal while it is pending.
 */
function fakeProvider(runs: FakeRun[], { pageSize = 10, latencyMs = 10 } = {}) {
  const name = `fake-${++names}`;
  const start = Date.now();
  const calls: Call[] = [];
  const lists = { now: 0, most: 0 };
  const byId = new Map(runs.map((run) => [run.id, run]));
  const toRun = (run: FakeRun): JobRun<FakeRef> => {
    const status: JobStatus = Date.now() - start >= run.finishAt ? (run.outcome ?? 'succeeded') : 'running';
    return {
      provider: name,
      id: run.id,
      status,
      providerStatus: status.toUpperCase(),
      ref: { provider: name, id: run.id, job: run.job },
      raw: { id: run.id, status, padding: 'x'.repeat(100) },
    };
  };
  const answer = <T>(signal: AbortSignal | undefined, value: () => T): Promise<T> =>
    new Promise((resolve, reject) => {
      const onAbort = () => {
        clearTimeout(timer);
        reject(new AbortError(undefined, { cause: signal?.reason }));
      };
      const timer = setTimeout(() => {
        signal?.removeEventListener('abort', onAbort);
        resolve(value());
      }, latencyMs);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  const provider: JobProvider<{ provider: string }, FakeRef, { job: string }> = {
    specificationVersion: 'v1',
    provider: name,
    descriptor: {} as JobProvider['descriptor'],
    triggerJob: () => Promise.reject(new Error('not here')),
    cancelJob: () => Promise.reject(new Error('not here')),
    async getJobRun(input, options) {
      const ref = 'ref' in input ? input.ref : input;
      calls.push({ op: 'get', at: Date.now() - start, job: ref.job, id: ref.id, signal: options?.signal });
      return answer(options?.signal, () => toRun(byId.get(ref.id) as FakeRun));
    },
    async listRunPage(query, cursor, options?: ListOptions): Promise<RunPage<FakeRef>> {
      calls.push({
        op: 'list',
        at: Date.now() - start,
        job: query.job,
        cursor,
        pageSize: options?.pageSize,
        signal: options?.signal,
      });
      lists.now++;
      lists.most = Math.max(lists.most, lists.now);
      const size = Math.min(options?.pageSize ?? pageSize, pageSize);
      const offset = typeof cursor === 'number' ? cursor : 0;
      const all = runs.filter((run) => run.job === query.job).reverse();
      try {
        return await answer(options?.signal, () => ({
          runs: all.slice(offset, offset + size).map(toRun),
          next: offset + size < all.length ? offset + size : undefined,
        }));
      } finally {
        lists.now--;
      }
    },
    refs: {
      check: (ref) => ref as FakeRef,
      runId: (ref) => ref.id,
      group: (ref) => ({ key: ref.job, query: { job: ref.job } }),
      pageSize,
    },
  };
  const refsOf = (ids: string[]): FakeRef[] =>
    ids.map((id) => ({ provider: name, id, job: (byId.get(id) as FakeRun).job }));
  return { provider: provider as unknown as JobProvider, calls, lists, refsOf };
}

const inputsOf = (provider: JobProvider, refs: FleetInput[]) => refs.map((input) => ({ provider, input }));

/** Runs `job`-1 … `job`-n, finishing at `finishAt(i)`. */
const runsOf = (job: string, n: number, finishAt: (i: number) => number): FakeRun[] =>
  Array.from({ length: n }, (_, i) => ({ id: `${job}-${i + 1}`, job, finishAt: finishAt(i) }));

/** Gaps between one job's list reads (a read is its first page: no cursor). */
const readGaps = (calls: Call[], job: string) => {
  const starts = calls
    .filter((c) => c.op === 'list' && c.job === job && c.cursor === undefined)
    .map((c) => c.at);
  return starts.slice(1).map((at, i) => at - starts[i]);
};

async function settle<T>(promise: Promise<T>): Promise<T> {
  let done = false;
  const result = promise.finally(() => {
    done = true;
  });
  while (!done) await vi.advanceTimersByTimeAsync(50);
  return result;
}

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] });
});
afterEach(() => {
  vi.useRealTimers();
});

const schedule: FleetOptions = { pollIntervalMs: 100, maxPollIntervalMs: 3_000 };

describe('the schedule of a job read through its list', () => {
  it('triples from pollIntervalMs and stops at maxPollIntervalMs / 3 while the list is cheap', async () => {
    // 40 runs in 4 pages: one read costs 4 requests, a tenth of 40 gets.
    const fake = fakeProvider(runsOf('a', 40, () => 12_000));
    const results = await settle(
      waitForRuns(inputsOf(fake.provider, fake.refsOf(runsOf('a', 40, () => 0).map((r) => r.id))), schedule),
    );
    expect(results.every((result) => result.run?.status === 'succeeded')).toBe(true);
    // Each gap is the delay plus the read itself (4 pages of 10 ms).
    const delays = readGaps(fake.calls, 'a').map((gap) => gap - 40);
    expect(delays.slice(0, 4)).toEqual([100, 300, 900, 1_000]);
    expect(new Set(delays.slice(3))).toEqual(new Set([1_000]));
    expect(delays.length).toBeGreaterThan(10);
    expect(fake.calls.filter((c) => c.op === 'get')).toEqual([]);
  });

  it('keeps the per-run schedule up to maxPollIntervalMs where the list costs more than a third of the gets', async () => {
    // 3 runs, 2 runs a page: a read costs 2 requests, fewer than 3 gets but more than a third.
    const fake = fakeProvider(
      runsOf('b', 3, () => 12_000),
      { pageSize: 2 },
    );
    await settle(waitForRuns(inputsOf(fake.provider, fake.refsOf(['b-1', 'b-2', 'b-3'])), schedule));
    const delays = readGaps(fake.calls, 'b').map((gap) => gap - 20);
    expect(Math.max(...delays)).toBe(3_000);
    expect(fake.calls.filter((c) => c.op === 'get')).toEqual([]);
  });

  it('a job that stops being cheap (few runs left) goes on from its delay, ×1.5, not from maxPollIntervalMs', async () => {
    // 10 runs on one page: cheap while at least 3 are going; 8 end at 1 s, 2 at 12 s.
    const fake = fakeProvider(runsOf('q', 10, (i) => (i < 8 ? 1_000 : 12_000)));
    await settle(
      waitForRuns(inputsOf(fake.provider, fake.refsOf(runsOf('q', 10, () => 0).map((r) => r.id))), schedule),
    );
    const delays = readGaps(fake.calls, 'q').map((gap) => gap - 10);
    expect(delays.slice(0, 8)).toEqual([100, 300, 900, 1_000, 1_000, 1_500, 2_250, 3_000]);
  });

  it('the last run of a job, read alone once a get is cheaper, goes on from the schedule of its job', async () => {
    // 10 runs on one page; 9 end at 5 s, after 9 reads: one left, and one get costs what the page does.
    const fake = fakeProvider(runsOf('r', 10, (i) => (i < 9 ? 5_000 : 12_000)));
    await settle(
      waitForRuns(inputsOf(fake.provider, fake.refsOf(runsOf('r', 10, () => 0).map((r) => r.id))), schedule),
    );
    const lastList = Math.max(...fake.calls.filter((c) => c.op === 'list').map((c) => c.at));
    const gets = fake.calls.filter((c) => c.op === 'get').map((c) => c.at);
    expect(gets.length).toBeGreaterThan(3);
    const delays = [gets[0] - lastList - 10, ...gets.slice(1).map((at, i) => at - gets[i] - 10)];
    expect(delays.slice(0, 4)).toEqual([1_000, 1_000, 1_500, 2_250]);
  });

  it('a single run keeps its own schedule: gets, up to maxPollIntervalMs', async () => {
    const fake = fakeProvider(runsOf('c', 1, () => 12_000));
    await settle(waitForRuns(inputsOf(fake.provider, fake.refsOf(['c-1'])), schedule));
    const gets = fake.calls.filter((c) => c.op === 'get').map((c) => c.at);
    expect(fake.calls.filter((c) => c.op === 'list')).toEqual([]);
    const delays = gets.slice(1).map((at, i) => at - gets[i] - 10);
    expect(delays.slice(0, 3)).toEqual([100, 150, 225]);
    expect(Math.max(...delays)).toBe(3_000);
  });
});

describe('list reads', () => {
  it('go on until every run of the job is found, however the runs of others are interleaved', async () => {
    // 200 runs of the job in 20 pages; we wait for every 5th: two per page.
    const all = runsOf('d', 200, () => 3_000);
    const mine = all.filter((_, i) => i % 5 === 0).map((run) => run.id);
    const fake = fakeProvider(all);
    const results = await settle(waitForRuns(inputsOf(fake.provider, fake.refsOf(mine)), schedule));
    expect(results.every((result) => result.run?.status === 'succeeded')).toBe(true);
    expect(fake.calls.filter((c) => c.op === 'get')).toEqual([]);
    // Each read walks to the page holding the oldest of ours (the list's last): 20 pages, which
    // is still half the requests of 40 gets.
    const pages = fake.calls.filter((c) => c.op === 'list');
    expect(pages.length % 20).toBe(0);
    expect(pages.slice(0, 20).map((c) => c.cursor)).toEqual([
      undefined,
      ...Array.from({ length: 19 }, (_, i) => (i + 1) * 10),
    ]);
  });

  it('give up after the pages the runs would fill plus two that hold none of them: a get each instead', async () => {
    // Ours are the two oldest of 300: 30 pages of runs of others first.
    const all = runsOf('e', 2, () => 500);
    for (let i = 0; i < 298; i++) all.push({ id: `e-x${i}`, job: 'e', finishAt: 60_000 });
    const fake = fakeProvider(all);
    const results = await settle(waitForRuns(inputsOf(fake.provider, fake.refsOf(['e-1', 'e-2'])), schedule));
    expect(results.every((result) => result.run?.status === 'succeeded')).toBe(true);
    // First read: 1 page for 2 runs + 2 more; then the learned cost (3 pages + 2 missed) loses to 2 gets.
    expect(fake.calls.filter((c) => c.op === 'list')).toHaveLength(3);
    expect(fake.calls.filter((c) => c.op === 'get').length).toBeGreaterThanOrEqual(2);
  });

  it('of at most 250 runs a page, or the largest the API allows when the provider has a request budget', async () => {
    const runs = runsOf('p', 600, () => 300);
    const free = fakeProvider(runs, { pageSize: 1_000 });
    await settle(waitForRuns(inputsOf(free.provider, free.refsOf(runs.map((r) => r.id))), schedule));
    const freePages = free.calls.filter((c) => c.op === 'list');
    expect(new Set(freePages.map((c) => c.pageSize))).toEqual(new Set([250]));
    expect(freePages.slice(0, 3).map((c) => c.cursor)).toEqual([undefined, 250, 500]);

    const budgeted = fakeProvider(runs, { pageSize: 1_000 });
    const name = budgeted.provider.provider;
    await settle(
      waitForRuns(inputsOf(budgeted.provider, budgeted.refsOf(runs.map((r) => r.id))), {
        ...schedule,
        requestsPerMinute: { [name]: 600 },
      }),
    );
    const budgetedPages = budgeted.calls.filter((c) => c.op === 'list');
    expect(new Set(budgetedPages.map((c) => c.pageSize))).toEqual(new Set([1_000]));
    expect(budgetedPages.every((c) => c.cursor === undefined)).toBe(true);
  });

  it('one page at a time per provider, across its jobs; a slow provider holds up no other', async () => {
    const slow = fakeProvider([...runsOf('f', 30, () => 1_000), ...runsOf('g', 30, () => 1_500)], {
      latencyMs: 400,
    });
    const fast = fakeProvider(runsOf('h', 30, () => 1_200));
    const refs = [
      ...inputsOf(slow.provider, slow.refsOf(runsOf('f', 30, () => 0).map((r) => r.id))),
      ...inputsOf(slow.provider, slow.refsOf(runsOf('g', 30, () => 0).map((r) => r.id))),
      ...inputsOf(fast.provider, fast.refsOf(runsOf('h', 30, () => 0).map((r) => r.id))),
    ];
    const results = await settle(waitForRuns(refs, schedule));
    expect(results.every((result) => result.run !== undefined)).toBe(true);
    expect(slow.lists.most).toBe(1);
    expect(fast.lists.most).toBe(1);
    // The fast provider's job keeps its own schedule while the slow one's pages take 400 ms each:
    // reads of 3 pages (30 ms) 100 then 300 ms apart.
    expect(readGaps(fast.calls, 'h').slice(0, 2)).toEqual([130, 330]);
  });
});

describe('a rate budget kept elsewhere (rateBudget)', () => {
  /** A RateBudget that grants every take at once and records what it was asked. */
  function recordingBudget() {
    const takes: { key: string; requestsPerMinute: number | undefined; at: number }[] = [];
    const budget: RateBudget = {
      async take(key, { requestsPerMinute }) {
        takes.push({ key, requestsPerMinute, at: Date.now() });
      },
      async pause() {},
      async pausedUntil() {
        return 0;
      },
    };
    return { budget, takes };
  }

  it('every request of the wait takes a token from it first, under the provider and origin, at the budget in force', async () => {
    const runs = [...runsOf('a', 30, (i) => 200 + i * 20), ...runsOf('b', 1, () => 400)];
    const fake = fakeProvider(runs, { pageSize: 10 });
    const name = fake.provider.provider;
    const { budget, takes } = recordingBudget();
    const refs = fake.refsOf(runs.map((r) => r.id)).map((ref) => ({ ...ref, origin: 'https://api.example' }));
    await settle(
      waitForRuns(inputsOf(fake.provider, refs), {
        ...schedule,
        rateBudget: budget,
        requestsPerMinute: { [name]: 6_000 },
      }),
    );
    expect(fake.calls.length).toBeGreaterThan(3);
    expect(takes.length).toBe(fake.calls.length);
    expect(new Set(takes.map((take) => `${take.key} ${take.requestsPerMinute}`))).toEqual(
      new Set([`${name} https://api.example 6000`]),
    );
  });

  it('one that is not a RateBudget is refused before any request, naming rateBudget', async () => {
    const fake = fakeProvider(runsOf('a', 1, () => 0));
    const wait = (async () =>
      waitForRuns(inputsOf(fake.provider, fake.refsOf(['a-1'])), {
        rateBudget: { take: async () => {} } as unknown as RateBudget,
      }))();
    await expect(wait).rejects.toSatisfy(
      (error) =>
        InvalidRequestError.isInstance(error) &&
        error.issues[0]?.path === 'rateBudget' &&
        error.message.includes('pause, pausedUntil'),
    );
    expect(fake.calls).toEqual([]);
  });
});

describe('what a wait keeps', () => {
  it('a run still going that was read through a list is kept without raw; a final run whole', async () => {
    const runs = runsOf('k', 20, (i) => (i === 0 ? 300 : 60_000));
    const fake = fakeProvider(runs);
    const seen: JobRun[] = [];
    const results = await settle(
      waitForRuns(inputsOf(fake.provider, fake.refsOf(runs.map((r) => r.id))), {
        ...schedule,
        timeoutMs: 1_000,
        onUpdate: (run) => seen.push(run),
      }),
    );
    // The final one: the run as read, raw and all.
    expect(results[0].run).toMatchObject({
      status: 'succeeded',
      raw: { id: 'k-1', padding: expect.any(String) },
    });
    // The others timed out: the error has their last status, without the page's raw.
    const timedOut = results[1].error;
    expect(WaitTimeoutError.isInstance(timedOut)).toBe(true);
    expect((timedOut as WaitTimeoutError).run).toMatchObject({
      id: 'k-2',
      status: 'running',
      providerStatus: 'RUNNING',
      raw: undefined,
    });
    // onUpdate still gets every run as read.
    expect(seen.filter((run) => run.id === 'k-2').every((run) => run.raw !== undefined)).toBe(true);
  });

  it('a watcher gets each status change with the run as read, and the state stays plain JSON', async () => {
    const runs = runsOf('w', 5, () => 800);
    const fake = fakeProvider(runs);
    const watch = watchRuns(inputsOf(fake.provider, fake.refsOf(runs.map((r) => r.id))), schedule);
    const updates = (async () => {
      const all = [];
      for await (const update of watch) all.push(update);
      return all;
    })();
    const all = await settle(updates);
    const running = all.filter((u) => !u.final);
    expect(running).toHaveLength(5);
    expect(running.every((u) => u.run?.raw !== undefined)).toBe(true);
    expect(all.filter((u) => u.final)).toHaveLength(5);
    expect(JSON.parse(JSON.stringify(watch.state()))).toEqual(watch.state());
    expect(watch.state().runs.every((entry) => entry.status === 'succeeded')).toBe(true);
  });
});

describe('stopping', () => {
  it('the caller aborting stops every request in flight, and the wait rejects with AbortError', async () => {
    const runs = runsOf('s', 30, () => 60_000);
    const fake = fakeProvider(runs, { latencyMs: 1_000 });
    const controller = new AbortController();
    const waiting = waitForRuns(inputsOf(fake.provider, fake.refsOf(runs.map((r) => r.id))), {
      ...schedule,
      batch: false,
      concurrency: 30,
      signal: controller.signal,
    });
    const rejected = expect(waiting).rejects.toMatchObject({ name: 'AbortError' });
    await vi.advanceTimersByTimeAsync(100);
    const inFlight = fake.calls.filter((c) => c.op === 'get');
    expect(inFlight).toHaveLength(30);
    controller.abort();
    await rejected;
    expect(inFlight.every((c) => c.signal?.aborted)).toBe(true);
  });

  it('many requests in flight and many waits on one signal add no more than a couple of listeners to any signal', async () => {
    const warnings: Error[] = [];
    const onWarning = (warning: Error) => warnings.push(warning);
    process.on('warning', onWarning);
    try {
      const runs = runsOf('m', 60, () => 500);
      const fake = fakeProvider(runs, { latencyMs: 50 });
      const controller = new AbortController();
      const ids = runs.map((r) => r.id);
      // One wait with 60 gets in flight at once, and 60 one-run waits sharing the caller's signal.
      await settle(
        Promise.all([
          waitForRuns(inputsOf(fake.provider, fake.refsOf(ids)), {
            ...schedule,
            batch: false,
            concurrency: 60,
            signal: controller.signal,
          }),
          ...ids.map((id) =>
            waitForRuns(inputsOf(fake.provider, fake.refsOf([id])), {
              ...schedule,
              signal: controller.signal,
            }),
          ),
        ]),
      );
      // Warnings are emitted on the next tick.
      await new Promise((resolve) => process.nextTick(resolve));
      expect(warnings.filter((w) => w.name === 'MaxListenersExceededWarning')).toEqual([]);
    } finally {
      process.off('warning', onWarning);
    }
  });
});
