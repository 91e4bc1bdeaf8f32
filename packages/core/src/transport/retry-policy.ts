// The retry policy, in one place: which failures are worth another attempt, how long to wait, and
// which trigger failures leave the outcome unknown. Used by send.ts for each request and by the
// wait engine for polls.
//
// Retries are decided by the operation's side effect, not its HTTP method (a provider may start a
// job on GET). A trigger is retried only when the provider certainly did not start a run, unless
// it sends an idempotency key the provider deduplicates on: then the pipeline declares it
// `idempotent` (job/idempotency.ts) and every retry sends the same key.
import {
  AbortError,
  ApiError,
  ConnectionError,
  RateBudgetUnavailableError,
  RateLimitError,
  ResponseTooLargeError,
  ResponseValidationError,
  TimeoutError,
} from '../errors/index.js';
import type { RetrySettings } from '../job/provider.js';

/**
 * - `trigger`: starts a run; repeating it may start a second one.
 * - `read`: no side effect (get, list, schema, health).
 * - `idempotent`: has an effect, but repeating it changes nothing more (e.g. terminate a run).
 */
export type SideEffect = 'trigger' | 'read' | 'idempotent';

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
  maxResponseBytes: 10 * 1024 * 1024,
} as const satisfies Required<RetrySettings>;

const RETRYABLE_STATUSES = new Set([408, 409, 429]);

function isRetryableStatus(status: number): boolean {
  return RETRYABLE_STATUSES.has(status) || status >= 500;
}

/** Whether an attempt that ended with `outcome` may be repeated. */
export function shouldRetry(sideEffect: SideEffect, outcome: AttemptOutcome): boolean {
  if (sideEffect === 'trigger') {
    // A 429 is refused before any work; a connection that never opened carried no request. Anything
    // else (5xx, timeout, reset) may have started a run that we cannot detect or deduplicate.
    return outcome.kind === 'response'
      ? outcome.status === 429
      : outcome.kind === 'connection' && outcome.beforeSend;
  }
  return outcome.kind !== 'response' || isRetryableStatus(outcome.status);
}

/**
 * A failed read worth trying again later (the wait engine polls again after it): the provider was
 * unreachable, slow, overloaded or throttling (or the shared request budget could not be reached).
 * The same statuses `shouldRetry` retries.
 */
export function isTransientError(error: unknown): boolean {
  if (ConnectionError.isInstance(error) || TimeoutError.isInstance(error)) return true;
  if (RateBudgetUnavailableError.isInstance(error)) return true;
  return ApiError.isInstance(error) && (isRetryableStatus(error.status) || RateLimitError.isInstance(error));
}

/**
 * A trigger that failed this way may have started a run: the request may have reached the
 * provider and been acted on (a timeout or a reset after sending, a 5xx, a success answer whose
 * body was cut off, unreadable or too large, an abort while the request was in flight).
 */
export function isUnknownTriggerOutcome(error: unknown): boolean {
  if (TimeoutError.isInstance(error) || AbortError.isInstance(error)) return true;
  if (ConnectionError.isInstance(error)) return !error.beforeSend;
  if (ResponseValidationError.isInstance(error)) return true;
  if (ResponseTooLargeError.isInstance(error)) return error.status < 400 || error.status >= 500;
  return ApiError.isInstance(error) && error.status >= 500;
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

/**
 * How long a rate-limit answer asks to wait, in ms: `retry-after-ms` / `Retry-After`, else, once
 * the quota is spent (`x-ratelimit-remaining: 0`), until `x-ratelimit-reset` (epoch seconds).
 * `undefined` when the headers say neither.
 */
export function rateLimitWaitMs(headers: Headers, now: number = Date.now()): number | undefined {
  const asked = parseRetryAfterMs(headers, now);
  if (asked !== undefined || headers.get('x-ratelimit-remaining')?.trim() !== '0') return asked;
  const reset = Number(headers.get('x-ratelimit-reset') ?? Number.NaN);
  return Number.isFinite(reset) && reset > 0 ? Math.max(0, reset * 1000 - now) : undefined;
}

/** Exponential backoff with up to 25 % jitter (so that many clients do not retry in lockstep). */
export function backoffDelayMs(
  attempt: number,
  settings: Pick<RetrySettings, 'retryDelayMs' | 'maxRetryDelayMs'>,
): number {
  const base = settings.retryDelayMs ?? RETRY_DEFAULTS.retryDelayMs;
  const max = settings.maxRetryDelayMs ?? RETRY_DEFAULTS.maxRetryDelayMs;
  return Math.min(base * 2 ** attempt, max) * (1 - Math.random() * 0.25);
}
