// Retries, timeouts, cancellation and secrecy, against the scripted loopback server. Each test
// counts the requests that reached the server, so a duplicate trigger cannot go unnoticed.
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { refusedUrl, useLoopbackServer } from '../../../scripts/test-harness/loopback-server.js';
import {
  AbortError,
  type ApiError,
  AuthenticationError,
  ConnectionError,
  createAnyJob,
  InternalServerError,
  InvalidRequestError,
  JobCanceledError,
  JobFailedError,
  RateLimitError,
  ResponseValidationError,
  TimeoutError,
  TriggerUnconfirmedError,
  type TrueFoundryJobRef,
  WaitTimeoutError,
} from '../src/index.js';

const TRIGGER = 'POST /api/svc/v1/jobs/trigger';
const GET = 'GET /api/svc/v1/jobs/app1/runs/train-1';
const KEY = 'tfy-LEAK-CANARY-7f3a9c0d2e';
const ref: TrueFoundryJobRef = {
  provider: 'truefoundry',
  applicationId: 'app1',
  deploymentId: 'dep1',
  jobRunName: 'train-1',
};
const runBody = (status: string, extra: Record<string, unknown> = {}) => ({
  id: 'r1',
  name: 'train-1',
  applicationName: 'train',
  deploymentVersion: '1',
  createdAt: 1,
  command: 'python train.py',
  totalRetries: 0,
  status,
  applicationId: 'app1',
  deploymentId: 'dep1',
  ...extra,
});
const triggered = { body: { message: 'Job triggered', jobRunName: 'train-1', data: runBody('CREATED') } };
const request = { provider: 'truefoundry', applicationId: 'app1' } as const;
// After a trigger with an unknown outcome, the application's run list is searched for the run.
const LIST = 'GET /api/svc/v1/jobs/app1/runs';
const runList = (...runs: ReturnType<typeof runBody>[]) => ({
  body: { data: runs, pagination: { total: runs.length, offset: 0, limit: 100 } },
});

