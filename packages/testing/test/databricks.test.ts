// The Databricks fake (@anyjob/databricks/testing) through the facade: cancel is asynchronous as
// Databricks does it, the idempotency token answers the same run, lists page by token, and every
// trigger fault ends in exactly one run, returned (the token makes the trigger safe to repeat).
import { createAnyJob, JobCanceledError, type JobRun } from 'anyjob';
import { describe, expect, it } from 'vitest';
import { createFakeProviders, type FakeFault } from '../src/index.js';

const FAST = { pollIntervalMs: 1, maxPollIntervalMs: 1 };
const TRIGGER = { provider: 'databricks', jobId: '11223344' } as const;

async function setUp(options?: Parameters<typeof createFakeProviders>[0]) {
  const fake = await createFakeProviders(options);
  return { fake, anyjob: createAnyJob({ ...fake.config(), retryDelayMs: 1 }) };
}

const tokens = (fake: Awaited<ReturnType<typeof createFakeProviders>>) =>
  fake.requests({ operation: 'runNow' }).map((request) => JSON.parse(request.body).idempotency_token);

describe('the Databricks fake', () => {
  it('cancel is asynchronous: cancelJob returns the run still TERMINATING; waitForJob ends in JobCanceledError', async () => {
    // Two reads of TERMINATING: cancelJob's own read of the run, then the wait's first poll.
    const { fake, anyjob } = await setUp({ cancelAfter: { polls: 2 } });
    fake.onTrigger('databricks').runningFor({ polls: 100 });
    const run = await anyjob.triggerJob(TRIGGER);
    const canceling = await anyjob.cancelJob(run);
    expect(canceling).toMatchObject({ status: 'running', providerStatus: 'TERMINATING' });
    const error = await anyjob.waitForJob(run, FAST).catch((e: unknown) => e);
    expect(JobCanceledError.isInstance(error), String(error)).toBe(true);
    expect((error as JobCanceledError).run.providerStatus).toBe('TERMINATED/USER_CANCELED');
    expect(fake.requests({ operation: 'cancelRun' })).toHaveLength(1);
  });

  it('the same idempotency key answers the same run; another key starts another', async () => {
    const { fake, anyjob } = await setUp();
    const first = await anyjob.triggerJob({ ...TRIGGER, idempotencyKey: 'nightly-2026-12-06' });
    const again = await anyjob.triggerJob({ ...TRIGGER, idempotencyKey: 'nightly-2026-12-06' });
    const other = await anyjob.triggerJob(TRIGGER);
    expect(again.id).toBe(first.id);
    expect(other.id).not.toBe(first.id);
    expect(fake.runs('databricks')).toHaveLength(2);
  });

  it('lists runs newest first, page by page (page_token)', async () => {
    const { fake, anyjob } = await setUp();
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) ids.push((await anyjob.triggerJob(TRIGGER)).id);
    const listed = [];
    for await (const run of anyjob.listJobRuns(TRIGGER, { pageSize: 2 })) listed.push(run.id);
    expect(listed).toEqual([...ids].reverse());
    expect(fake.requests({ operation: 'listRuns' })).toHaveLength(2);
  });
});

describe('Databricks trigger faults: exactly one run, and it is returned', () => {
  const faults: FakeFault[] = [
    { kind: '429', retryAfterSeconds: 0 },
    { kind: '5xx', status: 502 },
    { kind: '5xx', status: 503, afterCreate: true },
    { kind: 'reset' },
    { kind: 'reset', afterCreate: true },
    { kind: 'cut-body' },
    { kind: 'invalid-json' },
    { kind: 'hang' },
  ];
  for (const fault of faults) {
    it(`${JSON.stringify(fault)}: the trigger is sent again with the same token`, async () => {
      const { fake, anyjob } = await setUp();
      fake.fault('databricks', 'runNow', fault);
      const run: JobRun = await anyjob.triggerJob(TRIGGER, { timeoutMs: 300 });
      const held = fake.runs('databricks');
      expect(held).toHaveLength(1);
      expect(run.id).toBe(held[0]?.id);
      expect(tokens(fake).length).toBeGreaterThanOrEqual(2);
      expect(new Set(tokens(fake)).size).toBe(1);
    });
  }
});
