// @anyjob/testing through the facade: every provider of the registry has a fake that lives
// (trigger → wait), scripts, cancel, faults, lists with pagination, fake timers, listen(), spec
// drift, and the request log.
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import {
  type AnyJobProviderDescriptor,
  ApiError,
  ConnectionError,
  createAnyJob,
  defaultProviders,
  JobCanceledError,
  JobFailedError,
  type JobRun,
  RedirectError,
  ResponseTooLargeError,
  type TriggerRequest,
  TriggerUnconfirmedError,
  UnsupportedOperationError,
} from 'anyjob';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { exampleTriggerRequest, triggerContractOf } from '../../../scripts/test-harness/trigger-requests.mjs';
import { createFakeProviders, type FakeFault, FakeSpecDriftError, serveFakeProviders } from '../src/index.js';

/** One example trigger per provider of the registry, from its descriptor (scripts/test-harness). */
const TRIGGERS: Record<string, TriggerRequest> = Object.fromEntries(
  defaultProviders.map((descriptor) => [
    descriptor.name,
    exampleTriggerRequest(descriptor) as TriggerRequest,
  ]),
);
// The triggers of the tests of one provider's own behaviour.
const TRUEFOUNDRY: TriggerRequest = { provider: 'truefoundry', applicationId: 'train' };
const KOGNITOS: TriggerRequest = { provider: 'kognitos', agentId: 'agent1', processId: 'invoices' };
const RUNCHAT: TriggerRequest = { provider: 'runchat', jobId: 'summarize' };

const FAST = { pollIntervalMs: 1, maxPollIntervalMs: 1 };

async function setUp(options?: Parameters<typeof createFakeProviders>[0]) {
  const fake = await createFakeProviders(options);
  const anyjob = createAnyJob({ ...fake.config(), retryDelayMs: 1 });
  return { fake, anyjob };
}

afterEach(() => {
  vi.useRealTimers();
});

describe('every provider of the registry', () => {
  const names = defaultProviders.map((descriptor) => descriptor.name);

  it('has a fake', async () => {
    const fake = await createFakeProviders();
    expect([...fake.providers].sort()).toEqual([...names].sort());
  });

  for (const name of names) {
    it(`${name}: trigger → waitForJob succeeds, and the fake holds the run`, async () => {
      const { fake, anyjob } = await setUp();
      const request = TRIGGERS[name] as TriggerRequest;
      const run = await anyjob.triggerJob(request);
      const done = await anyjob.waitForJob(run, FAST);
      expect(done.status).toBe('succeeded');
      const held = fake.runs(name);
      expect(held).toHaveLength(1);
      expect(held[0]?.status).toBe('succeeded');
      expect(done.id).toBe(name === 'runchat' ? run.id : held[0]?.id);
    });
  }
});

describe('scripts', () => {
  it('queued → running → succeeded over polls by default', async () => {
    const { fake, anyjob } = await setUp();
    const run = await anyjob.triggerJob(TRUEFOUNDRY);
    expect(run.status).toBe('queued');
    expect((await anyjob.getJobRun(run)).status).toBe('running');
    const done = await anyjob.getJobRun(run);
    expect(done.status).toBe('succeeded');
    expect(done.providerStatus).toBe('FINISHED');
    expect(fake.runs('truefoundry')[0]?.polls).toBe(2);
  });

  it('a matching rule fails the run: waitForJob throws JobFailedError with its message', async () => {
    const { fake, anyjob } = await setUp();
    fake.onTrigger('truefoundry', { applicationId: 'train' }).fail('OOM');
    const other = await anyjob.triggerJob({ provider: 'truefoundry', applicationId: 'other' });
    const run = await anyjob.triggerJob({ provider: 'truefoundry', applicationId: 'train' });
    const error = await anyjob.waitForJob(run, FAST).catch((e: unknown) => e);
    expect(JobFailedError.isInstance(error), String(error)).toBe(true);
    expect((error as JobFailedError).message).toContain('OOM');
    expect((await anyjob.waitForJob(other, FAST)).status).toBe('succeeded');
  });

  it('outputs of a succeeded run reach JobRun.output (Kognitos), times(n) limits a rule', async () => {
    const { fake, anyjob } = await setUp();
    fake.onTrigger('kognitos', { processId: 'invoices' }).succeed({ total: 42 }).times(1);
    const first = await anyjob.waitForJob(await anyjob.triggerJob(KOGNITOS), FAST);
    const second = await anyjob.waitForJob(await anyjob.triggerJob(KOGNITOS), FAST);
    expect(first.output).toEqual({ total: 42 });
    expect(second.output).toBeUndefined();
  });

  it('Runchat is synchronous: the trigger answers the final run, a failed one included', async () => {
    const { fake, anyjob } = await setUp();
    fake.onTrigger('runchat', { jobId: 'summarize' }).fail('model overloaded');
    const run = await anyjob.triggerJob(RUNCHAT);
    expect(run.status).toBe('failed');
    expect(run.error).toBe('model overloaded');
    expect(fake.requests({ provider: 'runchat' })).toHaveLength(1);
  });

  it('a bad script is refused before any run', async () => {
    const fake = await createFakeProviders();
    expect(() =>
      fake.onTrigger('truefoundry').script([{ status: 'succeeded' }, { status: 'running' }]),
    ).toThrow(/step 0 is final/);
    expect(() => fake.onTrigger('nope')).toThrow(/no fake of "nope"/);
  });
});

