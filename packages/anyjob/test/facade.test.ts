// The facade against Prism: every provider through triggerJob / getJobRun / waitForJob /
// cancelJob, the env-configured module functions, and the status policy in one table.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { MOCK_API_KEY, mockUrl } from '#test-harness';
import {
  ConfigError,
  cancelJob,
  composeAnyJob,
  createAnyJob,
  createTrueFoundry,
  defaultProviders,
  getJobRun,
  InvalidRequestError,
  isTerminal,
  JobFailedError,
  kognitos,
  mapStatus,
  runchat,
  type TriggerRequest,
  triggerJob,
  truefoundry,
  UnsupportedOperationError,
  WaitTimeoutError,
  waitForJob,
} from '../src/index.js';

const fast = { pollIntervalMs: 1, maxPollIntervalMs: 2 };
// Every registered provider pointed at its Prism mock.
const anyjob = (headers?: Record<string, string>) =>
  createAnyJob(
    Object.fromEntries(
      defaultProviders.map(({ name }) => [name, { apiKey: MOCK_API_KEY, baseUrl: mockUrl(name), headers }]),
    ),
  );

describe('createAnyJob against Prism', () => {
  it('TrueFoundry: trigger, read the stored ref, cancel', async () => {
    const run = await anyjob().triggerJob({
      provider: 'truefoundry',
      applicationId: 'cm8k2x1a00001abcd1234efgh',
    });
    expect(run.status).toBe('queued');
    const stored = JSON.parse(JSON.stringify(run.ref));
    await expect(anyjob().getJobRun(stored)).resolves.toMatchObject({
      provider: 'truefoundry',
      status: 'succeeded',
    });
    await expect(anyjob().cancelJob(stored)).resolves.toMatchObject({
      providerStatus: 'TERMINATION_REQUESTED',
    });
  });

  it('TrueFoundry: waitForJob throws JobFailedError with the failed run, WaitTimeoutError while running', async () => {
    const ref = {
      provider: 'truefoundry',
      applicationId: 'cm8k2x1a00001abcd1234efgh',
      jobRunName: 'my-training-job-4f8z2',
    } as const;
    const failed = await anyjob({ Prefer: 'example=failed' })
      .waitForJob(ref, fast)
      .catch((e: unknown) => e);
    expect(JobFailedError.isInstance(failed) && failed.run).toMatchObject({
      status: 'failed',
      providerStatus: 'FAILED',
    });
    // Long enough for the first poll to answer on a loaded machine: a wait cut off before the run
    // was ever read is a TimeoutError (nothing to attach), not the WaitTimeoutError tested here.
    const timedOut = await anyjob({ Prefer: 'example=running' })
      .waitForJob(ref, { pollIntervalMs: 250, maxPollIntervalMs: 250, timeoutMs: 3_000 })
      .catch((e: unknown) => e);
    expect(WaitTimeoutError.isInstance(timedOut) && timedOut.run.status).toBe('running');
  });

  it('Kognitos: trigger, then waitForJob resolves with the succeeded run and its outputs', async () => {
    const client = anyjob();
    const run = await client.triggerJob({
      provider: 'kognitos',
      agentId: 'b4fznghynbdemslfd5k044fgd',
      processId: 'p1',
    });
    const done = await client.waitForJob(run, fast);
    expect(done).toMatchObject({ status: 'succeeded', output: { total_items: 42 } });
    await expect(client.getJobRun(run.ref)).resolves.toMatchObject({ status: 'succeeded' });
    await expect(client.cancelJob(run)).rejects.toSatisfy(UnsupportedOperationError.isInstance);
  });

  it('Runchat: the trigger is already final; waitForJob returns it or throws for an agent error', async () => {
    const run = await anyjob().triggerJob({
      provider: 'runchat',
      flowId: 'flow_8f2c',
      inputs: { q_n1: 'hi' },
    });
    await expect(anyjob().waitForJob(run)).resolves.toBe(run);
    await expect(anyjob().getJobRun(JSON.parse(JSON.stringify(run.ref)))).resolves.toMatchObject({
      status: 'succeeded',
    });
    const failed = await anyjob({ Prefer: 'example=agentError' }).triggerJob({
      provider: 'runchat',
      jobId: 'j',
      message: 'hi',
    });
    const error = await anyjob()
      .waitForJob(failed.ref)
      .catch((e: unknown) => e);
    expect(JobFailedError.isInstance(error) && error.run.error).toContain('channel');
    await expect(anyjob().cancelJob(run)).rejects.toSatisfy(UnsupportedOperationError.isInstance);
  });

  it('rejects a request without a known provider', async () => {
    const error = await anyjob()
      .triggerJob({ provider: 'aws' } as unknown as TriggerRequest)
      .catch((e: unknown) => e);
    expect(InvalidRequestError.isInstance(error) && error.issues[0].path).toBe('provider');
  });
});

