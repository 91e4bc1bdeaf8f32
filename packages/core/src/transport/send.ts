// The one fetch every request to a provider goes through, from the facade and from the provider
// packages' clients alike. It owns retries (by side effect, retry-policy.ts), per-request
// timeouts, cancellation, redirects, body size limits, logging, tracing and turning HTTP failures
// into typed errors with every echoed credential redacted.
//
// Redirects are followed here, not by fetch: fetch strips `Authorization` on a cross-origin
// redirect but not custom headers such as `x-api-key`, so a `Location` naming another host would
// receive the key. Same-origin redirects are followed (a 307/308 re-sends the method and body);
// a redirect to another origin is refused with RedirectError before anything is sent there.
import {
  AbortError,
  ApiError,
  ConnectionError,
  isRateLimitAnswer,
  RedirectError,
  ResponseTooLargeError,
  TimeoutError,
} from '../errors/index.js';
import type { CallOptions } from '../job/provider.js';
import { checkCallNumbers } from '../settings-checks.js';
import { badPortOf } from './bad-ports.js';
import { type BodyLimit, limitBody, readBodyLimited, withBody } from './body.js';
import type { LevelLogger } from './logger.js';
import { pauseProvider } from './pacing.js';
import { Redactor, secretsOf } from './redact.js';
import {
  type AttemptOutcome,
  backoffDelayMs,
  parseRetryAfterMs,
  RETRY_DEFAULTS,
  rateLimitWaitMs,
  type SideEffect,
  shouldRetry,
} from './retry-policy.js';
import { checkDurations, delay, MAX_TIMER_MS } from './timers.js';
import { type SpanAttributes, type SpanHandle, startSpan, startSpanNow } from './tracing.js';

export interface OperationInfo {
  provider: string;
  /** The operation name used in errors and logs, e.g. `triggerJob`. */
  operation: string;
  sideEffect: SideEffect;
  /** Timeout used when neither the client nor the call sets `timeoutMs`. */
  defaultTimeoutMs?: number;
  /** Where the base URL is set, for the redirect error (e.g. "the `baseUrl` option or TFY_HOST"). */
  baseUrlSetting?: string;
}

export interface SendOptions extends CallOptions {
  /** The fetch to send with; defaults to `globalThis.fetch`, looked up per request. */
  fetch?: typeof globalThis.fetch;
  /** Credentials besides those found in the request's auth headers, to redact from anything echoed. */
  secrets?: readonly string[];
  logger?: LevelLogger;
  /**
   * `throw` (default): a final non-2xx answer rejects with an ApiError. `return`: it is handed
   * back as a Response (its body read within the size limit), as the generated SDK expects.
   */
  httpErrors?: 'throw' | 'return';
}

const NULL_BODY_STATUSES = new Set([101, 204, 205, 304]);
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);
const MAX_REDIRECTS = 5;
/** How long a 429 without Retry-After pauses the provider's waits. */
const RATE_LIMIT_PAUSE_MS = 1_000;
/** How much of an error body ApiError.body keeps. */
export const ERROR_BODY_KEEP_BYTES = 64 * 1024;
const DURATION_OPTIONS = ['timeoutMs', 'retryDelayMs', 'maxRetryDelayMs', 'maxRetryAfterMs'] as const;
const CALL_NUMBERS = ['maxRetries', 'maxResponseBytes'] as const;

// Errors raised while opening the connection, before the request was written.
const BEFORE_SEND_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'UND_ERR_CONNECT_TIMEOUT',
]);

/** The system error code behind a fetch failure (undici wraps it in `cause`, sometimes aggregated). */
export function connectionErrorCode(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 4 && typeof current === 'object' && current !== null; depth++) {
    const record = current as { code?: unknown; cause?: unknown; errors?: unknown };
    if (typeof record.code === 'string') return record.code;
    current = record.cause ?? (Array.isArray(record.errors) ? record.errors[0] : undefined);
  }
  return undefined;
}

const REQUEST_ID_HEADERS = ['x-request-id', 'request-id', 'x-amzn-requestid', 'x-correlation-id', 'cf-ray'];

/**
 * The provider's id for this request, from the usual response headers, with the request's
 * credentials redacted: a header is text the server chose, like the body.
 */
export function requestIdOf(headers: Headers, redactor: Redactor): string | undefined {
  for (const name of REQUEST_ID_HEADERS) {
    const value = headers.get(name);
    if (value) return redactor.text(value);
  }
  return undefined;
}