describe('retries and timeouts', () => {
  const server = useLoopbackServer();
  // Tiny backoffs keep the suite fast; the policy, not the delay, is under test.
  const anyjob = (extra: Record<string, unknown> = {}) =>
    createAnyJob({
      truefoundry: { apiKey: KEY, baseUrl: server.url },
      retryDelayMs: 1,
      maxRetryDelayMs: 5,
      ...extra,
    });

  it('retries a trigger after 429 and returns the run (two requests)', async () => {
    server.script(TRIGGER, [{ status: 429, body: { statusCode: 429, message: 'slow down' } }, triggered]);
    await expect(anyjob().triggerJob(request)).resolves.toMatchObject({ status: 'queued', id: 'train-1' });
    expect(server.count(TRIGGER)).toBe(2);
  });

  // A trigger whose outcome is unknown is never repeated; the run list is searched instead, and
  // without a single matching run the trigger ends in TriggerUnconfirmedError, its cause the failure.
  async function unconfirmed(call: Promise<unknown>, outcome: string): Promise<TriggerUnconfirmedError> {
    const error = await call.catch((e: unknown) => e);
    expect(TriggerUnconfirmedError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({
      provider: 'truefoundry',
      operation: 'triggerJob',
      request: { applicationId: 'app1' },
    });
    expect((error as TriggerUnconfirmedError).reconciliation.outcome).toBe(outcome);
    expect(server.count(TRIGGER)).toBe(1);
    const [search] = server.requests(LIST);
    expect(Object.fromEntries(search.query)).toMatchObject({ sortBy: 'startTime', order: 'desc' });
    return error as TriggerUnconfirmedError;
  }

  it('never retries a trigger after 500: exactly one request reaches the server', async () => {
    server.script(TRIGGER, [{ status: 500, body: { statusCode: 500, message: 'oops' } }, triggered]);
    // No run shows up: after a 500 (an answer, not a timeout) one search says it all.
    server.script(LIST, runList());
    const error = await unconfirmed(anyjob().triggerJob(request), 'not-found');
    expect(InternalServerError.isInstance(error.cause)).toBe(true);
    expect(error.cause).toMatchObject({ status: 500, provider: 'truefoundry', operation: 'triggerJob' });
    expect(server.count(LIST)).toBe(1);
  });

  it('never retries a trigger whose connection dropped after sending', async () => {
    server.script(TRIGGER, [{ destroy: true }, triggered]);
    // Two runs started in the window: either may be this trigger's, so neither is picked.
    const now = Date.now();
    server.script(
      LIST,
      runList(
        runBody('CREATED', { name: 'train-2', createdAt: now }),
        runBody('RUNNING', { createdAt: now }),
      ),
    );
    const error = await unconfirmed(anyjob().triggerJob(request), 'unproven');
    expect(ConnectionError.isInstance(error.cause)).toBe(true);
    expect((error.cause as ConnectionError).beforeSend).toBe(false);
    expect(error.candidates.map((run) => run.id)).toEqual(['train-2', 'train-1']);
  });

  it('never retries a trigger that timed out', async () => {
    server.script(TRIGGER, [{ ...triggered, delayMs: 5_000 }, triggered]);
    server.script(LIST, { status: 404, body: { statusCode: 404, message: 'no such job' } });
    const error = await unconfirmed(anyjob().triggerJob(request, { timeoutMs: 400 }), 'failed');
    expect(TimeoutError.isInstance(error.cause)).toBe(true);
    expect(error.reconciliation.reconcileError).toMatchObject({ name: 'NotFoundError', status: 404 });
  });

  // A run matching on application, time and command may be another caller's (a colleague, a cron,
  // another worker of a batch) while this trigger started nothing: even when it is the only match
  // it is a candidate of the error, never the run the trigger returns.
  it('a trigger with an unknown outcome does not resolve with the one run the search finds', async () => {
    server.script(TRIGGER, [{ status: 502 }, triggered]);
    // An older run (outside the trigger's window) and one in the window: mine or someone else's.
    server.script(
      LIST,
      runList(
        runBody('RUNNING', { createdAt: Date.now() }),
        runBody('FINISHED', { name: 'old', createdAt: 1 }),
      ),
    );
    const error = await unconfirmed(anyjob().triggerJob(request), 'unproven');
    expect(error.candidates).toMatchObject([
      { provider: 'truefoundry', id: 'train-1', status: 'running', ref: { jobRunName: 'train-1' } },
    ]);
    expect(error.candidates[0].createdAt).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(error.message).toContain('1 run matches, but nothing proves this trigger started it');
    expect(server.count(LIST)).toBe(1);
  });

  it('retries a read after 503, and after a timeout', async () => {
    server.script(GET, [{ status: 503 }, { body: { data: runBody('RUNNING') } }]);
    await expect(anyjob().getJobRun(ref)).resolves.toMatchObject({ status: 'running' });
    expect(server.count(GET)).toBe(2);

    server.reset();
    server.script(GET, [{ delayMs: 5_000, body: {} }, { body: { data: runBody('RUNNING') } }]);
    await expect(anyjob().getJobRun(ref, { timeoutMs: 400 })).resolves.toMatchObject({ status: 'running' });
    expect(server.count(GET)).toBe(2);
  });

  it('a body that stalls past the timeout is a TimeoutError, also after the headers arrived', async () => {
    server.script(GET, { body: { data: runBody('RUNNING') }, stallBodyMs: 5_000 });
    const error = await anyjob()
      .getJobRun(ref, { timeoutMs: 400, maxRetries: 0 })
      .catch((e: unknown) => e);
    expect(TimeoutError.isInstance(error) && error.message).toContain('timed out after 400 ms');
  });

  it('aborting while the body is read is an AbortError, not a raw DOMException', async () => {
    server.script(GET, { body: { data: runBody('RUNNING') }, stallBodyMs: 5_000 });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 200);
    const error = await anyjob()
      .getJobRun(ref, { signal: controller.signal, maxRetries: 0 })
      .catch((e: unknown) => e);
    expect(AbortError.isInstance(error)).toBe(true);
  });

  it('stops after maxRetries (default 2): three requests, then the last error', async () => {
    server.script(GET, { status: 502 });
    await expect(anyjob().getJobRun(ref)).rejects.toSatisfy(InternalServerError.isInstance);
    expect(server.count(GET)).toBe(3);
  });

  it('maxRetries: 0 disables retries; a call overrides the client setting', async () => {
    server.script(TRIGGER, [{ status: 429 }, triggered]);
    await expect(anyjob({ maxRetries: 0 }).triggerJob(request)).rejects.toSatisfy(RateLimitError.isInstance);
    expect(server.count(TRIGGER)).toBe(1);
    server.reset();
    server.script(TRIGGER, [{ status: 429 }, triggered]);
    await expect(anyjob({ maxRetries: 0 }).triggerJob(request, { maxRetries: 1 })).resolves.toBeDefined();
    expect(server.count(TRIGGER)).toBe(2);
  });

  it('honours Retry-After instead of its own backoff', async () => {
    // With a ten-minute backoff this test could only pass by following the server's 0 s / 10 ms.
    const slowBackoff = anyjob({ retryDelayMs: 600_000, maxRetryDelayMs: 600_000 });
    server.script(TRIGGER, [{ status: 429, headers: { 'retry-after': '0' } }, triggered]);
    await expect(slowBackoff.triggerJob(request)).resolves.toBeDefined();
    server.reset();
    server.script(GET, [
      { status: 503, headers: { 'retry-after-ms': '10' } },
      { body: { data: runBody('RUNNING') } },
    ]);
    await expect(slowBackoff.getJobRun(ref)).resolves.toBeDefined();
    expect(server.count(GET)).toBe(2);
  });

  it('gives up at once when Retry-After asks for more than maxRetryAfterMs, reporting the wait', async () => {
    server.script(TRIGGER, [{ status: 429, headers: { 'retry-after': '120' } }, triggered]);
    const error = await anyjob()
      .triggerJob(request)
      .catch((e: unknown) => e);
    expect(RateLimitError.isInstance(error) && error.retryAfterMs).toBe(120_000);
    expect(server.count(TRIGGER)).toBe(1);
  });

  it('retries a trigger whose connection was refused (nothing was sent)', async () => {
    let attempts = 0;
    const counting: typeof fetch = (input, init) => {
      attempts++;
      return fetch(input, init);
    };
    const client = createAnyJob({
      truefoundry: { apiKey: KEY, baseUrl: await refusedUrl() },
      fetch: counting,
      retryDelayMs: 1,
    });
    const error = await client.triggerJob(request).catch((e: unknown) => e);
    expect(ConnectionError.isInstance(error) && error.code).toBe('ECONNREFUSED');
    expect(attempts).toBe(3);
  });

  it('an AbortSignal cancels a slow request at once, and is never retried', async () => {
    const controller = new AbortController();
    // Abort once the request has certainly arrived, while its answer is still pending.
    server.script(GET, () => {
      setImmediate(() => controller.abort());
      return { delayMs: 5_000, body: {} };
    });
    await expect(anyjob().getJobRun(ref, { signal: controller.signal })).rejects.toSatisfy(
      AbortError.isInstance,
    );
    expect(server.count(GET)).toBe(1);
  });
});