describe('composeAnyJob over adapters the caller created', () => {
  let sent = 0;
  const counting: typeof fetch = (input, init) => {
    sent++;
    return fetch(input, init);
  };
  const composed = () =>
    composeAnyJob({
      truefoundry: createTrueFoundry({
        apiKey: MOCK_API_KEY,
        baseUrl: mockUrl('truefoundry'),
        fetch: counting,
      }),
    });

  it('triggers, waits for and cancels through the given adapter', async () => {
    const run = await composed().triggerJob({
      provider: 'truefoundry',
      applicationId: 'cm8k2x1a00001abcd1234efgh',
    });
    expect(run).toMatchObject({ provider: 'truefoundry', status: 'queued' });
    await expect(composed().waitForJob(run.ref, fast)).resolves.toMatchObject({ status: 'succeeded' });
    await expect(composed().cancelJob(run.ref)).resolves.toMatchObject({ provider: 'truefoundry' });
  });

  it('a provider it was not given is an InvalidRequestError naming the ones it has, before any request', async () => {
    sent = 0;
    const error = await composed()
      .getJobRun({ provider: 'kognitos', runId: 'run1' })
      .catch((e: unknown) => e);
    expect(InvalidRequestError.isInstance(error)).toBe(true);
    expect((error as InvalidRequestError).issues).toEqual([
      expect.objectContaining({ path: 'provider', rule: 'enum' }),
    ]);
    expect((error as Error).message).toBe("`provider` must be one of 'truefoundry'.");
    await expect(composed().triggerJob({ provider: 'runchat', jobId: 'job_1' })).rejects.toThrow(
      /`provider` must be one of 'truefoundry'/,
    );
    expect(sent).toBe(0);
  });
});

describe('module functions configured from the environment', () => {
  afterEach(() => vi.unstubAllEnvs());

  it('trigger and await a job in three lines with TFY_API_KEY / TFY_HOST (read at the first call)', async () => {
    vi.stubEnv('TFY_API_KEY', MOCK_API_KEY);
    vi.stubEnv('TFY_HOST', mockUrl('truefoundry'));
    const run = await triggerJob({ provider: 'truefoundry', applicationId: 'cm8k2x1a00001abcd1234efgh' });
    const done = await waitForJob(run, fast);
    // Prism's first get-run example is FINISHED; the wait polled the run the trigger started.
    expect(done).toMatchObject({
      id: 'my-training-job-4f8z2',
      status: 'succeeded',
      providerStatus: 'FINISHED',
    });
    await expect(getJobRun(run)).resolves.toMatchObject({ status: 'succeeded' });
    await expect(cancelJob(run)).resolves.toMatchObject({ status: 'running' });
  });

  it('Kognitos from KOGNITOS_API_KEY / KOGNITOS_BASE_URL', async () => {
    // (Runchat's env base URL appends /api/v1 like its CLI, which the root-mounted Prism cannot serve.)
    vi.stubEnv('KOGNITOS_API_KEY', MOCK_API_KEY);
    vi.stubEnv('KOGNITOS_BASE_URL', mockUrl('kognitos'));
    const run = await triggerJob({ provider: 'kognitos', agentId: 'a1', processId: 'p1' });
    await expect(waitForJob(run, fast)).resolves.toMatchObject({ status: 'succeeded' });
  });

  it('a missing setting is a ConfigError at the call that needs it, naming the option and env var', async () => {
    const client = createAnyJob({ env: {} });
    const error = await client
      .triggerJob({ provider: 'truefoundry', applicationId: 'a' })
      .catch((e: unknown) => e);
    expect(ConfigError.isInstance(error)).toBe(true);
    expect((error as Error).message).toMatch(/baseUrl.*TFY_HOST/);
    const keyError = await createAnyJob({ env: {}, kognitos: { baseUrl: mockUrl('kognitos') } })
      .triggerJob({ provider: 'kognitos', agentId: 'a1', processId: 'p1' })
      .catch((e: unknown) => e);
    expect((keyError as Error).message).toMatch(/apiKey.*KOGNITOS_API_KEY/);
  });
});

describe('status table', () => {
  // Each provider package owns its table (its descriptor's `statuses`); mapStatus reads one.
  const tables = {
    truefoundry: truefoundry.statuses,
    kognitos: kognitos.statuses,
    runchat: runchat.statuses,
  };

  it.each([
    ['truefoundry', 'CREATED', 'queued'],
    ['truefoundry', 'SCHEDULED', 'queued'],
    ['truefoundry', 'RUNNING', 'running'],
    ['truefoundry', 'FINISHED', 'succeeded'],
    ['truefoundry', 'FAILED', 'failed'],
    ['truefoundry', 'TERMINATION_REQUESTED', 'running'],
    ['truefoundry', 'TERMINATING', 'running'],
    ['truefoundry', 'TERMINATED', 'canceled'],
    ['truefoundry', 'UNKNOWN', 'unknown'],
    ['truefoundry', 'PAUSED', 'unknown'],
    ['kognitos', 'Created', 'queued'],
    ['kognitos', 'Pending', 'queued'],
    ['kognitos', 'Running', 'running'],
    ['kognitos', 'succeeded', 'succeeded'],
    ['kognitos', 'Failed', 'failed'],
    ['kognitos', 'Cancelled', 'canceled'],
    ['kognitos', 'TimedOut', 'timed_out'],
    ['runchat', 'success', 'succeeded'],
    ['runchat', 'error', 'failed'],
    // Words that name Object.prototype members are unknown statuses like any other.
    ['kognitos', 'constructor', 'unknown'],
    ['truefoundry', '__proto__', 'unknown'],
    ['runchat', 'toString', 'unknown'],
  ] as const)('%s %s → %s', (provider, providerStatus, status) => {
    expect(mapStatus(tables[provider], providerStatus)).toBe(status);
  });

  it('only succeeded, failed, canceled and timed_out are terminal', () => {
    const all = ['queued', 'running', 'succeeded', 'failed', 'canceled', 'timed_out', 'unknown'] as const;
    expect(all.filter(isTerminal)).toEqual(['succeeded', 'failed', 'canceled', 'timed_out']);
  });
});