describe('cancel, as the provider does it', () => {
  it('TrueFoundry: TERMINATION_REQUESTED, then TERMINATED; waitForJob throws JobCanceledError', async () => {
    const { fake, anyjob } = await setUp();
    fake.onTrigger('truefoundry').runningFor({ polls: 100 });
    const run = await anyjob.triggerJob(TRUEFOUNDRY);
    const canceling = await anyjob.cancelJob(run);
    expect(canceling.providerStatus).toBe('TERMINATION_REQUESTED');
    expect(canceling.status).toBe('running');
    const error = await anyjob.waitForJob(run, FAST).catch((e: unknown) => e);
    expect(JobCanceledError.isInstance(error), String(error)).toBe(true);
    expect(fake.runs('truefoundry')[0]).toMatchObject({ status: 'canceled', providerStatus: 'TERMINATED' });
    expect(fake.requests({ operation: 'terminateJobRun' })).toHaveLength(1);
  });

  it('Kognitos has no cancel endpoint: UnsupportedOperationError, no request', async () => {
    const { fake, anyjob } = await setUp();
    const run = await anyjob.triggerJob(KOGNITOS);
    const error = await anyjob.cancelJob(run).catch((e: unknown) => e);
    expect(UnsupportedOperationError.isInstance(error), String(error)).toBe(true);
    expect(fake.requests({ provider: 'kognitos' })).toHaveLength(1);
  });

  it('a run scripted to end canceled reports TERMINATED', async () => {
    const { fake, anyjob } = await setUp();
    fake.onTrigger('truefoundry').cancel();
    const run = await anyjob.triggerJob(TRUEFOUNDRY);
    const error = await anyjob.waitForJob(run, FAST).catch((e: unknown) => e);
    expect(JobCanceledError.isInstance(error), String(error)).toBe(true);
  });
});

