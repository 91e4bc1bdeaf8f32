// Every failure is typed, bounded and clear: bad input is an InvalidRequestError naming the field
// before any request, keys that cannot travel in a header are a ConfigError that never quotes
// them, a reset connection does not hang, and a cut-off body is a ConnectionError, not a TypeError.
import { createServer, type Server } from 'node:net';
import { inspect } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RecordedRequest, useLoopbackServer } from '../../../scripts/test-harness/loopback-server.js';
import { trueFoundryRun } from '../../../scripts/test-harness/run-fixtures.js';
import {
  ApiError,
  ConfigError,
  ConnectionError,
  createAnyJob,
  defaultProviders,
  InvalidRequestError,
  type Logger,
  RedirectError,
  ResponseValidationError,
  type TriggerRequest,
  TriggerUnconfirmedError,
} from '../src/index.js';

const KEY = 'hardening-CANARY-key-4c2e';
const tfRun = trueFoundryRun('RUNNING');

/** The error `call` fails with, whether creating the client threw it or the call rejected with it. */
async function failure(call: () => PromiseLike<unknown>): Promise<unknown> {
  try {
    await call();
  } catch (error) {
    return error;
  }
  return undefined;
}

/** The error `create` throws at once, before any call is made. */
function createFailure(create: () => unknown): unknown {
  try {
    create();
  } catch (error) {
    return error;
  }
  return undefined;
}

