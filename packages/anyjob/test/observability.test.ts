// What anyjob tells the caller about its requests: log lines (ANYJOB_LOG, the `logger` and
// `logLevel` settings), the provider's request id and raw Response (`withResponse()`), and
// OpenTelemetry spans. None of it ever shows a key.
import { context, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useLoopbackServer } from '../../../scripts/test-harness/loopback-server.js';
import { createAnyJob, type Logger } from '../src/index.js';

const KEY = 'tfy-LOG-CANARY-9d1c5e7a3b';
const TRIGGER = 'POST /api/svc/v1/jobs/trigger';
const GET = 'GET /api/svc/v1/jobs/app1/runs/train-1';
const run = (status: string) => ({
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
});
const triggered = {
  headers: { 'x-request-id': 'req-trigger-1' },
  body: { message: 'ok', jobRunName: 'train-1', data: run('CREATED') },
};

function capture() {
  const lines: { level: string; message: string; details: unknown }[] = [];
  const record = (level: string) => (message: string, details?: unknown) => {
    lines.push({ level, message, details });
  };
  const logger: Logger = {
    debug: record('debug'),
    info: record('info'),
    warn: record('warn'),
    error: record('error'),
  };
  return { logger, lines, text: () => JSON.stringify(lines) };
}

describe('logging', () => {
  const server = useLoopbackServer();
  const anyjob = (extra: Record<string, unknown>) =>
    createAnyJob({ truefoundry: { apiKey: KEY, baseUrl: server.url }, retryDelayMs: 1, ...extra });

  it('ANYJOB_LOG=debug: method, URL, status, attempt, timing, the retry decision and delay; never the key', async () => {
    const { logger, lines, text } = capture();
    server.script(TRIGGER, triggered);
    server.script(GET, [
      { status: 503, body: { message: `down, key ${KEY}` } },
      { body: { data: run('FINISHED') } },
    ]);
    const client = anyjob({ env: { ANYJOB_LOG: 'debug' }, logger });
    const started = await client.triggerJob({ provider: 'truefoundry', applicationId: 'app1' });
    await client.waitForJob(started, { pollIntervalMs: 1 });
    const messages = lines.map((line) => line.message);
    expect(messages).toContainEqual(
      expect.stringMatching(
        new RegExp(
          `^\\[anyjob\\] truefoundry\\.triggerJob POST ${server.url}/api/svc/v1/jobs/trigger → 200 in \\d+ ms \\(attempt 1\\)$`,
        ),
      ),
    );
    expect(messages).toContainEqual(
      expect.stringMatching(/truefoundry\.getJobRun GET .*\/runs\/train-1 → 503 in \d+ ms \(attempt 1\)/),
    );
    expect(lines.find((line) => /Retrying in \d+ ms \(attempt 2 of 3\)/.test(line.message))?.level).toBe(
      'info',
    );
    expect(messages).toContainEqual(expect.stringMatching(/getJobRun GET .* → 200 in \d+ ms \(attempt 2\)/));
    expect(text()).not.toContain(KEY);
    expect(text()).not.toMatch(/LOG-CANARY/i);
  });

  it('a trigger is never retried after a 5xx, and the log says why', async () => {
    const { logger, lines } = capture();
    server.script(TRIGGER, { status: 502 });
    server.script('GET /api/svc/v1/jobs/app1/runs', { body: { data: [], pagination: { total: 0 } } });
    await anyjob({ env: { ANYJOB_LOG: 'debug' }, logger })
      .triggerJob({ provider: 'truefoundry', applicationId: 'app1' })
      .catch(() => {});
    expect(lines.map((line) => line.message)).toContainEqual(
      expect.stringMatching(
        /triggerJob: not retrying \(a trigger is never repeated once it may have reached the provider\)/,
      ),
    );
  });

  it('the level: logLevel beats ANYJOB_LOG; the default is warn; off is silent', async () => {
    server.script(GET, [{ status: 503 }, { body: { data: run('RUNNING') } }]);
    const ref = { provider: 'truefoundry', applicationId: 'app1', jobRunName: 'train-1' } as const;
    const info = capture();
    await anyjob({ env: { ANYJOB_LOG: 'debug' }, logLevel: 'info', logger: info.logger }).getJobRun(ref);
    expect(info.lines.map((line) => line.level)).toEqual(['info']);
    for (const env of [{}, { ANYJOB_LOG: 'off' }, { ANYJOB_LOG: 'nonsense' }]) {
      const quiet = capture();
      server.script(GET, [{ status: 503 }, { body: { data: run('RUNNING') } }]);
      await anyjob({ env, logger: quiet.logger }).getJobRun(ref);
      expect(quiet.lines).toEqual([]);
    }
  });
});