describe('faults on the trigger: never a duplicate, never a lost run', () => {
  // `recovered`: the run was created but its answer lost; the search finds it, and returns it only
  // where the provider's runs carry proof of the trigger (see the README's guarantees table).
  const cases: {
    fault: FakeFault;
    outcome: 'run' | 'recovered' | 'unconfirmed';
    runs: number;
    requests: number;
  }[] = [
    { fault: { kind: '429', retryAfterSeconds: 0 }, outcome: 'run', runs: 1, requests: 2 },
    { fault: { kind: '5xx', status: 502 }, outcome: 'unconfirmed', runs: 0, requests: 1 },
    { fault: { kind: '5xx', status: 503, afterCreate: true }, outcome: 'recovered', runs: 1, requests: 1 },
    { fault: { kind: 'reset' }, outcome: 'unconfirmed', runs: 0, requests: 1 },
    { fault: { kind: 'reset', afterCreate: true }, outcome: 'recovered', runs: 1, requests: 1 },
    { fault: { kind: 'slow-headers', ms: 50 }, outcome: 'run', runs: 1, requests: 1 },
    { fault: { kind: 'cut-body' }, outcome: 'recovered', runs: 1, requests: 1 },
    { fault: { kind: 'invalid-json' }, outcome: 'recovered', runs: 1, requests: 1 },
    { fault: { kind: 'hang' }, outcome: 'unconfirmed', runs: 0, requests: 1 },
  ];
  // The providers of the registry whose lost trigger answers anyjob reconciles from the run list
  // without an idempotency key (a provider with one retries instead: the fault matrix judges it).
  // Where the run carries proof of its trigger (Kognitos' default run name has a random marker) a
  // found run is returned; else (a TrueFoundry run, a GitHub dispatch's run) it is only a candidate.
  const reconciled = defaultProviders.filter(
    (d) => d.testing && d.capabilities.list && !d.synchronousRuns && !d.contract?.idempotency,
  );
  for (const descriptor of reconciled) {
    const provider = descriptor.name;
    for (const c of cases) {
      it(`${provider}: ${JSON.stringify(c.fault)} → ${c.outcome}, ${c.runs} run(s)`, async () => {
        const { fake, anyjob } = await setUp();
        const request = TRIGGERS[provider] as TriggerRequest;
        const { operation, proves: proof } = await triggerContractOf(descriptor, request, fake);
        fake.fault(provider, operation, c.fault);
        const result = await anyjob.triggerJob(request, { timeoutMs: 300 }).then(
          (run: JobRun) => ({ run }),
          (error: unknown) => ({ error }),
        );
        const held = fake.runs(provider);
        expect(held).toHaveLength(c.runs);
        expect(fake.requests({ operation })).toHaveLength(c.requests);
        expect(fake.requests({ operation })[0]?.fault).toBe(c.fault.kind);
        if (c.outcome === 'run' || (c.outcome === 'recovered' && proof)) {
          expect('run' in result, String((result as { error?: unknown }).error)).toBe(true);
          expect((result as { run: JobRun }).run.id).toBe(held[0]?.id);
        } else if (c.outcome === 'recovered') {
          const { error } = result as { error: unknown };
          expect(TriggerUnconfirmedError.isInstance(error), String(error)).toBe(true);
          const unconfirmed = error as TriggerUnconfirmedError;
          expect(unconfirmed.reconciliation.outcome).toBe('unproven');
          expect(unconfirmed.candidates?.map((run) => run.id)).toContain(held[0]?.id);
        } else {
          const { error } = result as { error: unknown };
          expect(TriggerUnconfirmedError.isInstance(error), String(error)).toBe(true);
          expect((error as TriggerUnconfirmedError).reconciliation.outcome).toBe('not-found');
        }
      });
    }
  }

  it('a 429 with Retry-After: 2 is honoured (fake timers): the retry waits 2 s', async () => {
    const { fake, anyjob } = await setUp();
    // A client loads a provider's code on its first call (a real module load): one call first.
    await anyjob.triggerJob(TRUEFOUNDRY);
    fake.reset();
    vi.useFakeTimers();
    fake.fault('truefoundry', 'triggerJob', { kind: '429', retryAfterSeconds: 2 });
    const pending = anyjob.triggerJob(TRUEFOUNDRY);
    await vi.advanceTimersByTimeAsync(1_900);
    expect(fake.requests({ operation: 'triggerJob' })).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(200);
    const run = await pending;
    const [first, second] = fake.requests({ operation: 'triggerJob' });
    expect(second).toBeDefined();
    expect((second?.time ?? 0) - (first?.time ?? 0)).toBeGreaterThanOrEqual(2_000);
    expect(run.id).toBe(fake.runs('truefoundry')[0]?.id);
  });

  it('faults strike the times asked, and unknown operations are refused', async () => {
    const { fake, anyjob } = await setUp();
    fake.fault('truefoundry', 'getJobRun', { kind: '5xx', times: 2 });
    const run = await anyjob.triggerJob(TRUEFOUNDRY);
    // Reads are retried: two 500s, then the answer.
    await anyjob.getJobRun(run);
    expect(fake.requests({ operation: 'getJobRun' }).map((r) => r.status)).toEqual([500, 500, 200]);
    expect(() => fake.fault('truefoundry', 'explode', { kind: 'reset' })).toThrow(/no operation "explode"/);
  });
});

