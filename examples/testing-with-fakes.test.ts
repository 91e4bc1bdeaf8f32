// Testing code that uses anyjob, with @anyjob/testing and vitest's fake timers: a nightly batch of
// 50 TrueFoundry runs that take 10 minutes each, 3 of which fail once; the code under test retries
// them. It runs in well under a second: the runs' time is virtual, the fake lives in-process.
//
//   pnpm build && pnpm vitest run examples/testing-with-fakes.test.ts
import { createFakeProviders, type FakeProviders } from '@anyjob/testing';
import { type AnyJob, createAnyJob } from 'anyjob';
import { afterEach, beforeEach, expect, it, vi } from 'vitest';

// --- the code under test (in your project: imported from your module) ---------------------------

/** Runs every shard of the nightly job; a shard that fails is triggered once more. */
async function runNightlyBatch(anyjob: AnyJob, shards: number) {
  const trigger = (shard: number) =>
    anyjob.triggerJob({ provider: 'truefoundry', applicationId: 'nightly', params: { shard } });
  const all = Array.from({ length: shards }, (_, shard) => shard);
  const first = await anyjob.waitForJobs(await Promise.all(all.map(trigger)));
  const retried = all.filter((shard) => 'error' in (first[shard] ?? {}));
  const second = await anyjob.waitForJobs(await Promise.all(retried.map(trigger)));
  const failed = retried.filter((_, index) => 'error' in (second[index] ?? {}));
  return { succeeded: shards - failed.length, retried, failed };
}

// --- the test ---------------------------------------------------------------------------------------

let fake: FakeProviders;

beforeEach(async () => {
  fake = await createFakeProviders();
  // After createFakeProviders (it loads each provider's fake while real timers run).
  vi.useFakeTimers();
});

afterEach(() => {
  vi.useRealTimers();
});

/**
 * Moves the fake clock in steps until `promise` settles. Steps, not one jump: between them the
 * client does its real work (its first call loads the provider's code), then waits on timers.
 */
async function advanceUntilSettled<T>(promise: Promise<T>, stepMs = 10_000): Promise<T> {
  let settled = false;
  const done = promise.finally(() => {
    settled = true;
  });
  while (!settled) await vi.advanceTimersByTimeAsync(stepMs);
  return done;
}

it('retries the 3 shards that failed, and all 50 end up done', async () => {
  // Every run of the job is queued for a minute and runs for 10 (virtual) minutes…
  fake
    .onTrigger('truefoundry', { applicationId: 'nightly' })
    .queuedFor(60_000)
    .runningFor(10 * 60_000);
  // …and shards 7, 19 and 33 fail the first time (the newest matching rule wins; times(1): once).
  for (const shard of [7, 19, 33]) {
    fake
      .onTrigger('truefoundry', { applicationId: 'nightly', params: { shard } })
      .runningFor(10 * 60_000)
      .fail('OOMKilled')
      .times(1);
  }
  const anyjob = createAnyJob(fake.config());
  const startedAt = Date.now();

  const summary = await advanceUntilSettled(runNightlyBatch(anyjob, 50));

  expect(summary).toEqual({ succeeded: 50, retried: [7, 19, 33], failed: [] });
  expect(fake.requests({ operation: 'triggerJob' })).toHaveLength(53);
  const runs = fake.runs('truefoundry');
  expect(runs.filter((run) => run.status === 'failed').map((run) => run.request.params)).toEqual([
    { shard: 7 },
    { shard: 19 },
    { shard: 33 },
  ]);
  // Two rounds of 11 minutes passed on the fake clock.
  expect(Date.now() - startedAt).toBeGreaterThanOrEqual(22 * 60_000);
  // Waiting polled the job's run list (one request a poll for all 50 runs), never run by run.
  expect(fake.requests({ operation: 'listJobRuns' }).length).toBeGreaterThan(0);
  expect(fake.requests({ operation: 'getJobRun' })).toHaveLength(0);
});
