// The generic fake: one in-process `fetch` (and, on demand, a loopback HTTP server) in front of
// every provider whose descriptor has a `testing` entry. Each provider's package supplies its
// routes' handlers, wire shape and status spellings (`@anyjob/<provider>/testing`); this module
// holds the runs and their scripts, the trigger rules, the faults, the request log, and checks
// every answer against the provider's spec schemas before it leaves. Only web-standard APIs here
// (Request, Response, ReadableStream, URL, TextEncoder), so it runs in Node, Bun, Deno, workerd
// and browsers; `listen()` imports node:http when called.
import type {
  AnyJobProviderDescriptor,
  FakeAnswer,
  FakeOperation,
  FakeRequestContext,
  FakeRunHandle,
  JobStatus,
  ProviderFake,
} from '@anyjob/core';
import { checkSchema, loadTracer } from '@anyjob/core/internal';
import { defaultProviders } from 'anyjob';
import { startServer } from './listen.js';
import {
  advance,
  checkScript,
  DEFAULT_SCRIPT,
  durationStep,
  type LiveRun,
  requestCancel,
  settle,
  startRun,
  view,
  wordsFor,
} from './runs.js';
import type {
  FakeDuration,
  FakeFault,
  FakeProviders,
  FakeProvidersOptions,
  FakeRequestFilter,
  FakeRequestRecord,
  FakeRunSnapshot,
  FakeStep,
  FakeTriggerMatch,
  FakeTriggerRule,
} from './types.js';

/** An answer of the fake that breaks the provider's spec: the fake has drifted from it. */
export class FakeSpecDriftError extends Error {
  override readonly name = 'FakeSpecDriftError';
  constructor(
    readonly provider: string,
    readonly operation: string,
    readonly status: number,
    readonly issues: readonly { path: string; message: string }[],
  ) {
    super(
      `@anyjob/testing: the fake's ${status} answer to ${provider}.${operation} breaks the provider's spec: ${issues
        .map((issue) => `${issue.path} ${issue.message}`)
        .join('; ')}. Fix the provider's ./testing entry (or the spec).`,
    );
  }
}

/** What a request gets: an answer (maybe cut short), a reset connection, or no answer at all. */
export type Outcome =
  | { type: 'answer'; status: number; headers: Record<string, string>; body: string; cutAt?: number }
  /** A body made as it is read (huge bodies, gzip bombs): the bytes as they go on the wire. */
  | { type: 'stream'; status: number; headers: Record<string, string>; body: ReadableStream<Uint8Array> }
  | { type: 'reset' }
  | { type: 'hang' };

interface Route {
  operation: string;
  method: string;
  pattern: RegExp;
  names: string[];
  literals: number;
}

interface Provider {
  name: string;
  fake: ProviderFake;
  words: Partial<Record<JobStatus, string>>;
  routes: Route[];
  key: string;
}

interface Rule {
  provider: string;
  match: FakeTriggerMatch | undefined;
  steps: (request: Readonly<Record<string, unknown>>) => readonly FakeStep[];
  remaining: number;
}