describe('lists with the providers’ pagination', () => {
  it('TrueFoundry: listJobRuns reads 250 runs over 3 pages, newest first; the status filter works', async () => {
    const { fake, anyjob } = await setUp();
    fake.onTrigger('truefoundry', { applicationId: 'train' }).fail('boom').times(5);
    for (let i = 0; i < 250; i++)
      await anyjob.triggerJob({ provider: 'truefoundry', applicationId: 'train' });
    const ids: string[] = [];
    for await (const run of anyjob.listJobRuns({ provider: 'truefoundry', applicationId: 'train' }))
      ids.push(run.id);
    expect(ids).toHaveLength(250);
    expect(new Set(ids).size).toBe(250);
    expect(ids).toEqual(
      fake
        .runs('truefoundry')
        .map((run) => run.id)
        .reverse(),
    );
    expect(fake.requests({ operation: 'listJobRuns' }).length).toBeGreaterThanOrEqual(3);
    // Every run has been read once by the list: the failing ones are final now (queued → running
    // → failed takes two polls; list again to see them final).
    for await (const _ of anyjob.listJobRuns({ provider: 'truefoundry', applicationId: 'train' })) {
    }
    const failed: string[] = [];
    for await (const run of anyjob.listJobRuns({
      provider: 'truefoundry',
      applicationId: 'train',
      status: 'FAILED',
    }))
      failed.push(run.id);
    expect(failed).toHaveLength(5);
  });

  it('Kognitos: listJobRuns follows the continuation token over 2 pages', async () => {
    const { fake, anyjob } = await setUp();
    for (let i = 0; i < 130; i++) await anyjob.triggerJob(KOGNITOS);
    const ids: string[] = [];
    for await (const run of anyjob.listJobRuns({
      provider: 'kognitos',
      agentId: 'agent1',
      processId: 'invoices',
    }))
      ids.push(run.id);
    expect(new Set(ids).size).toBe(130);
    const pages = fake.requests({ operation: 'listRuns' });
    expect(pages.length).toBeGreaterThanOrEqual(2);
    expect(pages[1]?.url).toContain('continuation_token=');
  });

  it('waitForJobs polls a batch through the list and reports each outcome', async () => {
    const { fake, anyjob } = await setUp();
    fake.onTrigger('truefoundry', (request) => request.alias === 'bad').fail('exit 1');
    const runs = [];
    for (let i = 0; i < 6; i++)
      runs.push(
        await anyjob.triggerJob({
          provider: 'truefoundry',
          applicationId: 'batch',
          alias: i === 2 ? 'bad' : `ok-${i}`,
        }),
      );
    const results = await anyjob.waitForJobs(runs, FAST);
    expect(results.map((result) => ('run' in result ? 'ok' : 'error'))).toEqual([
      'ok',
      'ok',
      'error',
      'ok',
      'ok',
      'ok',
    ]);
    expect(fake.requests({ operation: 'listJobRuns' }).length).toBeGreaterThan(0);
  });
});

describe('operations beyond the facade', () => {
  it('TrueFoundry deleteJobRun: 409 while the run runs, then the run is gone from gets and lists', async () => {
    const { fake, anyjob } = await setUp();
    const run = await anyjob.triggerJob(TRUEFOUNDRY);
    const url = `${fake.baseUrl('truefoundry')}/api/svc/v1/jobs/train/runs/${run.id}`;
    const headers = { authorization: `Bearer ${fake.apiKey('truefoundry')}` };
    expect((await fake.fetch(url, { method: 'DELETE', headers })).status).toBe(409);
    await anyjob.waitForJob(run, FAST);
    expect((await fake.fetch(url, { method: 'DELETE', headers })).status).toBe(200);
    expect((await fake.fetch(url, { headers })).status).toBe(404);
    const listed = await fake.fetch(`${fake.baseUrl('truefoundry')}/api/svc/v1/jobs/train/runs`, { headers });
    expect(await listed.json()).toMatchObject({ data: [], pagination: { total: 0 } });
    expect(fake.runs('truefoundry')).toEqual([]);
  });
});

describe('virtual time', () => {
  it('a run scripted to take 10 minutes finishes when fake timers advance 10 minutes', async () => {
    const { fake, anyjob } = await setUp();
    // After createFakeProviders: it loads what the first request needs while real timers run.
    vi.useFakeTimers();
    fake
      .onTrigger('truefoundry')
      .queuedFor(30_000)
      .runningFor(10 * 60_000)
      .succeed();
    const startedAt = Date.now();
    const run = await anyjob.triggerJob(TRUEFOUNDRY);
    let done: JobRun | undefined;
    const waiting = anyjob.waitForJob(run).then((finished) => {
      done = finished;
    });
    await vi.advanceTimersByTimeAsync(10 * 60_000);
    expect(done).toBeUndefined();
    expect(fake.runs('truefoundry')[0]?.status).toBe('running');
    await vi.advanceTimersByTimeAsync(2 * 60_000);
    await waiting;
    expect(done?.status).toBe('succeeded');
    const held = fake.runs('truefoundry')[0];
    expect((held?.endedAt ?? 0) - (held?.startedAt ?? 0)).toBe(10 * 60_000);
    expect(Date.now() - startedAt).toBeGreaterThanOrEqual(10.5 * 60_000);
  });
});