describe('durations', () => {
  const server = useLoopbackServer();
  const anyjob = () => createAnyJob({ truefoundry: { apiKey: KEY, baseUrl: server.url }, retryDelayMs: 1 });

  // setTimeout fires anything above 2^31−1 ms, and Infinity, after 1 ms.
  it('a timeoutMs of Infinity or beyond ~24.8 days is no limit, not an instant timeout', async () => {
    server.script(GET, { delayMs: 30, body: { data: runBody('RUNNING') } });
    for (const timeoutMs of [Number.POSITIVE_INFINITY, 3_000_000_000]) {
      await expect(anyjob().getJobRun(ref, { timeoutMs })).resolves.toMatchObject({ status: 'running' });
    }
    server.script(GET, { body: { data: runBody('FINISHED') } });
    await expect(
      anyjob().waitForJob(ref, { timeoutMs: Number.POSITIVE_INFINITY, pollIntervalMs: 3_000_000_000 }),
    ).resolves.toMatchObject({ status: 'succeeded' });
  });

  it('a negative or NaN duration is an InvalidRequestError naming the option, before any request', async () => {
    for (const timeoutMs of [-1, Number.NaN]) {
      const error = await anyjob()
        .getJobRun(ref, { timeoutMs })
        .catch((e: unknown) => e);
      expect(InvalidRequestError.isInstance(error)).toBe(true);
      expect((error as InvalidRequestError).issues).toEqual([expect.objectContaining({ path: 'timeoutMs' })]);
    }
    const wait = await anyjob()
      .waitForJob(ref, { pollIntervalMs: -5 })
      .catch((e: unknown) => e);
    expect((wait as InvalidRequestError).issues).toEqual([
      expect.objectContaining({ path: 'pollIntervalMs' }),
    ]);
    expect(server.count(GET)).toBe(0);
  });
});