interface QueuedFault {
  fault: FakeFault;
  remaining: number;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

const REDACTED = '[redacted]';
const SECRET_HEADERS = new Set(['authorization', 'x-api-key', 'cookie', 'proxy-authorization']);
let instances = 0;

function compileRoutes(operations: Readonly<Record<string, FakeOperation>>): Route[] {
  const routes = Object.entries(operations).map(([operation, { method, url }]) => {
    const names: string[] = [];
    const segments = url.split('/').filter(Boolean);
    const source = segments
      .map((segment) => {
        const param = /^\{(.+)\}$/.exec(segment);
        if (param) {
          names.push(param[1] as string);
          return '/([^/]+)';
        }
        return `/${segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`;
      })
      .join('');
    return {
      operation,
      method: method.toUpperCase(),
      pattern: new RegExp(`^${source}/?$`),
      names,
      literals: segments.length - names.length,
    };
  });
  // A literal segment wins over a parameter: `/runs/{id}` before `/{id}/{part}`.
  return routes.sort((a, b) => b.literals - a.literals);
}

function queryOf(search: URLSearchParams): Record<string, string | string[]> {
  const query: Record<string, string | string[]> = {};
  for (const [key, value] of search) {
    const existing = query[key];
    query[key] =
      existing === undefined ? value : Array.isArray(existing) ? [...existing, value] : [existing, value];
  }
  return query;
}

const same = (a: unknown, b: unknown) => a === b || JSON.stringify(a) === JSON.stringify(b);

function matches(match: FakeTriggerMatch | undefined, request: Readonly<Record<string, unknown>>): boolean {
  if (match === undefined) return true;
  if (typeof match === 'function') return match(request);
  return Object.entries(match).every(([key, value]) => same(request[key], value));
}

function delay(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

const FAULT_KINDS = [
  '429',
  '5xx',
  'status',
  'reset',
  'slow-headers',
  'cut-body',
  'hang',
  'invalid-json',
  'redirect',
  'huge-body',
  'gzip-bomb',
];
const CHUNK_BYTES = 64 * 1024;

/**
 * A JSON string of `bytes` bytes (`"xxx…"`), made as it is read, 64 KiB at a time (what undici
 * hands out): a body too large to hold in memory costs only what the client reads of it.
 */
function hugeJsonString(bytes: number): ReadableStream<Uint8Array> {
  const filler = new Uint8Array(CHUNK_BYTES).fill(0x78);
  let offset = 0;
  return new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        if (offset >= bytes) {
          controller.close();
          return;
        }
        const size = Math.min(CHUNK_BYTES, bytes - offset);
        const chunk = filler.slice(0, size);
        if (offset === 0) chunk[0] = 0x22;
        if (offset + size === bytes) chunk[size - 1] = 0x22;
        offset += size;
        controller.enqueue(chunk);
      },
    },
    { highWaterMark: 0 },
  );
}

/** A (De)CompressionStream as the byte pair it is (lib.dom types its writable side as BufferSource). */
const gzip = (stream: CompressionStream | DecompressionStream) =>
  stream as unknown as ReadableWritablePair<Uint8Array, Uint8Array>;

/** Passes the body through, counting its bytes into the request's record as they are read. */
function counted(body: ReadableStream<Uint8Array>, record: { bytesSent: number | undefined }) {
  record.bytesSent = 0;
  return body.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        record.bytesSent = (record.bytesSent ?? 0) + chunk.byteLength;
        controller.enqueue(chunk);
      },
    }),
  );
}

function checkFault(fault: FakeFault): number {
  const kinds = FAULT_KINDS;
  if (!kinds.includes(fault.kind))
    throw new TypeError(
      `@anyjob/testing: unknown fault kind "${fault.kind}"; use one of ${kinds.join(', ')}`,
    );
  if (fault.kind === '5xx' && fault.status !== undefined && !(fault.status >= 500 && fault.status <= 599))
    throw new TypeError('@anyjob/testing: a 5xx fault needs a status from 500 to 599');
  if (
    fault.kind === 'status' &&
    !(Number.isInteger(fault.status) && fault.status >= 400 && fault.status <= 599)
  )
    throw new TypeError('@anyjob/testing: a status fault needs a status from 400 to 599');
  if (
    fault.kind === 'redirect' &&
    fault.status !== undefined &&
    ![301, 302, 303, 307, 308].includes(fault.status)
  )
    throw new TypeError('@anyjob/testing: a redirect fault needs a status of 301, 302, 303, 307 or 308');
  if (
    fault.kind === 'huge-body' &&
    fault.bytes !== undefined &&
    !(Number.isInteger(fault.bytes) && fault.bytes >= 2)
  )
    throw new TypeError('@anyjob/testing: a huge-body fault needs bytes ≥ 2');
  if (
    fault.kind === 'gzip-bomb' &&
    fault.inflatedBytes !== undefined &&
    !(Number.isInteger(fault.inflatedBytes) && fault.inflatedBytes >= 2)
  )
    throw new TypeError('@anyjob/testing: a gzip-bomb fault needs inflatedBytes ≥ 2');
  if (fault.kind === 'slow-headers' && !(fault.ms >= 0))
    throw new TypeError('@anyjob/testing: a slow-headers fault needs ms ≥ 0');
  const times =
    fault.times === undefined ? 1 : fault.times === 'always' ? Number.POSITIVE_INFINITY : fault.times;
  if (!(times >= 1)) throw new TypeError('@anyjob/testing: fault.times must be ≥ 1 or "always"');
  return times;
}

