import { describe, expect, it } from 'vitest';
import {
  AbortError,
  ApiError,
  ConnectionError,
  ResponseTooLargeError,
  ResponseValidationError,
  TimeoutError,
} from '../errors/index.js';
import {
  backoffDelayMs,
  isTransientError,
  isUnknownTriggerOutcome,
  parseRetryAfterMs,
  shouldRetry,
} from './retry-policy.js';

const op = { provider: 'p', operation: 'o' };
const api = (status: number) => ApiError.generate({ ...op, status });

describe('shouldRetry', () => {
  it('repeats a trigger only when the provider certainly did not start a run', () => {
    expect(shouldRetry('trigger', { kind: 'response', status: 429 })).toBe(true);
    expect(shouldRetry('trigger', { kind: 'connection', beforeSend: true })).toBe(true);
    for (const status of [500, 502, 503, 408, 409]) {
      expect(shouldRetry('trigger', { kind: 'response', status })).toBe(false);
    }
    expect(shouldRetry('trigger', { kind: 'connection', beforeSend: false })).toBe(false);
    expect(shouldRetry('trigger', { kind: 'timeout' })).toBe(false);
  });

  it('repeats reads and idempotent operations after transient failures only', () => {
    for (const sideEffect of ['read', 'idempotent'] as const) {
      for (const status of [408, 409, 429, 500, 503]) {
        expect(shouldRetry(sideEffect, { kind: 'response', status })).toBe(true);
      }
      for (const status of [400, 401, 403, 404, 422]) {
        expect(shouldRetry(sideEffect, { kind: 'response', status })).toBe(false);
      }
      expect(shouldRetry(sideEffect, { kind: 'timeout' })).toBe(true);
      expect(shouldRetry(sideEffect, { kind: 'connection', beforeSend: false })).toBe(true);
    }
  });
});

describe('isTransientError: the same statuses for waits', () => {
  it('classifies by status and kind', () => {
    expect(isTransientError(api(503))).toBe(true);
    expect(isTransientError(api(429))).toBe(true);
    expect(isTransientError(api(404))).toBe(false);
    expect(isTransientError(new TimeoutError('t', { ...op, timeoutMs: 1 }))).toBe(true);
    expect(isTransientError(new ConnectionError('c', op))).toBe(true);
    expect(isTransientError(new Error('x'))).toBe(false);
  });
});

describe('isUnknownTriggerOutcome', () => {
  it('is true exactly when the request may have been acted on', () => {
    expect(isUnknownTriggerOutcome(api(500))).toBe(true);
    expect(isUnknownTriggerOutcome(api(429))).toBe(false);
    expect(isUnknownTriggerOutcome(api(400))).toBe(false);
    expect(isUnknownTriggerOutcome(new ConnectionError('c', { ...op, beforeSend: true }))).toBe(false);
    expect(isUnknownTriggerOutcome(new ConnectionError('c', { ...op, beforeSend: false }))).toBe(true);
    expect(isUnknownTriggerOutcome(new TimeoutError('t', { ...op, timeoutMs: 1 }))).toBe(true);
    expect(isUnknownTriggerOutcome(new AbortError())).toBe(true);
    expect(isUnknownTriggerOutcome(new ResponseValidationError('v', { ...op, issues: [] }))).toBe(true);
    const tooLarge = (status: number) =>
      new ResponseTooLargeError('l', { ...op, status, limitBytes: 1, bytesRead: 2 });
    expect(isUnknownTriggerOutcome(tooLarge(200))).toBe(true);
    expect(isUnknownTriggerOutcome(tooLarge(404))).toBe(false);
  });
});

describe('parseRetryAfterMs', () => {
  it('reads retry-after-ms, seconds and HTTP dates, and ignores garbage', () => {
    expect(parseRetryAfterMs(new Headers({ 'retry-after-ms': '250' }))).toBe(250);
    expect(parseRetryAfterMs(new Headers({ 'retry-after': '2' }))).toBe(2000);
    expect(parseRetryAfterMs(new Headers({ 'retry-after': '1.5' }))).toBe(1500);
    const now = Date.parse('2026-01-01T00:00:00Z');
    expect(parseRetryAfterMs(new Headers({ 'retry-after': 'Thu, 01 Jan 2026 00:00:10 GMT' }), now)).toBe(
      10_000,
    );
    expect(parseRetryAfterMs(new Headers({ 'retry-after': 'soon' }))).toBeUndefined();
    expect(parseRetryAfterMs(new Headers())).toBeUndefined();
  });
});

describe('backoffDelayMs', () => {
  it('doubles from retryDelayMs, is capped, and jitters down by at most 25 %', () => {
    for (let attempt = 0; attempt < 8; attempt++) {
      const full = Math.min(100 * 2 ** attempt, 1_000);
      const delay = backoffDelayMs(attempt, { retryDelayMs: 100, maxRetryDelayMs: 1_000 });
      expect(delay).toBeLessThanOrEqual(full);
      expect(delay).toBeGreaterThanOrEqual(full * 0.75);
    }
  });
});