describe('bad input is refused before any request, naming the field', () => {
  const server = useLoopbackServer();
  const anyjob = () =>
    createAnyJob({
      // Every provider of the registry at the loopback server: none may send a request.
      ...Object.fromEntries(defaultProviders.map((d) => [d.name, { apiKey: KEY, baseUrl: server.url }])),
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
      // Every provider of the registry: a ref with nothing but its name.
      ...defaultProviders.map((d) => ({ provider: d.name })),
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
        // A key passed in code fails when the client is created, one from the env on first use.
        const error = await failure(() =>
          createAnyJob({
            truefoundry: { baseUrl: server.url, ...settings },
            env: settings.env ?? {},
          }).getJobRun({ provider: 'truefoundry', applicationId: 'app1', jobRunName: 'train-1' }),
        );
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

describe('settings are checked when the client is created, before any request', () => {
  const server = useLoopbackServer();
  // A header value may be a secret: the error names the header, never the value.
  const SECRET = `${KEY}-header`;
  const headerCases: [string, Record<string, unknown>, string][] = [
    ['a CRLF in a header value', { 'x-token': `${SECRET}\r\nX-Evil: 1` }, 'headers.x-token'],
    ['a NUL in a header value', { 'x-token': `${SECRET}\u0000` }, 'headers.x-token'],
    ['a header value outside Latin-1', { 'x-token': `${SECRET}\u2603` }, 'headers.x-token'],
    ['a header value that is not a string', { 'x-token': 42 }, 'headers.x-token'],
    ['an invalid header name', { 'x token': SECRET }, 'headers'],
  ];
  it.each(headerCases)(
    '%s: a ConfigError naming the header, never quoting the value',
    (_, headers, setting) => {
      for (const provider of defaultProviders.map((d) => d.name)) {
        const error = createFailure(() =>
          createAnyJob({ [provider]: { apiKey: KEY, baseUrl: server.url, headers }, env: {} }),
        );
        expect(ConfigError.isInstance(error), String(error)).toBe(true);
        expect((error as ConfigError).setting).toBe(setting);
        expect((error as Error).message).toContain('`headers');
        for (const view of [String(error), JSON.stringify(error), inspect(error, { depth: 5 })]) {
          expect(view).not.toContain(SECRET);
        }
      }
      expect(server.count()).toBe(0);
    },
  );

  const settingCases: [string, unknown][] = [
    ['timeoutMs', Number.NaN],
    ['timeoutMs', 0],
    ['maxRetries', -1],
    ['maxRetries', 1.5],
    ['maxRetries', Number.POSITIVE_INFINITY],
    ['retryDelayMs', -5],
    ['maxRetryDelayMs', '100'],
    ['maxRetryAfterMs', Number.NaN],
    ['maxResponseBytes', 0],
    ['logLevel', 'verbose'],
    ['fetch', 'https://proxy.example'],
  ];
  it.each(settingCases)(
    '%s = %s is a ConfigError naming the setting and its rule, shared or per provider',
    (setting, value) => {
      const bad = { [setting]: value };
      for (const config of [
        { truefoundry: { apiKey: KEY, baseUrl: server.url }, ...bad },
        { truefoundry: { apiKey: KEY, baseUrl: server.url, ...bad } },
      ]) {
        const error = createFailure(() => createAnyJob({ ...config, env: {} } as never));
        expect(ConfigError.isInstance(error), String(error)).toBe(true);
        expect((error as ConfigError).setting).toBe(setting);
        expect((error as Error).message).toMatch(new RegExp(`\`${setting}\` must be`));
      }
      expect(server.count()).toBe(0);
    },
  );

  it('a base URL that is no http(s) URL, or carries credentials, fails at creation', () => {
    for (const baseUrl of ['not a url', 'ftp://files.example.com', `https://user:${KEY}@example.com`]) {
      const error = createFailure(() => createAnyJob({ truefoundry: { apiKey: KEY, baseUrl }, env: {} }));
      expect(ConfigError.isInstance(error), String(error)).toBe(true);
      expect((error as ConfigError).setting).toBe('baseUrl');
      expect(inspect(error, { depth: 5 })).not.toContain(KEY);
    }
  });

  it('good settings create a client that sends nothing until called', () => {
    createAnyJob({
      truefoundry: { apiKey: KEY, baseUrl: server.url, headers: { 'x-team': 'ml-ops', 'x-latin1': 'café' } },
      maxRetries: 0,
      timeoutMs: Number.POSITIVE_INFINITY,
      maxResponseBytes: 1024,
      env: {},
    });
    expect(server.count()).toBe(0);
  });
});

describe('call and wait options are checked before any request', () => {
  const server = useLoopbackServer();
  const anyjob = () => createAnyJob({ truefoundry: { apiKey: KEY, baseUrl: server.url }, env: {} });
  const ref = { provider: 'truefoundry', applicationId: 'app1', jobRunName: 'train-1' } as const;
  it.each([
    ['maxRetries', { maxRetries: -1 }],
    ['maxRetries', { maxRetries: Number.NaN }],
    ['maxResponseBytes', { maxResponseBytes: Number.NaN }],
  ])('a call with %s = %o is an InvalidRequestError naming it', async (path, options) => {
    const error = await failure(() => anyjob().getJobRun(ref, options));
    expect(InvalidRequestError.isInstance(error), String(error)).toBe(true);
    expect((error as InvalidRequestError).issues.map((issue) => issue.path)).toEqual([path]);
    expect(server.count()).toBe(0);
  });

  it.each([
    ['pollIntervalMs', { pollIntervalMs: 0 }],
    ['concurrency', { concurrency: Number.NaN }],
    ['concurrency', { concurrency: 0 }],
    ['requestsPerMinute.truefoundry', { requestsPerMinute: { truefoundry: -1 } }],
    ['requestsPerMinute', { requestsPerMinute: 60 }],
  ])('a wait with %s bad (%o) is an InvalidRequestError naming it', async (path, options) => {
    const error = await failure(() => anyjob().waitForJobs([ref], options as never));
    expect(InvalidRequestError.isInstance(error), String(error)).toBe(true);
    expect((error as InvalidRequestError).issues.map((issue) => issue.path)).toEqual([path]);
    expect(server.count()).toBe(0);
  });
});

describe('a base URL on a port fetch refuses (the Fetch standard\'s "bad ports")', () => {
  it.each([1, 9, 6000, 6666, 10080])(
    'port %i: a ConnectionError naming the port, raised before fetch is called',
    async (port) => {
      let fetched = 0;
      const counting: typeof fetch = (input, init) => {
        fetched++;
        return fetch(input, init);
      };
      const anyjob = createAnyJob({
        truefoundry: { apiKey: KEY, baseUrl: `http://127.0.0.1:${port}`, fetch: counting },
        retryDelayMs: 1,
        env: {},
      });
      const read = await failure(() =>
        anyjob.getJobRun({ provider: 'truefoundry', applicationId: 'app1', jobRunName: 'train-1' }),
      );
      // A trigger refused before sending cannot have started a run: no reconciliation, no "unconfirmed".
      const trigger = await failure(() =>
        anyjob.triggerJob({ provider: 'truefoundry', applicationId: 'app1' }),
      );
      for (const error of [read, trigger]) {
        expect(ConnectionError.isInstance(error), String(error)).toBe(true);
        expect(error).toMatchObject({ code: 'BAD_PORT', beforeSend: true });
        expect((error as Error).message).toContain(`port ${port}`);
      }
      expect(fetched).toBe(0);
    },
  );
});

describe('a key echoed in a response header (x-request-id: req-<url-encoded key>)', () => {
  const server = useLoopbackServer();
  // Characters that URL-encoding changes, so the echo is not the key as sent.
  const ECHOED = 'hardening/CANARY+key=9f3a';
  const lines: unknown[][] = [];
  const logger: Logger = {
    debug: (...args) => lines.push(args),
    info: (...args) => lines.push(args),
    warn: (...args) => lines.push(args),
    error: (...args) => lines.push(args),
  };
  const requestIdEcho = (status: number, body: unknown) => (req: RecordedRequest) => {
    const sent = String(req.headers.authorization ?? req.headers['x-api-key']).replace(/^Bearer /, '');
    return { status, headers: { 'x-request-id': `req-${encodeURIComponent(sent)}` }, body };
  };
  const anyjob = () =>
    createAnyJob({
      truefoundry: { apiKey: ECHOED, baseUrl: server.url },
      kognitos: { apiKey: ECHOED, baseUrl: server.url },
      maxRetries: 0,
      logLevel: 'debug',
      logger,
      env: {},
    });
  const kognitosRun = {
    id: 'run1',
    name: 'n',
    agent_id: 'a1',
    process_id: 'p1',
    stage: 'Published',
    status: 'Succeeded',
    created_at: '2025-01-15T10:02:44',
  };
  const reads = [
    [
      'truefoundry (Bearer)',
      'GET /api/svc/v1/jobs/app1/runs/train-1',
      { data: tfRun },
      { provider: 'truefoundry', applicationId: 'app1', jobRunName: 'train-1' },
    ],
    ['kognitos (x-api-key)', 'GET /runs/run1', kognitosRun, { provider: 'kognitos', runId: 'run1' }],
  ] as const;

  function expectNoKey(views: string[]) {
    for (const view of views) {
      expect(view).not.toContain(ECHOED);
      expect(view).not.toContain(encodeURIComponent(ECHOED));
    }
  }

  it.each(reads)('%s: not on run.requestId, the run, or a log line', async (_, route, body, ref) => {
    lines.length = 0;
    server.script(route, requestIdEcho(200, body));
    const run = await anyjob().getJobRun(ref);
    expect(server.count(route)).toBe(1);
    expect(run.requestId).toBe('req-[redacted]');
    expectNoKey([String(run.requestId), JSON.stringify(run), inspect(run, { depth: 10 })]);
    expect(lines.length).toBeGreaterThan(0);
    expectNoKey(lines.map((line) => inspect(line, { depth: 10 })));
  });

  it.each(reads)(
    '%s: not on error.requestId, its message, JSON, inspect or a log line',
    async (_, route, __, ref) => {
      lines.length = 0;
      server.script(route, requestIdEcho(500, { message: 'boom' }));
      const error = await failure(() => anyjob().getJobRun(ref));
      expect(ApiError.isInstance(error), String(error)).toBe(true);
      expect((error as ApiError).requestId).toBe('req-[redacted]');
      expect((error as ApiError).headers['x-request-id']).toBe('req-[redacted]');
      expectNoKey([
        String((error as ApiError).requestId),
        (error as Error).message,
        JSON.stringify(error),
        inspect(error, { depth: 10, showHidden: true }),
        ...lines.map((line) => inspect(line, { depth: 10 })),
      ]);
    },
  );
  it('a credential passed as a header setting (x-tenant-token) is redacted like the key', async () => {
    const tenant = 'tenant-CANARY-5e6f7a';
    server.script('GET /api/svc/v1/jobs/app1/runs/train-1', (req: RecordedRequest) => ({
      status: 500,
      headers: { 'x-request-id': `req-${String(req.headers['x-tenant-token'])}` },
      body: { message: `tenant ${String(req.headers['x-tenant-token'])} is not allowed` },
    }));
    const error = await failure(() =>
      createAnyJob({
        truefoundry: { apiKey: KEY, baseUrl: server.url, headers: { 'x-tenant-token': tenant } },
        maxRetries: 0,
        env: {},
      }).getJobRun(reads[0][3]),
    );
    expect(ApiError.isInstance(error), String(error)).toBe(true);
    expect((error as ApiError).requestId).toBe('req-[redacted]');
    for (const view of [(error as Error).message, JSON.stringify(error), inspect(error, { depth: 10 })]) {
      expect(view).not.toContain(tenant);
    }
  });

  it('not in the host of a redirect to another origin (RedirectError.toOrigin and its message)', async () => {
    // A key that can be a host name: the echo is the key itself, lower-cased by the URL parser.
    const hostKey = 'Redirect-CANARY-7f3a9b';
    server.script('GET /api/svc/v1/jobs/app1/runs/train-1', (req: RecordedRequest) => ({
      status: 302,
      headers: { location: `http://${String(req.headers.authorization).replace(/^Bearer /, '')}.invalid/x` },
    }));
    const error = await failure(() =>
      createAnyJob({
        truefoundry: { apiKey: hostKey, baseUrl: server.url },
        maxRetries: 0,
        env: {},
      }).getJobRun(reads[0][3]),
    );
    expect(RedirectError.isInstance(error), String(error)).toBe(true);
    expect((error as RedirectError).toOrigin).toBe('http://[redacted].invalid');
    for (const view of [(error as Error).message, JSON.stringify(error), inspect(error, { depth: 10 })]) {
      expect(view.toLowerCase()).not.toContain(hostKey.toLowerCase());
    }
  });
});