/**
 * Fakes of the providers (by default anyjob's registry: every provider whose descriptor has a
 * `testing` entry): runs that live through scripts, faults, real pagination, a request log, and
 * every answer checked against the provider's spec.
 */
export async function createFakeProviders(options: FakeProvidersOptions = {}): Promise<FakeProviders> {
  const descriptors: readonly AnyJobProviderDescriptor[] = options.providers ?? defaultProviders;
  const defaultScript = [...(options.script ?? DEFAULT_SCRIPT)];
  checkScript(defaultScript, '@anyjob/testing: options.script');
  const cancelAfter: FakeDuration = options.cancelAfter ?? { polls: 1 };
  const onDrift =
    options.onDrift ??
    ((error: Error) => {
      // Thrown where no caller can catch it, so a drift fails the test even when the client
      // retried or wrapped the rejected fetch.
      queueMicrotask(() => {
        throw error;
      });
    });
  const origin = `http://fake${++instances}.anyjob.test`;

  const providers = new Map<string, Provider>();
  for (const descriptor of descriptors) {
    if (!descriptor.testing) continue;
    const { fake } = await descriptor.testing.load();
    providers.set(descriptor.name, {
      name: descriptor.name,
      fake,
      words: wordsFor(descriptor.statuses, fake.statusWords),
      routes: compileRoutes(fake.operations),
      key: options.apiKeys?.[descriptor.name] ?? `fake-${descriptor.name}-key`,
    });
  }
  if (providers.size === 0)
    throw new TypeError('@anyjob/testing: none of the providers given has a fake (a `testing` entry)');

  // A client's first request looks for OpenTelemetry (a module load, real I/O, after the
  // request's timeout timer started): done now, so a test driving fake timers does not race it.
  await loadTracer();

  let runs: LiveRun[] = [];
  let byId = new Map<string, LiveRun>();
  let byJob = new Map<string, LiveRun[]>();
  let seqs = new Map<string, number>();
  let rules: Rule[] = [];
  let faults = new Map<string, QueuedFault[]>();
  let log: Mutable<FakeRequestRecord>[] = [];

  function providerOf(name: string): Provider {
    const provider = providers.get(name);
    if (!provider)
      throw new TypeError(
        `@anyjob/testing: no fake of "${name}"; the fakes are ${[...providers.keys()].join(', ')}`,
      );
    return provider;
  }

  const keys = () => [...providers.values()].map((provider) => provider.key);
  const redact = (text: string) => keys().reduce((out, key) => out.split(key).join(REDACTED), text);
  const redactHeaders = (headers: Headers) => {
    const out: Record<string, string> = {};
    headers.forEach((value, key) => {
      out[key] = SECRET_HEADERS.has(key) ? REDACTED : redact(value);
    });
    return out;
  };

  function defaultDuration(status: JobStatus): FakeDuration {
    const step = defaultScript.find((candidate) => candidate.status === status);
    return step ? { ms: step.ms, polls: step.polls } : { polls: 1 };
  }

  function scriptFor(provider: string, request: Readonly<Record<string, unknown>>): readonly FakeStep[] {
    const index = rules.findIndex((rule) => rule.provider === provider && matches(rule.match, request));
    const rule = rules[index];
    if (!rule) return defaultScript;
    rule.remaining -= 1;
    if (rule.remaining <= 0) rules.splice(index, 1);
    return rule.steps(request);
  }

  function context(
    provider: Provider,
    operation: string,
    parts: {
      path: Record<string, string>;
      query: Record<string, string | string[]>;
      body: unknown;
      now: number;
      baseUrl: string;
      requestId: number;
    },
  ): FakeRequestContext {
    const live = (handle: FakeRunHandle) => {
      const run = byId.get(`${provider.name}\u0000${handle.id}`);
      if (!run) throw new Error(`@anyjob/testing: ${provider.name} has no run ${handle.id}`);
      return run;
    };
    const { requestId, ...shared } = parts;
    return {
      operation,
      ...shared,
      createRun({ job, request, fields, id }) {
        const seq = (seqs.get(provider.name) ?? 0) + 1;
        seqs.set(provider.name, seq);
        const handle: FakeRunHandle = { id: id(seq), seq, job, createdAt: parts.now, fields };
        const steps = scriptFor(provider.name, request);
        const run: LiveRun = {
          provider: provider.name,
          handle,
          request,
          requestId,
          steps: [...steps],
          index: 0,
          stepStartedAt: parts.now,
          reads: 0,
          polls: 0,
          startedAt: undefined,
          endedAt: undefined,
          cancelRequested: false,
          finalReadAt: undefined,
        };
        startRun(run);
        runs.push(run);
        byId.set(`${provider.name}\u0000${handle.id}`, run);
        const jobKey = `${provider.name}\u0000${job}`;
        byJob.set(jobKey, [run, ...(byJob.get(jobKey) ?? [])]);
        return handle;
      },
      run: (id) => byId.get(`${provider.name}\u0000${id}`)?.handle,
      runsOf: (job) => (byJob.get(`${provider.name}\u0000${job}`) ?? []).map((run) => run.handle),
      read(handle) {
        const run = live(handle);
        advance(run, parts.now);
        run.reads += 1;
        run.polls += 1;
        advance(run, parts.now);
        const seen = view(run, provider.words);
        if (seen.endedAt !== undefined) run.finalReadAt ??= parts.now;
        return seen;
      },
      peek(handle) {
        const run = live(handle);
        advance(run, parts.now);
        return view(run, provider.words);
      },
      settle(handle) {
        const run = live(handle);
        settle(run, parts.now);
        return view(run, provider.words);
      },
      remove(handle) {
        const run = live(handle);
        byId.delete(`${provider.name}\u0000${handle.id}`);
        const jobKey = `${provider.name}\u0000${handle.job}`;
        byJob.set(
          jobKey,
          (byJob.get(jobKey) ?? []).filter((candidate) => candidate !== run),
        );
        runs = runs.filter((candidate) => candidate !== run);
      },
      cancel: (handle) => requestCancel(live(handle), parts.now, cancelAfter, provider.fake.cancelingWord),
      error: (status, message) => ({ status, body: provider.fake.errorBody(status, message) }),
    };
  }

  function takeFault(provider: string, operation: string): FakeFault | undefined {
    const queue = faults.get(`${provider}.${operation}`);
    const next = queue?.[0];
    if (!queue || !next) return undefined;
    next.remaining -= 1;
    if (next.remaining <= 0) queue.shift();
    return next.fault;
  }

  /** The answer as it leaves: checked against the spec first. */
  function answerOf(provider: Provider, operation: string, answer: FakeAnswer): Outcome {
    const schemas = provider.fake.operations[operation];
    const ok = answer.status >= 200 && answer.status < 300;
    const schema = ok
      ? schemas?.response
      : (schemas?.errors[answer.status] ?? Object.values(schemas?.errors ?? {})[0]);
    if (schema && answer.body !== undefined) {
      const issues = checkSchema(schema, answer.body, 'response');
      if (issues.length > 0) {
        const error = new FakeSpecDriftError(provider.name, operation, answer.status, issues);
        onDrift(error);
        throw error;
      }
    }
    return {
      type: 'answer',
      status: answer.status,
      headers: { 'content-type': 'application/json', ...answer.headers },
      body: answer.body === undefined ? '' : JSON.stringify(answer.body),
    };
  }

  /** Handles one request addressed to `<origin>/<provider>/…`. */
  async function dispatch(
    method: string,
    url: URL,
    headers: Headers,
    bodyText: string,
    signal: AbortSignal | undefined,
    baseOrigin: string,
  ): Promise<Outcome> {
    const now = Date.now();
    const [, name = '', ...rest] = url.pathname.split('/');
    const provider = providers.get(name);
    const record: Mutable<FakeRequestRecord> = {
      id: log.length + 1,
      provider: name,
      operation: undefined,
      method,
      url: redact(`${url.pathname}${url.search}`),
      headers: redactHeaders(headers),
      body: redact(bodyText),
      time: now,
      status: undefined,
      fault: undefined,
      bytesSent: undefined,
    };
    log.push(record);
    let extraHeaders: Readonly<Record<string, string>> | undefined;
    const finish = (outcome: Outcome): Outcome => {
      if (outcome.type !== 'answer' && outcome.type !== 'stream') return outcome;
      record.status = outcome.status;
      return extraHeaders ? { ...outcome, headers: { ...outcome.headers, ...extraHeaders } } : outcome;
    };
    if (!provider) return finish({ type: 'answer', status: 404, headers: {}, body: 'no such fake provider' });
    const path = `/${rest.join('/')}`;
    const base = provider.fake.basePath;
    const relative = path.startsWith(`${base}/`) ? path.slice(base.length) : undefined;
    let matched: { route: Route; values: string[] } | undefined;
    for (const route of provider.routes) {
      if (relative === undefined || route.method !== method) continue;
      const found = route.pattern.exec(relative);
      if (found) {
        matched = { route, values: found.slice(1) };
        break;
      }
    }
    if (!matched) {
      const answer = { status: 404, body: provider.fake.errorBody(404, `Cannot ${method} ${path}`) };
      return finish({
        type: 'answer',
        status: 404,
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(answer.body),
      });
    }
    const { operation } = matched.route;
    record.operation = operation;
    const fault = takeFault(provider.name, operation);
    record.fault = fault?.kind;
    extraHeaders = fault?.headers;

    const handle = (): Outcome => {
      if (headers.get(provider.fake.auth.header) !== authorization(provider.fake.auth, provider.key))
        return answerOf(provider, operation, {
          status: 401,
          body: provider.fake.errorBody(401, 'Unauthorized: the API key is missing or wrong'),
        });
      const handler = provider.fake.handlers[operation];
      if (!handler)
        return answerOf(provider, operation, {
          status: 501,
          body: provider.fake.errorBody(501, `The fake does not serve ${operation}`),
        });
      let body: unknown;
      if (bodyText !== '') {
        try {
          body = JSON.parse(bodyText);
        } catch {
          return answerOf(provider, operation, {
            status: 400,
            body: provider.fake.errorBody(400, 'Invalid JSON body'),
          });
        }
      }
      const pathParams = Object.fromEntries(
        matched.route.names.map((key, index) => [key, decodeURIComponent(matched.values[index] ?? '')]),
      );
      const ctx = context(provider, operation, {
        path: pathParams,
        query: queryOf(url.searchParams),
        body,
        now,
        baseUrl: `${baseOrigin}/${provider.name}${base}`,
        requestId: record.id,
      });
      return answerOf(provider, operation, handler(ctx));
    };
    const errorAnswer = (status: number, message?: string, retryAfterSeconds?: number) =>
      answerOf(provider, operation, {
        status,
        headers: retryAfterSeconds === undefined ? {} : { 'retry-after': String(retryAfterSeconds) },
        body: provider.fake.errorBody(
          status,
          message ??
            (status === 429
              ? 'Too Many Requests'
              : status >= 500
                ? 'Internal Server Error'
                : `Error ${status}`),
        ),
      });
    /** A body made as it is read, sent with `status` after the request was handled (unless told not to). */
    const streamed = (
      afterCreate: boolean | undefined,
      status: number | undefined,
      headers: Record<string, string>,
      body: ReadableStream<Uint8Array>,
    ): Outcome => {
      if (afterCreate !== false) handle();
      return finish({
        type: 'stream',
        status: status ?? 200,
        headers: { 'content-type': 'application/json', ...headers },
        body: counted(body, record),
      });
    };

    if (!fault) return finish(handle());
    switch (fault.kind) {
      case '429':
        return finish(errorAnswer(429, fault.message, fault.retryAfterSeconds));
      case '5xx':
        if (fault.afterCreate) handle();
        return finish(errorAnswer(fault.status ?? 500, fault.message));
      case 'status':
        if (fault.afterCreate) handle();
        return finish(errorAnswer(fault.status, fault.message, fault.retryAfterSeconds));
      case 'reset':
        if (fault.afterCreate) handle();
        return { type: 'reset' };
      case 'hang':
        if (fault.afterCreate) handle();
        return { type: 'hang' };
      case 'slow-headers': {
        // afterCreate: handled at once, answered late (a caller giving up meanwhile leaves a run).
        const early = fault.afterCreate ? handle() : undefined;
        await delay(fault.ms, signal);
        return finish(early ?? handle());
      }
      case 'cut-body': {
        const outcome = handle();
        if (outcome.type !== 'answer') return outcome;
        return finish({ ...outcome, cutAt: Math.floor(new TextEncoder().encode(outcome.body).length / 2) });
      }
      case 'invalid-json': {
        handle();
        return finish({
          type: 'answer',
          status: 200,
          headers: { 'content-type': 'application/json' },
          body: '<!doctype html><html><body><h1>Bad Gateway</h1></body></html>',
        });
      }
      case 'redirect':
        if (fault.afterCreate) handle();
        return finish({
          type: 'answer',
          status: fault.status ?? 307,
          headers: { location: fault.location ?? url.href },
          body: '',
        });
      case 'huge-body': {
        const bytes = fault.bytes ?? 100 * 1024 * 1024;
        const headers: Record<string, string> = fault.contentLength
          ? { 'content-length': String(bytes) }
          : {};
        return streamed(fault.afterCreate, fault.status, headers, hugeJsonString(bytes));
      }
      case 'gzip-bomb': {
        const inflated = hugeJsonString(fault.inflatedBytes ?? 1024 * 1024 * 1024);
        return streamed(
          fault.afterCreate,
          fault.status,
          { 'content-encoding': 'gzip' },
          inflated.pipeThrough(gzip(new CompressionStream('gzip'))),
        );
      }
    }
  }

  const fetch = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    await pace();
    const request = new Request(input, init);
    const url = new URL(request.url);
    if (url.origin !== origin)
      throw new TypeError(
        `fetch failed: ${url.origin} is not the fake (${origin}); only its base URLs are served`,
      );
    const bodyText = await request.text();
    // The caller's own signal, not `request.signal`: undici's Request follows the caller's signal
    // through a weak reference, so once the Request is collected a hung answer never heard the
    // abort (20 concurrent triggers with hangs never settled).
    const signal = init?.signal ?? (input instanceof Request ? input.signal : undefined) ?? undefined;
    const outcome = await dispatch(request.method, url, request.headers, bodyText, signal, origin);
    return responseOf(outcome, signal);
  };

  function rule(provider: string, match: FakeTriggerMatch | undefined): FakeTriggerRule {
    providerOf(provider);
    let queued: FakeDuration | undefined;
    let running: FakeDuration | undefined;
    let final: FakeStep = { status: 'succeeded' };
    let script: ((request: Readonly<Record<string, unknown>>) => readonly FakeStep[]) | undefined;
    const entry: Rule = {
      provider,
      match,
      remaining: Number.POSITIVE_INFINITY,
      steps: (request) =>
        script?.(request) ?? [
          durationStep('queued', queued ?? defaultDuration('queued')),
          durationStep('running', running ?? defaultDuration('running')),
          final,
        ],
    };
    rules.unshift(entry);
    const builder: FakeTriggerRule = {
      succeed(outputs) {
        final = outputs ? { status: 'succeeded', outputs } : { status: 'succeeded' };
        return builder;
      },
      fail(error) {
        final = error === undefined ? { status: 'failed' } : { status: 'failed', error };
        return builder;
      },
      cancel() {
        final = { status: 'canceled' };
        return builder;
      },
      script(steps) {
        const where = `@anyjob/testing: onTrigger('${provider}').script`;
        if (typeof steps === 'function') {
          script = (request) => {
            const chosen = steps(request);
            checkScript(chosen, where);
            return chosen;
          };
          return builder;
        }
        checkScript(steps, where);
        const fixed = [...steps];
        script = () => fixed;
        return builder;
      },
      queuedFor(duration) {
        queued = duration;
        return builder;
      },
      runningFor(duration) {
        running = duration;
        return builder;
      },
      times(n) {
        if (!(Number.isInteger(n) && n >= 1))
          throw new TypeError('@anyjob/testing: times(n) needs an integer n ≥ 1');
        entry.remaining = n;
        return builder;
      },
    };
    return builder;
  }

  function snapshot(run: LiveRun): FakeRunSnapshot {
    advance(run, Date.now());
    const provider = providerOf(run.provider);
    const current = view(run, provider.words);
    return {
      provider: run.provider,
      id: run.handle.id,
      job: run.handle.job,
      status: current.status,
      providerStatus: current.word,
      request: run.request,
      createdAt: run.handle.createdAt,
      startedAt: current.startedAt,
      endedAt: current.endedAt,
      cancelRequested: current.cancelRequested,
      error: current.error,
      outputs: current.outputs,
      polls: run.polls,
      finalReadAt: run.finalReadAt,
      requestId: run.requestId,
    };
  }

  const baseUrl = (name: string) => `${origin}/${name}${providerOf(name).fake.basePath}`;

  return {
    fetch,
    providers: [...providers.keys()],
    baseUrl,
    apiKey: (name) => providerOf(name).key,
    config() {
      const config: Record<string, unknown> = { fetch, env: {} };
      for (const name of providers.keys())
        config[name] = { apiKey: providerOf(name).key, baseUrl: baseUrl(name) };
      return config as ReturnType<FakeProviders['config']>;
    },
    listen: (listenOptions) =>
      startServer(
        (method, url, headers, body, signal, serverOrigin) =>
          dispatch(method, url, headers, body, signal, serverOrigin),
        [...providers.values()].map((provider) => [provider.name, provider.fake.basePath] as const),
        listenOptions ?? {},
      ),
    onTrigger: rule,
    fault(provider, operation, fault) {
      const target = providerOf(provider);
      if (!Object.hasOwn(target.fake.operations, operation))
        throw new TypeError(
          `@anyjob/testing: ${provider} has no operation "${operation}"; its operations are ${Object.keys(target.fake.operations).join(', ')}`,
        );
      const remaining = checkFault(fault);
      const key = `${provider}.${operation}`;
      faults.set(key, [...(faults.get(key) ?? []), { fault, remaining }]);
    },
    runs: (provider) =>
      runs.filter((run) => provider === undefined || run.provider === provider).map(snapshot),
    requests: (filter: FakeRequestFilter = {}) =>
      log
        .filter(
          (record) =>
            (filter.provider === undefined || record.provider === filter.provider) &&
            (filter.operation === undefined || record.operation === filter.operation) &&
            (filter.method === undefined || record.method === filter.method.toUpperCase()),
        )
        .map((record) => ({ ...record })),
    reset() {
      runs = [];
      byId = new Map();
      byJob = new Map();
      seqs = new Map();
      rules = [];
      faults = new Map();
      log = [];
    },
  };
}

