// Politeness towards each provider, shared by everything in the process that waits on runs: a
// request budget per provider (a token bucket) and a shared pause when the provider answers 429.
// One place for it, so a thousand waits on one provider slow down together instead of each
// retrying on its own.
//
// Budgets are set per provider name; each API origin of a provider (two TrueFoundry tenants are
// two APIs) gets its own bucket at that rate and its own pause.
import { delay } from './timers.js';

/**
 * A token bucket sized so that no 60-second window ever holds more than `requestsPerMinute`
 * requests: a burst of a tenth of the budget, refilled at the other nine tenths per minute.
 */
class Bucket {
  readonly requestsPerMinute: number;
  readonly #capacity: number;
  readonly #refillPerMs: number;
  #tokens: number;
  #updated: number;

  constructor(requestsPerMinute: number, now: number) {
    this.requestsPerMinute = requestsPerMinute;
    this.#capacity = Math.max(1, Math.floor(requestsPerMinute / 10));
    this.#refillPerMs = Math.max(requestsPerMinute - this.#capacity, 1) / 60_000;
    this.#tokens = this.#capacity;
    this.#updated = now;
  }

  /** 0 when a token was taken, else how long until one is there. */
  take(now: number): number {
    this.#tokens = Math.min(this.#capacity, this.#tokens + (now - this.#updated) * this.#refillPerMs);
    this.#updated = now;
    if (this.#tokens >= 1) {
      this.#tokens -= 1;
      return 0;
    }
    return Math.ceil((1 - this.#tokens) / this.#refillPerMs);
  }
}

class Pace {
  bucket: Bucket | undefined;
  pausedUntil = 0;
}

/** Longest shared pause a 429 can impose (a Retry-After of hours is not taken at its word). */
const MAX_PAUSE_MS = 5 * 60_000;
const budgets = new Map<string, number>();
const paces = new Map<string, Pace>();

function paceOf(provider: string, origin: string): Pace {
  const key = `${provider} ${origin}`;
  let pace = paces.get(key);
  if (!pace) {
    pace = new Pace();
    paces.set(key, pace);
  }
  const budget = budgets.get(provider);
  if (budget === undefined) pace.bucket = undefined;
  else if (pace.bucket?.requestsPerMinute !== budget) pace.bucket = new Bucket(budget, Date.now());
  return pace;
}

/**
 * Sets the request budget of `provider`'s waits for the whole process (the latest setting wins);
 * `undefined` or Infinity removes it.
 */
export function setRequestBudget(provider: string, requestsPerMinute: number | undefined): void {
  if (requestsPerMinute === undefined || !Number.isFinite(requestsPerMinute)) budgets.delete(provider);
  else budgets.set(provider, Math.max(1, requestsPerMinute));
}

/** The budget in force for `provider`, if any. */
export function requestBudget(provider: string): number | undefined {
  return budgets.get(provider);
}

/** Pauses every wait's requests to `provider` at `origin` for `ms` (a 429, with its Retry-After). */
export function pauseProvider(provider: string, origin: string, ms: number): void {
  const pace = paceOf(provider, origin);
  pace.pausedUntil = Math.max(pace.pausedUntil, Date.now() + Math.min(ms, MAX_PAUSE_MS));
}

/** Resolves when a wait's request to `provider` at `origin` may go out: after any pause, within the budget. */
export async function acquireRequest(provider: string, origin: string, signal?: AbortSignal): Promise<void> {
  const pace = paceOf(provider, origin);
  for (;;) {
    const now = Date.now();
    if (pace.pausedUntil > now) {
      await delay(pace.pausedUntil - now, signal);
      continue;
    }
    const wait = pace.bucket?.take(now) ?? 0;
    if (wait === 0) return;
    await delay(wait, signal);
  }
}