describe('listen()', () => {
  it('serves plain fetch and the facade over HTTP on 127.0.0.1', async () => {
    const fake = await createFakeProviders();
    const server = await fake.listen();
    try {
      expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      const answer = await fetch(`${server.baseUrls.truefoundry}/api/svc/v1/jobs/trigger`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${fake.apiKey('truefoundry')}`,
          'content-type': 'application/json',
        },
        body: JSON.stringify({ applicationId: 'plain' }),
      });
      expect(answer.status).toBe(200);
      expect(((await answer.json()) as { data: { status: string } }).data.status).toBe('CREATED');

      const anyjob = createAnyJob({
        env: {},
        retryDelayMs: 1,
        kognitos: { apiKey: fake.apiKey('kognitos'), baseUrl: server.baseUrls.kognitos },
      });
      const run = await anyjob.triggerJob(KOGNITOS);
      expect((await anyjob.waitForJob(run, FAST)).status).toBe('succeeded');
      expect(fake.runs().map((held) => held.provider)).toEqual(['truefoundry', 'kognitos']);
    } finally {
      await server.close();
    }
  });

  it('serves the anyjob CLI: trigger --wait on a run scripted to fail exits 1 with its message', async () => {
    const fake = await createFakeProviders();
    fake.onTrigger('truefoundry', { applicationId: 'cli-job' }).fail('Segmentation fault');
    const server = await fake.listen();
    try {
      const bin = fileURLToPath(new URL('../../cli/dist/bin.js', import.meta.url));
      const result = await promisify(execFile)(
        process.execPath,
        [
          bin,
          'trigger',
          'truefoundry',
          '--application',
          'cli-job',
          '--wait',
          '--poll-interval',
          '10ms',
          '--json',
        ],
        { env: { TFY_HOST: server.baseUrls.truefoundry, TFY_API_KEY: fake.apiKey('truefoundry') } },
      ).then(
        () => ({ code: 0, stderr: '' }),
        (error: { code: number; stderr: string }) => error,
      );
      expect(result.code).toBe(1);
      expect(result.stderr).toContain('Segmentation fault');
      expect(fake.runs('truefoundry')[0]).toMatchObject({
        status: 'failed',
        request: { applicationId: 'cli-job' },
      });
    } finally {
      await server.close();
    }
  });

  it('cors: true answers preflights (unrecorded) and lets other origins read every answer; off by default', async () => {
    const fake = await createFakeProviders();
    const open = await fake.listen({ cors: true });
    const closed = await fake.listen();
    try {
      const url = (server: typeof open) => `${server.baseUrls.kognitos}/health`;
      const preflight = await fetch(url(open), { method: 'OPTIONS' });
      expect(preflight.status).toBe(204);
      expect(preflight.headers.get('access-control-allow-headers')).toContain('x-api-key');
      const answer = await fetch(url(open), { headers: { 'x-api-key': fake.apiKey('kognitos') } });
      expect(answer.status).toBe(200);
      expect(answer.headers.get('access-control-allow-origin')).toBe('*');
      const plain = await fetch(url(closed), { headers: { 'x-api-key': fake.apiKey('kognitos') } });
      expect(plain.headers.get('access-control-allow-origin')).toBeNull();
      expect(fake.requests().map((r) => r.method)).toEqual(['GET', 'GET']);
    } finally {
      await Promise.all([open.close(), closed.close()]);
    }
  });

  it('a reset fault over HTTP closes the connection', async () => {
    const fake = await createFakeProviders();
    const server = await fake.listen();
    try {
      const anyjob = createAnyJob({
        env: {},
        retryDelayMs: 1,
        maxRetries: 0,
        truefoundry: { apiKey: fake.apiKey('truefoundry'), baseUrl: server.baseUrls.truefoundry },
      });
      fake.fault('truefoundry', 'getJobRun', { kind: 'reset', times: 'always' });
      const run = await anyjob.triggerJob(TRUEFOUNDRY);
      const error = await anyjob.getJobRun(run).catch((e: unknown) => e);
      expect(ConnectionError.isInstance(error), String(error)).toBe(true);
    } finally {
      await server.close();
    }
  });
});

describe('every answer is checked against the provider spec', () => {
  it('a fake that drifts from the spec fails loudly, naming the operation and the field', async () => {
    const truefoundry = defaultProviders.find((d) => d.name === 'truefoundry') as AnyJobProviderDescriptor;
    const drifting: AnyJobProviderDescriptor = {
      ...truefoundry,
      testing: {
        async load() {
          const { fake } = await (
            truefoundry.testing as NonNullable<AnyJobProviderDescriptor['testing']>
          ).load();
          return {
            fake: {
              ...fake,
              handlers: {
                ...fake.handlers,
                // A status word the spec does not have.
                getJobRun: (context) => {
                  const answer = fake.handlers.getJobRun?.(context) as {
                    status: number;
                    body: { data: object };
                  };
                  return { ...answer, body: { data: { ...answer.body.data, status: 'DONE' } } };
                },
              },
            },
          };
        },
      },
    };
    const drifts: Error[] = [];
    const fake = await createFakeProviders({ providers: [drifting], onDrift: (error) => drifts.push(error) });
    const anyjob = createAnyJob({ ...fake.config(), retryDelayMs: 1, maxRetries: 0 });
    const run = await anyjob.triggerJob(TRUEFOUNDRY);
    const error = await anyjob.getJobRun(run).catch((e: unknown) => e);
    expect(drifts).toHaveLength(1);
    expect(drifts[0]).toBeInstanceOf(FakeSpecDriftError);
    expect(drifts[0]?.message).toContain('truefoundry.getJobRun');
    expect(drifts[0]?.message).toContain('response.data.status');
    // The client sees the fetch fail, with the drift as the cause.
    expect((error as Error).cause).toBe(drifts[0]);
  });

  it('the fake’s own answers pass (no drift across a whole scenario)', async () => {
    const drifts: Error[] = [];
    const { anyjob } = await setUp({ onDrift: (error) => drifts.push(error) });
    for (const request of Object.values(TRIGGERS)) {
      const run = await anyjob.triggerJob(request);
      await anyjob.waitForJob(run, FAST);
    }
    expect(drifts).toEqual([]);
  });
});

describe('request inspection', () => {
  it('records every request with keys redacted', async () => {
    const { fake, anyjob } = await setUp({
      apiKeys: { truefoundry: 'tfy-secret-123', kognitos: 'kg-secret-456' },
    });
    // A key that ends up in a body (here a parameter) is redacted there too.
    await anyjob.triggerJob({
      provider: 'truefoundry',
      applicationId: 'train',
      params: { echo: 'tfy-secret-123' },
    });
    await anyjob.triggerJob(KOGNITOS);
    const triggers = fake.requests({ operation: 'triggerJob' });
    expect(triggers).toHaveLength(1);
    expect(triggers[0]?.headers.authorization).toBe('[redacted]');
    expect(fake.requests({ provider: 'kognitos' })[0]?.headers['x-api-key']).toBe('[redacted]');
    const everything = JSON.stringify(fake.requests());
    expect(everything).not.toContain('tfy-secret-123');
    expect(everything).not.toContain('kg-secret-456');
    expect(JSON.parse(triggers[0]?.body ?? '{}')).toEqual({
      applicationId: 'train',
      input: { params: { echo: '[redacted]' } },
    });
  });

  it('a wrong key is refused with the provider’s 401', async () => {
    const fake = await createFakeProviders();
    const anyjob = createAnyJob({
      fetch: fake.fetch,
      env: {},
      truefoundry: { apiKey: 'wrong', baseUrl: fake.baseUrl('truefoundry') },
    });
    await expect(anyjob.triggerJob(TRUEFOUNDRY)).rejects.toThrow(/401|key/i);
    expect(fake.runs()).toEqual([]);
  });

  it('a basic-auth key (`user:token`) is accepted as the client sends it, in base64, and refused as given', async () => {
    // Any provider of the registry, its fake told that its API takes basic auth.
    const descriptor = defaultProviders.find((d) => d.testing) as AnyJobProviderDescriptor;
    const module = await descriptor.testing?.load();
    if (!module) throw new Error(`${descriptor.name} has no fake`);
    const basic: AnyJobProviderDescriptor = {
      ...descriptor,
      testing: {
        load: async () => ({ fake: { ...module.fake, auth: { header: 'authorization', scheme: 'Basic' } } }),
      },
    };
    const key = 'ci-user:tøken';
    const fake = await createFakeProviders({ providers: [basic], apiKeys: { [descriptor.name]: key } });
    const [path, operation] =
      Object.entries(module.fake.operations).find(([, o]) => o.method === 'GET') ?? [];
    if (!operation) throw new Error(`${descriptor.name}'s fake has no GET operation`);
    const url = `${fake.baseUrl(descriptor.name)}${operation.url.replace(/\{[^}]*\}/g, 'x')}`;
    const send = (authorization: string) =>
      fake.fetch(url, { headers: { authorization } }).then((r) => r.status);
    const encoded = Buffer.from(key, 'utf8').toString('base64');
    expect(await send(`Basic ${encoded}`), path).not.toBe(401);
    expect(await send(`Basic ${key}`)).toBe(401);
    expect(await send(`Basic ${Buffer.from('ci-user:wrong').toString('base64')}`)).toBe(401);
    // The encoded key is redacted from the log like any other.
    expect(JSON.stringify(fake.requests())).not.toContain(encoded);
  });

  it('reset() forgets runs, requests, rules and faults', async () => {
    const { fake, anyjob } = await setUp();
    fake.onTrigger('truefoundry').fail();
    fake.fault('truefoundry', 'getJobRun', { kind: 'reset', times: 'always' });
    await anyjob.triggerJob(TRUEFOUNDRY);
    fake.reset();
    expect(fake.runs()).toEqual([]);
    expect(fake.requests()).toEqual([]);
    const run = await anyjob.triggerJob(TRUEFOUNDRY);
    expect((await anyjob.waitForJob(run, FAST)).status).toBe('succeeded');
  });
});

describe('faults of the transport: redirects, huge bodies, gzip bombs, any status', () => {
  const LIMIT = 1024 * 1024;
  const HUGE = 200 * 1024 * 1024;
  const transports = ['in-process fetch', 'listen()'] as const;

  /** A client on the fake through the transport; close() stops a server. */
  async function client(transport: (typeof transports)[number]) {
    const fake = await createFakeProviders();
    const server = transport === 'listen()' ? await fake.listen() : undefined;
    const anyjob = createAnyJob({
      env: {},
      retryDelayMs: 1,
      maxRetries: 0,
      maxResponseBytes: LIMIT,
      truefoundry: {
        apiKey: fake.apiKey('truefoundry'),
        baseUrl: server?.baseUrls.truefoundry ?? fake.baseUrl('truefoundry'),
      },
      ...(server ? {} : { fetch: fake.fetch }),
    });
    return { fake, anyjob, close: () => server?.close() };
  }

  for (const transport of transports) {
    for (const fault of [
      { kind: 'huge-body', bytes: HUGE },
      { kind: 'gzip-bomb', inflatedBytes: HUGE },
    ] as const) {
      it(`${transport}: a ${fault.kind} is refused at maxResponseBytes, and only about that much was sent`, async () => {
        const { fake, anyjob, close } = await client(transport);
        try {
          const run = await anyjob.triggerJob(TRUEFOUNDRY);
          fake.fault('truefoundry', 'getJobRun', fault);
          const error = await anyjob.getJobRun(run).catch((e: unknown) => e);
          expect(ResponseTooLargeError.isInstance(error), String(error)).toBe(true);
          expect((error as ResponseTooLargeError).bytesRead).toBeGreaterThan(LIMIT);
          // Give the server a moment to notice the client left.
          await new Promise((resolve) => setTimeout(resolve, 20));
          const [answer] = fake.requests({ operation: 'getJobRun' });
          expect(answer).toMatchObject({ fault: fault.kind, status: 200 });
          expect(answer?.bytesSent).toBeGreaterThan(0);
          expect(answer?.bytesSent).toBeLessThan(HUGE / 4);
        } finally {
          await close();
        }
      });
    }

    it(`${transport}: a redirect to another origin is refused (RedirectError), its own origin followed`, async () => {
      const { fake, anyjob, close } = await client(transport);
      try {
        fake.fault('truefoundry', 'triggerJob', {
          kind: 'redirect',
          location: 'http://127.0.0.1:9/elsewhere',
        });
        const refused = await anyjob.triggerJob(TRUEFOUNDRY).catch((e: unknown) => e);
        expect(RedirectError.isInstance(refused), String(refused)).toBe(true);
        expect(fake.runs('truefoundry')).toEqual([]);
        fake.fault('truefoundry', 'triggerJob', { kind: 'redirect', status: 308 });
        const run = await anyjob.triggerJob(TRUEFOUNDRY);
        expect(fake.requests({ operation: 'triggerJob' }).map((r) => r.status)).toEqual([307, 308, 200]);
        expect(fake.runs('truefoundry').map((held) => held.id)).toEqual([run.id]);
      } finally {
        await close();
      }
    });
  }

  it('a huge body with Content-Length is refused before a byte of it is read', async () => {
    const { fake, anyjob } = await client('in-process fetch');
    const run = await anyjob.triggerJob(TRUEFOUNDRY);
    fake.fault('truefoundry', 'getJobRun', { kind: 'huge-body', bytes: HUGE, contentLength: true });
    const error = await anyjob.getJobRun(run).catch((e: unknown) => e);
    expect((error as ResponseTooLargeError).bytesRead).toBe(0);
  });

  it('a status fault answers any error status with the provider’s body and message; huge-body can be an error too', async () => {
    const { fake, anyjob } = await client('in-process fetch');
    const run = await anyjob.triggerJob(TRUEFOUNDRY);
    fake.fault('truefoundry', 'getJobRun', { kind: 'status', status: 403, message: 'not yours' });
    const forbidden = await anyjob.getJobRun(run).catch((e: unknown) => e);
    expect(ApiError.isInstance(forbidden) && forbidden.status).toBe(403);
    expect(String(forbidden)).toContain('not yours');
    fake.fault('truefoundry', 'getJobRun', { kind: '5xx', message: 'x'.repeat(100 * 1024) });
    const big = await anyjob.getJobRun(run).catch((e: unknown) => e);
    expect(ApiError.isInstance(big) && big.status).toBe(500);
    expect(String((big as ApiError).body)).toMatch(/…\[truncated: \d+ bytes\]$/);
    fake.fault('truefoundry', 'getJobRun', { kind: 'huge-body', bytes: HUGE, status: 503 });
    const error = await anyjob.getJobRun(run).catch((e: unknown) => e);
    expect(ResponseTooLargeError.isInstance(error) && error.status).toBe(503);
    expect(() => fake.fault('truefoundry', 'getJobRun', { kind: 'status', status: 200 })).toThrow(
      /status from 400 to 599/,
    );
  });

  it('a fault’s headers are added to its answer (a provider’s request id)', async () => {
    const { fake } = await client('in-process fetch');
    fake.fault('truefoundry', 'triggerJob', {
      kind: 'slow-headers',
      ms: 0,
      headers: { 'x-request-id': 'req-1' },
    });
    const trigger = () =>
      fake.fetch(`${fake.baseUrl('truefoundry')}/api/svc/v1/jobs/trigger`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${fake.apiKey('truefoundry')}`,
          'content-type': 'application/json',
        },
        body: JSON.stringify({ applicationId: 'a' }),
      });
    expect((await trigger()).headers.get('x-request-id')).toBe('req-1');
    expect((await trigger()).headers.get('x-request-id')).toBeNull();
  });

  it('slow-headers with afterCreate: the run exists even when the caller gives up waiting', async () => {
    const { fake, anyjob } = await client('in-process fetch');
    fake.fault('truefoundry', 'triggerJob', { kind: 'slow-headers', ms: 2_000, afterCreate: true });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    const error = await anyjob
      .triggerJob(TRUEFOUNDRY, { signal: controller.signal })
      .catch((e: unknown) => e);
    expect(TriggerUnconfirmedError.isInstance(error), String(error)).toBe(true);
    expect(fake.runs('truefoundry')).toHaveLength(1);
  });
});

describe('more of a run', () => {
  it('script(fn) gives each run its own script; runs name the request that created them and when a read first saw them final', async () => {
    const { fake, anyjob } = await setUp();
    fake.onTrigger('truefoundry').script((request) =>
      request.alias === 'bad'
        ? [
            { status: 'running', polls: 1 },
            { status: 'failed', error: 'bad luck' },
          ]
        : [{ status: 'succeeded' }],
    );
    const good = await anyjob.triggerJob({ provider: 'truefoundry', applicationId: 'a', alias: 'good' });
    const bad = await anyjob.triggerJob({ provider: 'truefoundry', applicationId: 'a', alias: 'bad' });
    await expect(anyjob.waitForJob(bad, FAST)).rejects.toThrow(/bad luck/);
    const [first, second] = fake.runs('truefoundry');
    expect(first).toMatchObject({ id: good.id, status: 'succeeded', finalReadAt: undefined });
    expect(second).toMatchObject({ id: bad.id, status: 'failed' });
    expect(second?.finalReadAt).toBeGreaterThanOrEqual(second?.endedAt ?? Number.POSITIVE_INFINITY);
    const triggers = fake.requests({ operation: 'triggerJob' });
    expect([first?.requestId, second?.requestId]).toEqual(triggers.map((r) => r.id));
    fake.onTrigger('truefoundry').script(() => []);
    await expect(anyjob.triggerJob(TRUEFOUNDRY)).rejects.toThrow();
  });
});

describe('serveFakeProviders()', () => {
  it('serves every provider with the env a client reads (each provider’s own variables) and its export line', async () => {
    const { fake, server, providers, env, exportLine } = await serveFakeProviders();
    try {
      expect(providers.map((provider) => provider.name)).toEqual([...fake.providers]);
      // Only the env it printed: each provider configured from its own variables.
      const anyjob = createAnyJob({ env: { ...env }, retryDelayMs: 1 });
      for (const name of fake.providers) {
        const run = await anyjob.triggerJob(TRIGGERS[name] as TriggerRequest);
        expect(run.provider).toBe(name);
      }
      expect(fake.runs().map((run) => run.provider)).toEqual([...fake.providers]);
      // Runs take a few seconds in a shell session.
      expect(fake.runs('truefoundry')[0]?.status).toBe('queued');
      expect(exportLine).toBe(
        `export ${Object.entries(env)
          .map(([name, value]) => `${name}=${value}`)
          .join(' ')}`,
      );
      expect(env.TFY_HOST).toBe(server.baseUrls.truefoundry);
    } finally {
      await server.close();
    }
  });
});