// Each of these would hang for the 30 s the server takes (failing on the test timeout) if the
// deadline only were checked between polls.
describe('a 2xx body that is not valid JSON', () => {
  const server = useLoopbackServer();

  it('is a ResponseValidationError that does not quote the body', async () => {
    const body = '<html>login page for tfy-BODY-CANARY</html>';
    server.script(GET, { headers: { 'content-type': 'application/json' }, body });
    const error = await createAnyJob({ truefoundry: { apiKey: KEY, baseUrl: server.url } })
      .getJobRun(ref)
      .catch((e: unknown) => e);
    expect(ResponseValidationError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ provider: 'truefoundry', operation: 'getJobRun' });
    expect((error as Error).message).toMatch(/not valid JSON; check that the base URL/);
    expect(inspect(error, { depth: 10 })).not.toContain('BODY-CANARY');
    expect(server.count(GET)).toBe(1);
  });
});

describe('waitForJob timeoutMs bounds the whole wait, a poll in flight included', () => {
  const server = useLoopbackServer();
  const anyjob = () => createAnyJob({ truefoundry: { apiKey: KEY, baseUrl: server.url }, retryDelayMs: 1 });
  const wait = { pollIntervalMs: 1, timeoutMs: 300, requestTimeoutMs: 60_000 };

  it('a poll that hangs after a RUNNING read ends in WaitTimeoutError with that run', async () => {
    server.script(GET, [
      { body: { data: runBody('RUNNING') } },
      { delayMs: 30_000, body: { data: runBody('FINISHED') } },
    ]);
    const error = await anyjob()
      .waitForJob(ref, wait)
      .catch((e: unknown) => e);
    expect(WaitTimeoutError.isInstance(error)).toBe(true);
    expect((error as WaitTimeoutError).run).toMatchObject({ providerStatus: 'RUNNING' });
    expect(server.count(GET)).toBe(2);
  });

  it('a provider that never answers ends in TimeoutError for waitForJob', async () => {
    server.script(GET, { delayMs: 30_000, body: { data: runBody('FINISHED') } });
    const error = await anyjob()
      .waitForJob(ref, wait)
      .catch((e: unknown) => e);
    expect(TimeoutError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ provider: 'truefoundry', operation: 'waitForJob', timeoutMs: 300 });
    expect(server.count(GET)).toBe(1);
  });

  it('a Retry-After backoff inside a poll is cut short too', async () => {
    server.script(GET, { status: 503, headers: { 'retry-after': '20' }, body: { statusCode: 503 } });
    const error = await anyjob()
      .waitForJob(ref, wait)
      .catch((e: unknown) => e);
    expect(TimeoutError.isInstance(error)).toBe(true);
    expect(server.count(GET)).toBe(1);
  });
});

