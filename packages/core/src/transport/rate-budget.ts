// Where a provider's request budget and its 429 pause live. The default keeps them in this process
// (a token bucket per key, as anyjob always did); another implementation can keep them where
// several processes see them (`createRedisRateBudget` in @anyjob/bullmq), so workers sharing one
// provider account share one budget instead of each spending a share of it.
import { delay } from './timers.js';

/** What `RateBudget.take` is asked for. */
export interface RateBudgetTakeOptions {
  /**
   * The budget: requests per minute under this key, or `undefined` for none (then `take` only
   * waits out a pause). Every caller of one key is expected to pass the same number.
   */
  requestsPerMinute: number | undefined;
  /** Stops waiting: `take` rejects with AbortError. */
  signal?: AbortSignal;
}

/**
 * A request budget and a shared pause per key, where the key names one provider API and account
 * (anyjob passes `rateBudgetKey(provider, origin)`: never a credential). Implementations keep
 * the token-bucket semantics of the default, so a budget means the same wherever it is kept: a
 * burst of a tenth of `requestsPerMinute` (at least 1), refilled at the other nine tenths per
 * minute, so that no 60-second window ever holds more than `requestsPerMinute` requests.
 *
 * Pauses are given as a duration, not a wall-clock time, so that processes whose clocks disagree
 * still pause for the same span (a shared implementation measures it on its own clock).
 */
export interface RateBudget {
  /** Resolves when one request under `key` may go out: after any pause, with a token taken from the budget. */
  take(key: string, options: RateBudgetTakeOptions): Promise<void>;
  /** Pauses every request under `key` for `ms` from now (a 429 and its Retry-After); a longer pause in force stays. */
  pause(key: string, ms: number): Promise<void>;
  /** When the pause of `key` ends, in this process's `Date.now()` terms; 0 when there is none. */
  pausedUntil(key: string): Promise<number>;
}

/** The key anyjob takes a provider API's budget and pause under: the provider's name and the API's origin. */
export function rateBudgetKey(provider: string, origin: string): string {
  return `${provider} ${origin}`;
}

/** The token bucket of a budget, the same for every implementation. */
export interface TokenBucketShape {
  /** Tokens the bucket holds when full: the largest burst. */
  capacity: number;
  /** Tokens added per millisecond. */
  refillPerMs: number;
}

/**
 * The bucket for `requestsPerMinute`: a burst of a tenth of the budget, refilled at the other nine
 * tenths per minute, so that the burst plus a minute's refill never exceed the budget.
 */
export function tokenBucketShape(requestsPerMinute: number): TokenBucketShape {
  const capacity = Math.max(1, Math.floor(requestsPerMinute / 10));
  return { capacity, refillPerMs: Math.max(requestsPerMinute - capacity, 1) / 60_000 };
}

class Bucket {
  readonly requestsPerMinute: number;
  readonly #shape: TokenBucketShape;
  #tokens: number;
  #updated: number;

  constructor(requestsPerMinute: number, now: number) {
    this.requestsPerMinute = requestsPerMinute;
    this.#shape = tokenBucketShape(requestsPerMinute);
    this.#tokens = this.#shape.capacity;
    this.#updated = now;
  }

  /** 0 when a token was taken, else how long until one is there. */
  take(now: number): number {
    const { capacity, refillPerMs } = this.#shape;
    this.#tokens = Math.min(capacity, this.#tokens + (now - this.#updated) * refillPerMs);
    this.#updated = now;
    if (this.#tokens >= 1) {
      this.#tokens -= 1;
      return 0;
    }
    return Math.ceil((1 - this.#tokens) / refillPerMs);
  }
}

interface Pace {
  bucket: Bucket | undefined;
  pausedUntil: number;
}

/**
 * A RateBudget kept in this process's memory: the default, shared by every wait in the process.
 * A change of `requestsPerMinute` for a key starts its bucket afresh (full).
 */
export function createLocalRateBudget(): RateBudget {
  const paces = new Map<string, Pace>();
  const paceOf = (key: string): Pace => {
    let pace = paces.get(key);
    if (!pace) {
      pace = { bucket: undefined, pausedUntil: 0 };
      paces.set(key, pace);
    }
    return pace;
  };
  return {
    async take(key, { requestsPerMinute, signal }) {
      const pace = paceOf(key);
      if (requestsPerMinute === undefined) pace.bucket = undefined;
      else if (pace.bucket?.requestsPerMinute !== requestsPerMinute)
        pace.bucket = new Bucket(requestsPerMinute, Date.now());
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
    },
    async pause(key, ms) {
      const pace = paceOf(key);
      pace.pausedUntil = Math.max(pace.pausedUntil, Date.now() + ms);
    },
    async pausedUntil(key) {
      const until = paces.get(key)?.pausedUntil ?? 0;
      return until > Date.now() ? until : 0;
    },
  };
}
