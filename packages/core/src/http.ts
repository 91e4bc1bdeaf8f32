// The one fetch every adapter sends through. It owns retries (which failures, how often, how long
// to wait), per-request timeouts, cancellation and turning HTTP failures into typed errors.
//
// Retries are decided by the operation's side effect, not its HTTP method: Runchat's GET /job/{id}
// starts a job. None of the three providers accepts an idempotency key, so a trigger is retried
// only when the provider certainly did not start a run.
import {
  AbortError,
  type ApiError,
  ConnectionError,
  createApiError,
  ResponseValidationError,
  TimeoutError,
} from './errors.js';
import type { CallOptions, RetrySettings } from './provider.js';
import { checkDurations, delay, MAX_TIMER_MS } from './timers.js';

/**
 * - `trigger`: starts a run; repeating it may start a second one.
 * - `read`: no side effect (get, list, schema, health).
 * - `idempotent`: has an effect, but repeating it changes nothing more (TrueFoundry terminate).
 */
export type SideEffect = 'trigger' | 'read' | 'idempotent';

export interface OperationInfo {
  provider: string;
  /** The SDK operation name, used in error messages, e.g. `triggerJob`. */
  operation: string;
  sideEffect: SideEffect;
  /** Timeout used when neither the client nor the call sets `timeoutMs`. */
  defaultTimeoutMs?: number;
}

/** How one attempt ended, as far as the retry decision is concerned. */
export type AttemptOutcome =
  | { kind: 'response'; status: number }
  /** `beforeSend`: the connection failed before a byte of the request went out (refused, DNS). */
  | { kind: 'connection'; beforeSend: boolean }
  | { kind: 'timeout' };

export const RETRY_DEFAULTS = {
  maxRetries: 2,
  timeoutMs: 60_000,
  retryDelayMs: 500,
  maxRetryDelayMs: 8_000,
  maxRetryAfterMs: 60_000,
} as const satisfies Required<RetrySettings>;

/** The retry policy, in one place. */
export function shouldRetry(sideEffect: SideEffect, outcome: AttemptOutcome): boolean {
  if (sideEffect === 'trigger') {
    // A 429 is refused before any work; a connection that never opened carried no request. Anything
    // else (5xx, timeout, reset) may have started a run that we cannot detect or deduplicate.
    return outcome.kind === 'response'
      ? outcome.status === 429
      : outcome.kind === 'connection' && outcome.beforeSend;
  }
  if (outcome.kind !== 'response') return true;
  const { status } = outcome;
  return status === 408 || status === 409 || status === 429 || status >= 500;
}

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

/**
 * `retry-after-ms` (milliseconds), else `Retry-After` (seconds or an HTTP date), as milliseconds.
 * `undefined` when absent or unparseable.
 */
