// Every failure is typed, bounded and clear: bad input is an InvalidRequestError naming the field
// before any request, keys that cannot travel in a header are a ConfigError that never quotes
// them, a reset connection does not hang, and a cut-off body is a ConnectionError, not a TypeError.
import { createServer, type Server } from 'node:net';
import { inspect } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useLoopbackServer } from '../../../scripts/test-harness/loopback-server.js';
import { trueFoundryRun } from '../../../scripts/test-harness/run-fixtures.js';
import {
  ConfigError,
  ConnectionError,
  createAnyJob,
  InvalidRequestError,
  ResponseValidationError,
  type TriggerRequest,
  TriggerUnconfirmedError,
} from '../src/index.js';

const KEY = 'hardening-CANARY-key-4c2e';
const tfRun = trueFoundryRun('RUNNING');

describe('bad input is refused before any request, naming the field', () => {
  const server = useLoopbackServer();
  const anyjob = () =>
    createAnyJob({
      truefoundry: { apiKey: KEY, baseUrl: server.url },
      kognitos: { apiKey: KEY, baseUrl: server.url },
      runchat: { apiKey: KEY, baseUrl: server.url },
      env: {},
    });
  const circular: Record<string, unknown> = { a: 1 };
  circular.self = circular;

  const cases: [string, TriggerRequest, string][] = [
    [
      'a function in Kognitos inputs',
      { provider: 'kognitos', agentId: 'a', processId: 'p', inputs: { invoice: () => 42 } } as never,
      'inputs.invoice',
    ],
    [
      'a symbol in Kognitos inputs',
      {
        provider: 'kognitos',
        agentId: 'a',
        processId: 'p',
        inputs: [{ name: 'x', value: Symbol('s') }],
      } as never,
      'inputs[0].value',
    ],
    ['a circular Runchat payload', { provider: 'runchat', jobId: 'job1', payload: circular }, 'payload.self'],
    [
      'a bigint in Runchat flow inputs',
      { provider: 'runchat', flowId: 'f1', inputs: { n: 10n } } as never,
      'inputs.n',
    ],
    [
      'a Map in TrueFoundry params',
      { provider: 'truefoundry', applicationId: 'app1', params: { m: new Map() } },
      'params.m',
    ],
    [
      'NaN in TrueFoundry params',
      { provider: 'truefoundry', applicationId: 'app1', params: { lr: Number.NaN } },
      'params.lr',
    ],
  ];
  it.each(cases)('%s', async (_, request, path) => {
    const error = await anyjob()
      .triggerJob(request)
      .catch((e: unknown) => e);
    expect(InvalidRequestError.isInstance(error), String(error)).toBe(true);
    expect((error as InvalidRequestError).issues.map((issue) => issue.path)).toContain(path);
    expect(server.count()).toBe(0);
  });

  it('forged or incomplete refs are refused for every provider', async () => {
    for (const ref of [
      { provider: 'runchat' },
      { provider: 'runchat', jobId: 'j', status: 'maybe' },
      { provider: 'truefoundry', applicationId: 'app1' },
      { provider: 'truefoundry', jobRunName: 7 },
      { provider: 'kognitos', runId: '' },
      { provider: 'kognitos', runId: 'r', origin: 42 },
    ]) {
      const error = await anyjob()
        .getJobRun(ref as never)
        .catch((e: unknown) => e);
      expect(InvalidRequestError.isInstance(error), JSON.stringify(ref)).toBe(true);
    }
    expect(server.count()).toBe(0);
  });

  it('keys such as __proto__ are sent as data, never dropped', async () => {
    server.script('POST /api/svc/v1/jobs/trigger', {
      body: { message: 'ok', jobRunName: 'train-1', data: tfRun },
    });
    const params = JSON.parse('{"__proto__": "x", "constructor": "y"}');
    await anyjob().triggerJob({ provider: 'truefoundry', applicationId: 'app1', params });
    expect(JSON.parse(server.requests()[0].body).input.params).toEqual(params);
    expect(server.requests()[0].body).toContain('"__proto__":"x"');
  });
});