/** Fetch refuses a bad port without a word; this says which port, before anything is sent. */
function badPortError(op: OperationInfo, url: URL, port: number): ConnectionError {
  return new ConnectionError(
    `${op.provider} ${op.operation} was not sent: ${url.origin} uses port ${port}, which fetch refuses to connect to (a "bad port" of the Fetch standard, kept for protocols such as mail or IRC). Use the port the API listens on in the base URL (${op.baseUrlSetting ?? 'the `baseUrl` option'}).`,
    { provider: op.provider, operation: op.operation, code: 'BAD_PORT', beforeSend: true },
  );
}

function timeoutError(op: OperationInfo, timeoutMs: number): TimeoutError {
  return new TimeoutError(`${op.provider} ${op.operation} timed out after ${timeoutMs} ms.`, {
    provider: op.provider,
    operation: op.operation,
    timeoutMs,
  });
}

const EMPTY_REDACTOR = new Redactor([]);
/** Per client (its `secrets` array): the last redactor built, and the credentials it was built for. */
const redactors = new WeakMap<readonly string[], { secrets: readonly string[]; redactor: Redactor }>();

function sameSecrets(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * The redactor for a request's credentials and the client's known secrets. Building one compiles
 * a pattern of every spelling, so each client keeps its last one (a client sends the same key
 * request after request); it lives as long as the client's `secrets` array, not longer.
 */
function redactorFor(headers: Headers, known: readonly string[] | undefined): Redactor {
  const secrets = secretsOf(headers);
  if (known === undefined) return new Redactor(secrets);
  for (const secret of known) secrets.push(secret);
  const cached = redactors.get(known);
  if (cached !== undefined && sameSecrets(cached.secrets, secrets)) return cached.redactor;
  const redactor = new Redactor(secrets);
  redactors.set(known, { secrets, redactor });
  return redactor;
}

function keptBody(bytes: Uint8Array, redactor: Redactor): unknown {
  if (bytes.byteLength > ERROR_BODY_KEEP_BYTES) {
    // Cut at a byte count, so a multi-byte character may be split: the decoder replaces it.
    const head = new TextDecoder().decode(bytes.subarray(0, ERROR_BODY_KEEP_BYTES));
    return `${redactor.text(head)}…[truncated: ${bytes.byteLength} bytes]`;
  }
  const text = redactor.text(new TextDecoder().decode(bytes));
  if (text === '') return undefined;
  try {
    // Redacted again once parsed: JSON may spell the key with escapes (`\/`, `\u0041`) that the
    // text does not match.
    return redactor.value(JSON.parse(text));
  } catch {
    return text;
  }
}

function apiErrorFrom(
  response: Response,
  bytes: Uint8Array,
  op: OperationInfo,
  redactor: Redactor,
  retryAfterMs: number | undefined,
): ApiError {
  const headers: Record<string, string> = {};
  response.headers.forEach((value, name) => {
    headers[name] = redactor.text(value);
  });
  return ApiError.generate({
    provider: op.provider,
    operation: op.operation,
    status: response.status,
    body: keptBody(bytes, redactor),
    headers,
    requestId: requestIdOf(response.headers, redactor),
    retryAfterMs,
  });
}

/**
 * Keeps a successful attempt's timeout and abort wiring alive while its body is read by whoever
 * received the response, and says what went wrong if that read was cut short.
 */
export class ResponseScope {
  #release: (() => void) | undefined;
  #failure: (() => Error | undefined) | undefined;
  #redactor: Redactor = EMPTY_REDACTOR;
  #text: string | undefined;
  /** The last response handed out (its body belongs to the reader). */
  response: Response | undefined;

  /**
   * Called by sendWithRetry when it hands out a response unread. The response's `text()` is
   * watched (an own property over the prototype's), so that `redact` can check the text the
   * reader parsed instead of walking what it parsed.
   */
  hold(response: Response, release: () => void, failure: () => Error | undefined, redactor: Redactor): void {
    this.response = response;
    this.#release = release;
    this.#failure = failure;
    this.#redactor = redactor;
    this.#text = undefined;
    const read = response.text;
    if (redactor.empty || typeof read !== 'function' || !Object.isExtensible(response)) return;
    Object.defineProperty(response, 'text', {
      configurable: true,
      writable: true,
      value: () => {
        // Watched once: the own property goes, so a response the caller keeps (withResponse, a
        // run's response) does not keep this scope, and with it the whole text, alive.
        delete (response as { text?: unknown }).text;
        return read.call(response).then((text: string) => {
          if (this.response === response) this.#text = text;
          return text;
        });
      },
    });
  }

  /** Redacts the credentials the answered request carried from what the response echoes. */
  get redactor(): Redactor {
    return this.#redactor;
  }

  /**
   * `data` (what the reader made of the held response's body) with the request's credentials
   * redacted. When the reader parsed the text it read through `text()` (the generated SDK's JSON
   * answers), a text that holds no secret and no escape vouches for every string parsed from it
   * and `data` comes back as it is; otherwise every string and key is walked.
   */
  redact<T>(data: T): T {
    const text = this.#text;
    // Checked once, then let go: a page of runs is a large string that must not outlive its call.
    this.#text = undefined;
    if (text !== undefined && this.#redactor.cleanJson(text)) return data;
    return this.#redactor.value(data);
  }

  /** The TimeoutError, AbortError or ResponseTooLargeError that cut the body read short, if one did. */
  failure(): Error | undefined {
    return this.#failure?.();
  }

  release(): void {
    this.#release?.();
    this.#release = undefined;
    this.#text = undefined;
  }
}

interface Hop {
  url: string;
  method: string;
  body: Uint8Array | null;
}

/** The next request after a redirect, per the fetch standard's method rules. */
function redirected(hop: Hop, status: number, target: URL): Hop {
  const toGet =
    status === 303 ? hop.method !== 'HEAD' : (status === 301 || status === 302) && hop.method === 'POST';
  return toGet ? { url: target.href, method: 'GET', body: null } : { ...hop, url: target.href };
}

/**
 * Sends `request`, retrying as `shouldRetry` allows; rejects with ApiError (a subclass per status),
 * ConnectionError, TimeoutError, AbortError, RedirectError or ResponseTooLargeError. Without a
 * `scope` a successful response comes back with its body already read, so the timeout covers the
 * body too. With a `scope` it comes back unread (size-limited) and the timeout keeps running
 * until the scope is released.
 */
export async function sendWithRetry(
  request: Request,
  op: OperationInfo,
  options: SendOptions = {},
  scope?: ResponseScope,
): Promise<Response> {
  checkDurations(options, DURATION_OPTIONS);
  checkCallNumbers(options, CALL_NUMBERS);
  const maxRetries = Math.max(0, options.maxRetries ?? RETRY_DEFAULTS.maxRetries);
  const timeoutMs = options.timeoutMs ?? op.defaultTimeoutMs ?? RETRY_DEFAULTS.timeoutMs;
  const maxRetryAfterMs = options.maxRetryAfterMs ?? RETRY_DEFAULTS.maxRetryAfterMs;
  const limit: BodyLimit = {
    provider: op.provider,
    operation: op.operation,
    limitBytes: options.maxResponseBytes ?? RETRY_DEFAULTS.maxResponseBytes,
  };
  const { logger } = options;
  // Debug lines are built only where someone reads them.
  const debug = logger?.enabled('debug') ? logger : undefined;
  // A raw SDK call passes its AbortSignal on the Request; the facade passes it in the options.
  const signal = options.signal ?? request.signal;
  const send = options.fetch ?? globalThis.fetch;
  const redactor = redactorFor(request.headers, options.secrets);
  const url = new URL(request.url);
  const badPort = badPortOf(url);
  if (badPort !== undefined) throw badPortError(op, url, badPort);
  const originOf = () => url.origin;
  // The body is read once and each attempt (and redirect hop) sends its own copy: fetch may
  // transfer (detach) the buffer it was given.
  const body = request.body === null ? null : new Uint8Array(await request.arrayBuffer());
  const shownUrl = redactor.text(request.url);

  for (let attempt = 0; ; attempt++) {
    if (signal?.aborted) throw new AbortError(undefined, { cause: signal.reason });
    const canRetry = attempt < maxRetries;
    const controller = new AbortController();
    let timedOut = false;
    let tooLarge: ResponseTooLargeError | undefined;
    const timer = setTimeout(
      () => {
        timedOut = true;
        controller.abort();
      },
      Math.min(timeoutMs, MAX_TIMER_MS),
    );
    const onAbort = () => controller.abort(signal?.reason);
    signal?.addEventListener('abort', onAbort, { once: true });
    const started = Date.now();
    const spanAttributes: SpanAttributes = {
      'anyjob.provider': op.provider,
      'anyjob.operation': op.operation,
      'anyjob.attempt': attempt + 1,
      'http.request.method': request.method,
      'url.full': shownUrl,
    };
    // Without waiting a tick once tracing has been looked up (the first request looks it up).
    const span =
      startSpanNow('anyjob.request', spanAttributes) ?? (await startSpan('anyjob.request', spanAttributes));

    let outcome: AttemptOutcome;
    let failure: Error;
    let retryAfterMs: number | undefined;
    let held = false;
    try {
      let hop: Hop = { url: request.url, method: request.method, body };
      let response: Response;
      for (let hops = 0; ; hops++) {
        response = await send(hop.url, {
          method: hop.method,
          headers: request.headers,
          body: hop.body === null ? null : hop.body.slice(),
          redirect: 'manual',
          signal: controller.signal,
        });
        const target = redirectTarget(response, hop, op, originOf, redactor);
        if (target === undefined) break;
        await response.body?.cancel().catch(() => {});
        if (hops >= MAX_REDIRECTS) throw tooManyRedirects(op, response.status, originOf());
        debug?.log(
          'debug',
          `${op.provider}.${op.operation} ${hop.method} ${redactor.text(hop.url)} → ${response.status}, following the redirect to ${redactor.text(target.href)}`,
        );
        hop = redirected(hop, response.status, target);
      }
      span.set({ 'http.response.status_code': response.status });
      debug?.log(
        'debug',
        `${op.provider}.${op.operation} ${request.method} ${shownUrl} → ${response.status} in ${Date.now() - started} ms (attempt ${attempt + 1})`,
      );
      if (response.ok) {
        if (scope) {
          const limited = limitBody(response, limit, (error) => {
            tooLarge = error;
          });
          held = true;
          scope.hold(
            limited,
            () => {
              clearTimeout(timer);
              signal?.removeEventListener('abort', onAbort);
              span.end();
            },
            () => {
              if (signal?.aborted) return new AbortError(undefined, { cause: signal.reason });
              if (timedOut) return timeoutError(op, timeoutMs);
              return tooLarge;
            },
            redactor,
          );
          return limited;
        }
        const bytes = NULL_BODY_STATUSES.has(response.status) ? null : await readBodyLimited(response, limit);
        span.end();
        return withBody(response, bytes, response.url || hop.url);
      }
      // A rate limit (a 429, or a 403 that says it is one) is retried like a 429, and pauses every
      // wait on this provider, not just this request, until the wait its headers ask for.
      const rateLimited = isRateLimitAnswer(response.status, response.headers);
      retryAfterMs = rateLimited ? rateLimitWaitMs(response.headers) : parseRetryAfterMs(response.headers);
      outcome = { kind: 'response', status: rateLimited ? 429 : response.status };
      if (rateLimited) pauseProvider(op.provider, originOf(), retryAfterMs ?? RATE_LIMIT_PAUSE_MS);
      const bytes = NULL_BODY_STATUSES.has(response.status)
        ? new Uint8Array(0)
        : await readBodyLimited(response, limit);
      if (options.httpErrors === 'return' && !(canRetry && shouldRetry(op.sideEffect, outcome))) {
        span.end();
        return withBody(response, bytes.byteLength === 0 ? null : bytes, response.url || hop.url);
      }
      failure = apiErrorFrom(response, bytes, op, redactor, retryAfterMs);
    } catch (error) {
      if (signal?.aborted) {
        span.fail(error);
        span.end();
        throw new AbortError(undefined, { cause: signal.reason });
      }
      if (timedOut) {
        outcome = { kind: 'timeout' };
        failure = timeoutError(op, timeoutMs);
      } else if (RedirectError.isInstance(error) || ResponseTooLargeError.isInstance(error)) {
        span.fail(error);
        span.end();
        throw error;
      } else {
        const code = connectionErrorCode(error);
        const beforeSend = code !== undefined && BEFORE_SEND_CODES.has(code);
        outcome = { kind: 'connection', beforeSend };
        failure = new ConnectionError(
          `${op.provider} ${op.operation} could not reach ${originOf()}${code ? ` (${code})` : ''}.`,
          { provider: op.provider, operation: op.operation, code, beforeSend, cause: error },
        );
      }
    } finally {
      if (!held) {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
      }
    }

    const waitTooLong = retryAfterMs !== undefined && retryAfterMs > maxRetryAfterMs;
    const retry = canRetry && !waitTooLong && shouldRetry(op.sideEffect, outcome);
    endFailedSpan(span, failure);
    if (!retry) {
      if (debug && canRetry) {
        debug.log(
          'debug',
          `${op.provider}.${op.operation}: not retrying (${whyNot(op.sideEffect, waitTooLong)}): ${redactor.text(failure.message)}`,
        );
      }
      throw failure;
    }
    const wait = retryAfterMs ?? backoffDelayMs(attempt, options);
    logger?.log(
      'info',
      `${op.provider}.${op.operation}: ${redactor.text(failure.message)} Retrying in ${Math.round(wait)} ms (attempt ${attempt + 2} of ${maxRetries + 1}).`,
    );
    await delay(wait, signal);
  }
}

function whyNot(sideEffect: SideEffect, waitTooLong: boolean): string {
  if (waitTooLong) return 'the server asked to wait longer than maxRetryAfterMs';
  return sideEffect === 'trigger'
    ? 'a trigger is never repeated once it may have reached the provider'
    : 'the failure is not transient';
}

function endFailedSpan(span: SpanHandle, failure: Error): void {
  span.fail(failure);
  span.end();
}

/** The same-origin URL to follow, undefined when `response` is no redirect; throws for another origin. */
function redirectTarget(
  response: Response,
  hop: Hop,
  op: OperationInfo,
  originOf: () => string,
  redactor: Redactor,
): URL | undefined {
  // Browsers hide a manual redirect's status and Location behind an opaque response.
  if (response.type === 'opaqueredirect') {
    const origin = originOf();
    throw new RedirectError(
      `${op.provider} ${op.operation} was redirected, and the browser hides where to; anyjob does not follow redirects it cannot check. Set the base URL (${op.baseUrlSetting ?? 'the `baseUrl` option'}) to the API's final address.`,
      { provider: op.provider, operation: op.operation, status: 0, fromOrigin: origin, toOrigin: 'unknown' },
    );
  }
  if (!REDIRECT_STATUSES.has(response.status)) return undefined;
  const origin = originOf();
  const location = response.headers.get('location');
  if (location === null) return undefined;
  let target: URL;
  try {
    target = new URL(location, hop.url);
  } catch {
    return undefined;
  }
  if (target.origin !== origin) {
    void response.body?.cancel().catch(() => {});
    // The Location is text the server chose, like the body: a key in its host name is redacted.
    const toOrigin = redactor.text(target.origin);
    throw new RedirectError(
      `${op.provider} ${op.operation} was redirected (HTTP ${response.status}) from ${origin} to another origin, ${toOrigin}. anyjob does not follow it: the request carries your API key. If ${toOrigin} is the API's address, set the base URL (${op.baseUrlSetting ?? 'the `baseUrl` option'}) to it.`,
      {
        provider: op.provider,
        operation: op.operation,
        status: response.status,
        fromOrigin: origin,
        toOrigin,
      },
    );
  }
  return target;
}

function tooManyRedirects(op: OperationInfo, status: number, origin: string): RedirectError {
  return new RedirectError(
    `${op.provider} ${op.operation} was redirected more than ${MAX_REDIRECTS} times within ${origin}; giving up.`,
    { provider: op.provider, operation: op.operation, status, fromOrigin: origin, toOrigin: origin },
  );
}

/** The retry, timeout, size and fetch options out of a settings object (and nothing else, e.g. no key). */
export function sendOptionsFrom(settings: SendOptions): SendOptions {
  const {
    fetch,
    maxRetries,
    timeoutMs,
    retryDelayMs,
    maxRetryDelayMs,
    maxRetryAfterMs,
    maxResponseBytes,
    logger,
  } = settings;
  return mergeSendOptions({}, {
    maxRetries,
    timeoutMs,
    retryDelayMs,
    maxRetryDelayMs,
    maxRetryAfterMs,
    maxResponseBytes,
    fetch,
    logger,
  } as SendOptions);
}

/** `base` overlaid with the options a call sets (an `undefined` option keeps the base value). */
export function mergeSendOptions(base: SendOptions, call: CallOptions | undefined): SendOptions {
  if (call === undefined) return base;
  const merged: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(call)) if (value !== undefined) merged[key] = value;
  return merged as SendOptions;
}