describe('waitForJob against a status sequence', () => {
  const server = useLoopbackServer();
  const anyjob = () => createAnyJob({ truefoundry: { apiKey: KEY, baseUrl: server.url }, retryDelayMs: 1 });
  const fast = { pollIntervalMs: 1, maxPollIntervalMs: 2 };

  it('follows CREATED → RUNNING → FINISHED and resolves with the finished run', async () => {
    server.script(TRIGGER, triggered);
    server.script(GET, [{ body: { data: runBody('RUNNING') } }, { body: { data: runBody('FINISHED') } }]);
    const client = anyjob();
    const run = await client.triggerJob(request);
    const seen = [run.providerStatus];
    const done = await client.waitForJob(run, {
      ...fast,
      onUpdate: (update) => seen.push(update.providerStatus),
    });
    expect(seen).toEqual(['CREATED', 'RUNNING', 'FINISHED']);
    expect(done.status).toBe('succeeded');
    expect(server.count(TRIGGER)).toBe(1);
  });

  it('keeps polling through transient errors (503, 429) even with per-request retries off', async () => {
    server.script(GET, [{ status: 503 }, { status: 429 }, { body: { data: runBody('FINISHED') } }]);
    await expect(anyjob().waitForJob(ref, { ...fast, maxRetries: 0 })).resolves.toMatchObject({
      status: 'succeeded',
    });
    expect(server.count(GET)).toBe(3);
  });

  it('throws JobFailedError and JobCanceledError carrying the last run', async () => {
    server.script(GET, { body: { data: runBody('FAILED', { error: 'exit 1' }) } });
    const failed = await anyjob()
      .waitForJob(ref, fast)
      .catch((e: unknown) => e);
    expect(JobFailedError.isInstance(failed) && failed.run).toMatchObject({
      status: 'failed',
      error: 'exit 1',
    });
    server.script(GET, [
      { body: { data: runBody('TERMINATING') } },
      { body: { data: runBody('TERMINATED') } },
    ]);
    const canceled = await anyjob()
      .waitForJob(ref, fast)
      .catch((e: unknown) => e);
    expect(JobCanceledError.isInstance(canceled) && canceled.run.status).toBe('canceled');
  });

  it('ends the wait on a non-transient error (404)', async () => {
    server.script(GET, { status: 404, body: { statusCode: 404, message: 'not found' } });
    await expect(anyjob().waitForJob(ref, fast)).rejects.toMatchObject({
      name: 'NotFoundError',
      status: 404,
    });
    expect(server.count(GET)).toBe(1);
  });
});