describe('keys that cannot go in an HTTP header', () => {
  const server = useLoopbackServer();
  for (const [name, key] of [
    ['a NUL byte', `${KEY}\u0000x`],
    ['a line break', `${KEY}\r\nX-Evil: 1`],
    ['a character outside Latin-1', `${KEY}\u2603`],
  ] as const) {
    it(`${name}: a ConfigError naming the setting and the env var, never quoting the key`, async () => {
      for (const settings of [{ apiKey: key }, { env: { TFY_API_KEY: key } }]) {
        const error = await createAnyJob({
          truefoundry: { baseUrl: server.url, ...settings },
          env: settings.env ?? {},
        })
          .getJobRun({ provider: 'truefoundry', applicationId: 'app1', jobRunName: 'train-1' })
          .catch((e: unknown) => e);
        expect(ConfigError.isInstance(error), String(error)).toBe(true);
        expect((error as Error).message).toMatch(/`apiKey`.*TFY_API_KEY/);
        expect(inspect(error, { depth: 5 })).not.toContain(KEY);
      }
      expect(server.count()).toBe(0);
    });
  }
});

describe('connections that fail at once do not hang', () => {
  let resetting: Server;
  let url: string;
  beforeAll(async () => {
    // Accepts each connection and resets it at once, before reading a byte.
    resetting = createServer((socket) => socket.resetAndDestroy());
    await new Promise<void>((resolve) => resetting.listen(0, '127.0.0.1', () => resolve()));
    const address = resetting.address();
    url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  });
  afterAll(() => new Promise<void>((resolve) => resetting.close(() => resolve())));

  it('a read whose connection is reset at connect fails fast with ConnectionError, after its retries', async () => {
    const started = Date.now();
    const error = await createAnyJob({ truefoundry: { apiKey: KEY, baseUrl: url }, retryDelayMs: 1, env: {} })
      .getJobRun({ provider: 'truefoundry', applicationId: 'app1', jobRunName: 'train-1' })
      .catch((e: unknown) => e);
    expect(ConnectionError.isInstance(error), String(error)).toBe(true);
    // Far below the 60 s request timeout it would hang for if the reset went unnoticed.
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it('a trigger whose connection is reset ends unconfirmed (the search fails the same way), never a bare error', async () => {
    const error = await createAnyJob({ truefoundry: { apiKey: KEY, baseUrl: url }, retryDelayMs: 1, env: {} })
      .triggerJob({ provider: 'truefoundry', applicationId: 'app1' })
      .catch((e: unknown) => e);
    expect(TriggerUnconfirmedError.isInstance(error), String(error)).toBe(true);
    expect((error as TriggerUnconfirmedError).reconciliation.outcome).toBe('failed');
  });
});

describe('a 2xx body cut off or unreadable while polling', () => {
  const server = useLoopbackServer();
  const ref = { provider: 'truefoundry', applicationId: 'app1', jobRunName: 'train-1' } as const;
  const client = () =>
    createAnyJob({ truefoundry: { apiKey: KEY, baseUrl: server.url }, maxRetries: 0, env: {} });

  it('a body cut mid-stream is a ConnectionError, not a raw TypeError', async () => {
    server.script('GET /api/svc/v1/jobs/app1/runs/train-1', { body: { data: tfRun }, cutBody: true });
    const error = await client()
      .getJobRun(ref)
      .catch((e: unknown) => e);
    expect(ConnectionError.isInstance(error), String(error)).toBe(true);
    expect(error).not.toBeInstanceOf(TypeError);
  });

  it('a body that is not JSON is a ResponseValidationError that does not quote it', async () => {
    server.script('GET /api/svc/v1/jobs/app1/runs/train-1', {
      headers: { 'content-type': 'application/json' },
      body: `<html>${KEY}`,
    });
    const error = await client()
      .getJobRun(ref)
      .catch((e: unknown) => e);
    expect(ResponseValidationError.isInstance(error)).toBe(true);
    expect(inspect(error, { depth: 5 })).not.toContain(KEY);
  });
});