export function parseRetryAfterMs(headers: Headers, now: number = Date.now()): number | undefined {
  const ms = headers.get('retry-after-ms');
  if (ms !== null && ms.trim() !== '') {
    const value = Number(ms);
    if (Number.isFinite(value) && value >= 0) return value;
  }
  const header = headers.get('retry-after');
  if (header === null) return undefined;
  if (/^\s*\d+(\.\d+)?\s*$/.test(header)) return Number(header) * 1000;
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** Exponential backoff with up to 25 % jitter (so that many clients do not retry in lockstep). */
export function backoffDelayMs(
  attempt: number,
  settings: Pick<RetrySettings, 'retryDelayMs' | 'maxRetryDelayMs'>,
) {
  const base = settings.retryDelayMs ?? RETRY_DEFAULTS.retryDelayMs;
  const max = settings.maxRetryDelayMs ?? RETRY_DEFAULTS.maxRetryDelayMs;
  return Math.min(base * 2 ** attempt, max) * (1 - Math.random() * 0.25);
}

/** The credentials this request carries, so that nothing the server echoes can leak them. */
function secretsOf(headers: Headers): string[] {
  const secrets: string[] = [];
  const authorization = headers.get('authorization');
  if (authorization) {
    secrets.push(authorization);
    const token = authorization.slice(authorization.indexOf(' ') + 1);
    if (token.length >= 4) secrets.push(token);
  }
  const apiKey = headers.get('x-api-key');
  if (apiKey && apiKey.length >= 4) secrets.push(apiKey);
  return secrets;
}

function redact(text: string, secrets: readonly string[]): string {
  let result = text;
  for (const secret of secrets) result = result.split(secret).join('[redacted]');
  return result;
}

function containsSecret(text: string, secrets: readonly string[]): boolean {
  for (const secret of secrets) if (text.includes(secret)) return true;
  return false;
}

/**
 * `value` (parsed JSON) with every string and key that holds a secret redacted. Copies only the
 * containers on the way to a redacted string, and returns `value` itself when nothing matched,
 * which is every call against an honest server.
 */
function redactSecrets<T>(value: T, secrets: readonly string[]): T {
  if (secrets.length === 0) return value;
  if (typeof value === 'string')
    return (containsSecret(value, secrets) ? redact(value, secrets) : value) as T;
  if (typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) {
    let copy: unknown[] | undefined;
    for (let i = 0; i < value.length; i++) {
      const item = redactSecrets(value[i], secrets);
      if (item !== value[i]) {
        copy ??= value.slice();
        copy[i] = item;
      }
    }
    return (copy ?? value) as T;
  }
  let copy: Record<string, unknown> | undefined;
  const entries = value as Record<string, unknown>;
  for (const key in entries) {
    const item = redactSecrets(entries[key], secrets);
    const safeKey = containsSecret(key, secrets) ? redact(key, secrets) : key;
    if (item !== entries[key] || safeKey !== key) {
      copy ??= { ...entries };
      if (safeKey !== key) delete copy[key];
      copy[safeKey] = item;
    }
  }
  return (copy ?? value) as T;
}

const REQUEST_ID_HEADERS = ['x-request-id', 'request-id', 'x-amzn-requestid', 'x-correlation-id'];

function apiErrorFrom(
  response: Response,
  bytes: ArrayBuffer,
  op: OperationInfo,
  secrets: readonly string[],
  retryAfterMs: number | undefined,
): ApiError {
  const headers: Record<string, string> = {};
  response.headers.forEach((value, name) => {
    headers[name] = redact(value, secrets);
  });
  const text = redact(new TextDecoder().decode(bytes), secrets);
  let body: unknown = text === '' ? undefined : text;
  try {
    // Redacted again once parsed: JSON may spell the key with escapes (`\/`, `\u0041`) that the
    // text does not match.
    body = redactSecrets(JSON.parse(text), secrets);
  } catch {
    // Not JSON: keep the text.
  }
  const requestId = REQUEST_ID_HEADERS.map((name) => headers[name]).find(Boolean);
  return createApiError({
    provider: op.provider,
    operation: op.operation,
    status: response.status,
    body,
    headers,
    requestId,
    retryAfterMs,
  });
}

export interface SendOptions extends CallOptions {
  /** The fetch to send with; defaults to `globalThis.fetch`, looked up per request. */
  fetch?: typeof globalThis.fetch;
}

const NULL_BODY_STATUSES = new Set([101, 204, 205, 304]);

const DURATION_OPTIONS = ['timeoutMs', 'retryDelayMs', 'maxRetryDelayMs', 'maxRetryAfterMs'] as const;

function timeoutError(op: OperationInfo, timeoutMs: number): TimeoutError {
  return new TimeoutError(`${op.provider} ${op.operation} timed out after ${timeoutMs} ms.`, {
    provider: op.provider,
    operation: op.operation,
    timeoutMs,
  });
}

/**
 * Keeps a successful attempt's timeout and abort wiring alive while its body is read by whoever
 * received the response, and says what went wrong if that read was cut short.
 */
export class ResponseScope {
  #release: (() => void) | undefined;
  #failure: (() => Error | undefined) | undefined;
  #secrets: readonly string[] = [];

  /** Called by sendWithRetry when it hands out a response unread. */
  hold(release: () => void, failure: () => Error | undefined, secrets: readonly string[]): void {
    this.#release = release;
    this.#failure = failure;
    this.#secrets = secrets;
  }

  /** The credentials the answered request carried, for redacting what the response echoes. */
  secrets(): readonly string[] {
    return this.#secrets;
  }

  /** The TimeoutError or AbortError that cut the body read short, if one did. */
  failure(): Error | undefined {
    return this.#failure?.();
  }

  release(): void {
    this.#release?.();
    this.#release = undefined;
  }
}

/**
 * Sends `request`, retrying as `shouldRetry` allows; rejects with ApiError (a subclass per status),
 * ConnectionError, TimeoutError or AbortError. Without a `scope` a successful response comes back
 * with its body already read, so the timeout covers the body too. With a `scope` it comes back
 * unread (no copy) and the timeout keeps running until the scope is released.
 */
export async function sendWithRetry(
  request: Request,
  op: OperationInfo,
  options: SendOptions = {},
  scope?: ResponseScope,
) {
  checkDurations(options, DURATION_OPTIONS);
  const maxRetries = Math.max(0, options.maxRetries ?? RETRY_DEFAULTS.maxRetries);
  const timeoutMs = options.timeoutMs ?? op.defaultTimeoutMs ?? RETRY_DEFAULTS.timeoutMs;
  const maxRetryAfterMs = options.maxRetryAfterMs ?? RETRY_DEFAULTS.maxRetryAfterMs;
  const { signal } = options;
  const send = options.fetch ?? globalThis.fetch;
  const secrets = secretsOf(request.headers);
  // The body is read once and resent as bytes: cheaper than cloning the request (a stream tee) for
  // every attempt, and each attempt then builds one Request inside fetch instead of two.
  const body = request.body === null ? null : await request.arrayBuffer();
  const init: RequestInit = {
    method: request.method,
    headers: request.headers,
    body,
    redirect: request.redirect,
  };

  for (let attempt = 0; ; attempt++) {
    if (signal?.aborted) throw new AbortError(undefined, { cause: signal.reason });
    const canRetry = attempt < maxRetries;

    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(
      () => {
        timedOut = true;
        controller.abort();
      },
      Math.min(timeoutMs, MAX_TIMER_MS),
    );
    const onAbort = () => controller.abort(signal?.reason);
    signal?.addEventListener('abort', onAbort, { once: true });

    let outcome: AttemptOutcome;
    let failure: Error;
    let retryAfterMs: number | undefined;
    let held = false;
    try {
      const response = await send(request.url, { ...init, signal: controller.signal });
      if (response.ok && scope) {
        held = true;
        scope.hold(
          () => {
            clearTimeout(timer);
            signal?.removeEventListener('abort', onAbort);
          },
          () => {
            if (signal?.aborted) return new AbortError(undefined, { cause: signal.reason });
            if (timedOut) return timeoutError(op, timeoutMs);
            return undefined;
          },
          secrets,
        );
        return response;
      }
      const bytes = NULL_BODY_STATUSES.has(response.status) ? null : await response.arrayBuffer();
      if (response.ok) {
        return new Response(bytes, {
          status: response.status,
          statusText: response.statusText,
          headers: response.headers,
        });
      }
      retryAfterMs = parseRetryAfterMs(response.headers);
      outcome = { kind: 'response', status: response.status };
      failure = apiErrorFrom(response, bytes ?? new ArrayBuffer(0), op, secrets, retryAfterMs);
    } catch (error) {
      if (signal?.aborted) throw new AbortError(undefined, { cause: signal.reason });
      if (timedOut) {
        outcome = { kind: 'timeout' };
        failure = timeoutError(op, timeoutMs);
      } else {
        const code = connectionErrorCode(error);
        outcome = { kind: 'connection', beforeSend: code !== undefined && BEFORE_SEND_CODES.has(code) };
        failure = new ConnectionError(
          `${op.provider} ${op.operation} could not reach ${new URL(request.url).origin}${code ? ` (${code})` : ''}.`,
          { provider: op.provider, operation: op.operation, code, cause: error },
        );
      }
    } finally {
      if (!held) {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
      }
    }

    const waitTooLong = retryAfterMs !== undefined && retryAfterMs > maxRetryAfterMs;
    if (!canRetry || waitTooLong || !shouldRetry(op.sideEffect, outcome)) throw failure;
    await delay(retryAfterMs ?? backoffDelayMs(attempt, options), signal);
  }
}

/** The retry, timeout and fetch options out of a settings object (and nothing else, e.g. no key). */
export function sendOptionsFrom(settings: SendOptions): SendOptions {
  const { fetch, maxRetries, timeoutMs, retryDelayMs, maxRetryDelayMs, maxRetryAfterMs } = settings;
  return mergeSendOptions({}, {
    maxRetries,
    timeoutMs,
    retryDelayMs,
    maxRetryDelayMs,
    maxRetryAfterMs,
    fetch,
  } as CallOptions);
}

/** `base` overlaid with the options a call sets (an `undefined` option keeps the base value). */
export function mergeSendOptions(base: SendOptions, call: CallOptions | undefined): SendOptions {
  if (call === undefined) return base;
  const merged: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(call)) if (value !== undefined) merged[key] = value;
  return merged as SendOptions;
}