describe('request ids and the raw Response', () => {
  const server = useLoopbackServer();

  it("a run carries the provider's request id; withResponse() hands out the Response it was read from", async () => {
    server.script(TRIGGER, triggered);
    const client = createAnyJob({ truefoundry: { apiKey: KEY, baseUrl: server.url } });
    const { run: started, response } = await client
      .triggerJob({ provider: 'truefoundry', applicationId: 'app1' })
      .withResponse();
    expect(started.requestId).toBe('req-trigger-1');
    expect(response?.status).toBe(200);
    expect(response?.headers.get('x-request-id')).toBe('req-trigger-1');
    // The Response is not part of the run's data: JSON and spreads never carry it.
    expect(JSON.stringify(started)).not.toContain('Response');
    expect(Object.keys(started)).not.toContain('response');
  });
});

describe('OpenTelemetry spans', () => {
  const server = useLoopbackServer();
  const exporter = new InMemorySpanExporter();
  const contextManager = new AsyncLocalStorageContextManager();
  beforeAll(() => {
    contextManager.enable();
    context.setGlobalContextManager(contextManager);
    trace.setGlobalTracerProvider(
      new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] }),
    );
  });
  afterAll(() => {
    trace.disable();
    context.disable();
  });

  it('a span per request (provider, operation, status, attempt) and per wait, requests inside the wait', async () => {
    server.script(TRIGGER, triggered);
    server.script(GET, [
      { status: 503 },
      { body: { data: run('RUNNING') } },
      { body: { data: run('FINISHED') } },
    ]);
    const client = createAnyJob({ truefoundry: { apiKey: KEY, baseUrl: server.url }, retryDelayMs: 1 });
    const started = await client.triggerJob({ provider: 'truefoundry', applicationId: 'app1' });
    await client.waitForJob(started, { pollIntervalMs: 1 });
    const spans = exporter.getFinishedSpans();
    const requests = spans.filter((span) => span.name === 'anyjob.request');
    const wait = spans.find((span) => span.name === 'anyjob.wait');
    expect(wait?.attributes).toMatchObject({
      'anyjob.provider': 'truefoundry',
      'anyjob.status': 'succeeded',
    });
    expect(
      requests.map((span) => [
        span.attributes['anyjob.operation'],
        span.attributes['http.response.status_code'],
        span.attributes['anyjob.attempt'],
      ]),
    ).toEqual([
      ['triggerJob', 200, 1],
      ['getJobRun', 503, 1],
      ['getJobRun', 200, 2],
      ['getJobRun', 200, 1],
    ]);
    const failed = requests.find((span) => span.attributes['http.response.status_code'] === 503);
    expect(failed?.status.code).toBe(2);
    // The wait's requests are its children; the trigger's is not.
    const waitId = wait?.spanContext().spanId;
    expect(requests.slice(1).every((span) => span.parentSpanContext?.spanId === waitId)).toBe(true);
    expect(requests[0].parentSpanContext?.spanId).not.toBe(waitId);
    expect(JSON.stringify(spans.map((span) => span.attributes))).not.toContain(KEY);
  });
});