describe('the API key never leaks into an error', () => {
  const server = useLoopbackServer();
  // A hostile server that echoes the credentials back in its body and headers.
  const echo =
    (status: number, extra: Record<string, unknown> = {}) =>
    (req: { headers: Record<string, unknown> }) => ({
      status,
      headers: {
        'x-echo-auth': String(req.headers.authorization ?? req.headers['x-api-key']),
        'x-request-id': 'req-42',
      },
      body: { message: `bad key ${String(req.headers.authorization ?? req.headers['x-api-key'])}`, ...extra },
    });
  const KOGNITOS_KEY = 'kog-LEAK-CANARY-5b1e8f';

  function expectNoKey(error: unknown) {
    expect(error).toBeInstanceOf(Error);
    const views = [
      String(error),
      (error as Error).message,
      (error as Error).stack ?? '',
      JSON.stringify(error),
      inspect(error, { depth: 10, showHidden: true }),
    ];
    for (const view of views) {
      expect(view).not.toContain(KEY);
      expect(view).not.toContain(KOGNITOS_KEY);
    }
  }

  const client = (baseUrl: string) =>
    createAnyJob({
      truefoundry: { apiKey: KEY, baseUrl },
      kognitos: { apiKey: KOGNITOS_KEY, baseUrl },
      retryDelayMs: 1,
      maxRetries: 0,
    });

  it('on API errors, with the key echoed in body and headers (bearer and x-api-key)', async () => {
    server.script(TRIGGER, echo(401));
    const unauthorized = await client(server.url)
      .triggerJob(request)
      .catch((e: unknown) => e);
    expect(AuthenticationError.isInstance(unauthorized)).toBe(true);
    expect((unauthorized as ApiError).requestId).toBe('req-42');
    expect((unauthorized as ApiError).headers['x-echo-auth']).toContain('[redacted]');
    expectNoKey(unauthorized);

    server.script('GET /runs/run1', echo(500));
    const serverError = await client(server.url)
      .getJobRun({ provider: 'kognitos', runId: 'run1' })
      .catch((e: unknown) => e);
    expect(InternalServerError.isInstance(serverError)).toBe(true);
    expectNoKey(serverError);
  });

  it('on API errors whose JSON spells the echoed key with escapes', async () => {
    const slashKey = 'kog/LEAK/CANARY+9z';
    server.script('GET /runs/run1', (req: { headers: Record<string, unknown> }) => ({
      status: 401,
      headers: { 'content-type': 'application/json' },
      // Valid JSON for the same string: "\/" is "/", and \u006b is "k".
      body: `{"message":"bad key ${String(req.headers['x-api-key']).replaceAll('/', '\\/').replace('k', '\\u006b')}"}`,
    }));
    const error = await createAnyJob({ kognitos: { apiKey: slashKey, baseUrl: server.url }, maxRetries: 0 })
      .getJobRun({ provider: 'kognitos', runId: 'run1' })
      .catch((e: unknown) => e);
    expect(AuthenticationError.isInstance(error)).toBe(true);
    expect((error as ApiError).body).toEqual({ message: 'bad key [redacted]' });
    for (const view of [String(error), JSON.stringify(error), inspect(error, { depth: 10 })]) {
      expect(view).not.toContain(slashKey);
    }
  });

  it('in successful responses: a JobRun holds no echoed key, in raw, output or a key name', async () => {
    const bearer = (req: { headers: Record<string, unknown> }) => String(req.headers.authorization);
    server.script(TRIGGER, (req: { headers: Record<string, unknown> }) => ({
      body: {
        message: `Job triggered for ${bearer(req)}`,
        jobRunName: 'train-1',
        data: runBody('CREATED', { command: `python train.py --token ${KEY}`, [KEY]: 'as a key' }),
      },
    }));
    const triggeredRun = await client(server.url).triggerJob(request);
    expect(triggeredRun).toMatchObject({ id: 'train-1', status: 'queued' });
    expect(JSON.stringify(triggeredRun.raw)).toContain('python train.py --token [redacted]');
    expect(JSON.stringify(triggeredRun.raw)).toContain('"[redacted]":"as a key"');

    server.script('GET /runs/run1', (req: { headers: Record<string, unknown> }) => ({
      body: {
        id: 'run1',
        name: 'n',
        agent_id: 'a1',
        process_id: 'p1',
        stage: 'Published',
        status: 'Succeeded',
        created_at: '2025-01-15T10:02:44',
        outputs: [{ name: 'echo', value: { nested: [`key=${String(req.headers['x-api-key'])}`] } }],
      },
    }));
    const succeeded = await client(server.url).getJobRun({ provider: 'kognitos', runId: 'run1' });
    expect(succeeded.output).toEqual({ echo: { nested: ['key=[redacted]'] } });

    for (const run of [triggeredRun, succeeded]) {
      for (const view of [JSON.stringify(run), inspect(run, { depth: 20 })]) {
        expect(view).not.toContain(KEY);
        expect(view).not.toContain(KOGNITOS_KEY);
      }
    }
  });

  it('on connection errors, timeouts and failed runs', async () => {
    expectNoKey(
      await client(await refusedUrl())
        .triggerJob(request)
        .catch((e: unknown) => e),
    );
    server.script(GET, { delayMs: 5_000, body: {} });
    expectNoKey(
      await client(server.url)
        .getJobRun(ref, { timeoutMs: 30 })
        .catch((e: unknown) => e),
    );
    server.script(GET, { body: { data: runBody('FAILED', { error: 'exit 1' }) } });
    expectNoKey(
      await client(server.url)
        .waitForJob(ref, { pollIntervalMs: 1 })
        .catch((e: unknown) => e),
    );
  });
});