function notJson(op: OperationInfo): ResponseValidationError {
  return new ResponseValidationError(
    `${op.provider} ${op.operation} answered with a body that is not valid JSON; check that the base URL points at the ${op.provider} API, not a web page or proxy.`,
    {
      provider: op.provider,
      operation: op.operation,
      issues: [{ path: 'response', rule: 'type', message: 'must be valid JSON' }],
    },
  );
}

/**
 * Runs one generated SDK call (`run` receives the `fetch` to pass it) with every request going
 * through `sendWithRetry`, the client's options overlaid by the call's. The successful response is
 * handed to the SDK unread, so the timeout and the caller's signal also cover the SDK reading the
 * body; they are released when the call settles, and a timeout or abort during that read rejects
 * with TimeoutError or AbortError like one during the request. (Handing the response over unread
 * saves re-wrapping its bytes in a new Response, the largest cost the facade added per call; a
 * timeout during the body read is not retried, since the SDK call has already been answered.)
 */
export async function callOperation<T>(
  op: OperationInfo,
  base: SendOptions,
  call: CallOptions | undefined,
  run: (fetch: typeof globalThis.fetch) => Promise<T>,
): Promise<T> {
  const options = mergeSendOptions(base, call);
  const scope = new ResponseScope();
  try {
    const result = await run((input, init) =>
      sendWithRetry(
        input instanceof Request && init === undefined ? input : new Request(input, init),
        op,
        options,
        scope,
      ),
    );
    // A server that echoes the key in a successful body must not put it into JobRun.raw or
    // outputs: error bodies are redacted in sendWithRetry, success bodies here once parsed.
    if (typeof result !== 'object' || result === null) return result;
    const { data } = result as { data?: unknown };
    const safe = redactSecrets(data, scope.secrets());
    return safe === data ? result : { ...result, data: safe };
  } catch (error) {
    const cutShort = scope.failure();
    if (cutShort) throw cutShort;
    // The SDK's JSON.parse of a 2xx body: its message quotes the body, which may echo anything.
    if (error instanceof SyntaxError) throw notJson(op);
    throw error;
  } finally {
    scope.release();
  }
}