/** Requests answered since the event loop last turned. */
let burst = 0;
let turnWatched = false;
const BURST_LIMIT = 1_000;

/**
 * An in-process answer resolves in microtasks only, so a client looping on the fake forever would
 * keep the event loop from ever reaching a timer (no test timeout could fire). After 1,000
 * requests in one turn the fetch waits for the next turn (MessageChannel, which fake timers do
 * not fake); below that it never does, so a test driving fake timers sees every request at once.
 */
async function pace(): Promise<void> {
  if (typeof MessageChannel !== 'function') return;
  burst += 1;
  if (!turnWatched) {
    turnWatched = true;
    void nextMacrotask().then(() => {
      burst = 0;
      turnWatched = false;
    });
  }
  if (burst > BURST_LIMIT) await nextMacrotask();
}

function nextMacrotask(): Promise<void> {
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => {
      channel.port1.close();
      resolve();
    };
    channel.port2.postMessage(undefined);
  });
}

/** The in-process fetch's Response for an outcome: a cut body errors mid-stream, a reset rejects. */
function responseOf(outcome: Outcome, signal: AbortSignal | undefined): Promise<Response> | Response {
  if (outcome.type === 'reset') {
    const cause = Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' });
    throw new TypeError('fetch failed', { cause });
  }
  if (outcome.type === 'hang') {
    return new Promise((_resolve, reject) => {
      if (signal?.aborted) reject(signal.reason);
      signal?.addEventListener('abort', () => reject(signal.reason), { once: true });
    });
  }
  if (outcome.type === 'stream') {
    // What fetch does with a gzip body: the headers as sent, the body inflated as it is read.
    const body =
      outcome.headers['content-encoding'] === 'gzip'
        ? outcome.body.pipeThrough(gzip(new DecompressionStream('gzip')))
        : outcome.body;
    return new Response(body, { status: outcome.status, headers: outcome.headers });
  }
  const nullBody = outcome.status === 204 || outcome.status === 304;
  if (outcome.cutAt === undefined)
    return new Response(nullBody ? null : outcome.body, { status: outcome.status, headers: outcome.headers });
  const bytes = new TextEncoder().encode(outcome.body);
  let sent = false;
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (!sent) {
        sent = true;
        controller.enqueue(bytes.slice(0, outcome.cutAt));
        return;
      }
      controller.error(
        new TypeError('terminated', {
          cause: Object.assign(new Error('other side closed'), { code: 'UND_ERR_SOCKET' }),
        }),
      );
    },
  });
  return new Response(body, {
    status: outcome.status,
    headers: { ...outcome.headers, 'content-length': String(bytes.length) },
  });
}

/**
 * The header value a client sends for `key`: as given, after its scheme (`Bearer <key>`), or for
 * basic auth the `user:token` key in base64 (RFC 7617), as the generated clients send it.
 */
function authorization(auth: { readonly scheme?: string }, key: string): string {
  if (!auth.scheme) return key;
  if (auth.scheme.toLowerCase() === 'basic') return `${auth.scheme} ${base64(key)}`;
  return `${auth.scheme} ${key}`;
}

/** Base64 of the text's UTF-8 bytes (btoa alone refuses characters beyond Latin-1). */
function base64(text: string): string {
  let binary = '';
  for (const byte of new TextEncoder().encode(text)) binary += String.fromCharCode(byte);
  return btoa(binary);
}
