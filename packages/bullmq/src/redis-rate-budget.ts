// A RateBudget kept in Redis: every process pointed at the same Redis (and prefix) shares each
// provider API's token bucket and 429 pause, so workers on one provider account spend one budget
// between them however many there are and whichever of them is busy.
//
// The bucket is one Lua script, run atomically by Redis: read the bucket, refill it for the time
// gone by, take a token or say how long until one is there. Time is Redis's own (`TIME`), so
// workers whose clocks disagree still agree on the bucket. The pause is a key with a TTL (set in
// milliseconds, measured by Redis), so it too is independent of the workers' clocks.
//
// When Redis cannot be reached the budget fails closed: `take` waits for Redis to come back (the
// client reconnects on its own) for at most `unreachableTimeoutMs`, then rejects with
// RateBudgetUnavailableError, and no request is sent meanwhile. Falling back to a budget per
// process would multiply the account's rate by the number of workers exactly when nobody can
// see it happen; a wait engine treats the error as transient and reads the run again later.
import { createHash } from 'node:crypto';
import {
  AbortError,
  ConfigError,
  type RateBudget,
  RateBudgetUnavailableError,
  tokenBucketShape,
} from '@anyjob/core';
import { delay } from '@anyjob/core/internal';
import { Redis, type RedisOptions } from 'ioredis';

/** Where the shared budget lives: a Redis to connect to, or a client of yours to use. */
export type RedisRateBudgetOptions = (
  | {
      /** Connection options (or a `redis://` URL) for a client the budget creates and `close()` ends. */
      connection: RedisOptions | string;
      redis?: undefined;
    }
  | {
      /** An ioredis client to use; it stays yours: `close()` leaves it open. */
      redis: Redis;
      connection?: undefined;
    }
) & {
  /**
   * Prefix of the budget's keys. Default `anyjob:budget:`. Processes share a budget when they
   * use the same Redis and prefix; give each provider account its own prefix
   * (`anyjob:budget:acme-prod:`) when workers on one API origin use different accounts' keys.
   */
  prefix?: string;
  /**
   * How long `take` waits for an unreachable Redis before rejecting with
   * RateBudgetUnavailableError. Default 10,000 ms.
   */
  unreachableTimeoutMs?: number;
};

/** A RateBudget in Redis, and the means to end its connection. */
export interface RedisRateBudget extends RateBudget {
  /** Ends the connection the budget opened (not a client passed as `redis`). */
  close(): Promise<void>;
}

const DEFAULT_PREFIX = 'anyjob:budget:';
const DEFAULT_UNREACHABLE_TIMEOUT_MS = 10_000;
/** Between two tries of a command that failed for want of a connection. */
const RETRY_MS = 100;
/** The most a wait for a token is lengthened by, at random, so processes do not ask in lockstep. */
const MAX_JITTER_MS = 100;

/** A random lengthening of a `wait` ms sleep: up to a fifth of it, at most MAX_JITTER_MS. */
const jitter = (wait: number): number => Math.random() * Math.min(wait / 5, MAX_JITTER_MS);

/**
 * KEYS: the bucket (a hash of tokens and the time they were counted), the pause (a key with a TTL).
 * ARGV: the bucket's capacity (0: no budget, only the pause counts) and refill per millisecond.
 * Returns 0 when a token was taken, else the milliseconds to wait before asking again.
 */
const TAKE_SCRIPT = `
local paused = redis.call('PTTL', KEYS[2])
if paused > 0 then return paused end
local capacity = tonumber(ARGV[1])
if capacity == 0 then return 0 end
local refill = tonumber(ARGV[2])
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local state = redis.call('HMGET', KEYS[1], 'tokens', 'updated')
local tokens = tonumber(state[1])
local updated = tonumber(state[2])
if tokens == nil or updated == nil then
  tokens = capacity
  updated = now
end
tokens = math.min(capacity, tokens + math.max(0, now - updated) * refill)
local wait = 0
if tokens >= 1 then
  tokens = tokens - 1
else
  wait = math.ceil((1 - tokens) / refill)
end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'updated', tostring(now))
redis.call('PEXPIRE', KEYS[1], math.ceil(capacity / refill) + 1000)
return wait
`;

/** KEYS: the pause. ARGV: its length in ms. A longer pause in force stays. */
const PAUSE_SCRIPT = `
local ms = tonumber(ARGV[1])
if redis.call('PTTL', KEYS[1]) < ms then redis.call('SET', KEYS[1], '1', 'PX', ms) end
return 0
`;

interface Script {
  source: string;
  sha: string;
}

const script = (source: string): Script => ({
  source,
  sha: createHash('sha1').update(source).digest('hex'),
});
const TAKE = script(TAKE_SCRIPT);
const PAUSE = script(PAUSE_SCRIPT);
const PAUSE_LEFT = script(`return redis.call('PTTL', KEYS[1])`);

/** The server answered with an error (a bug, not an outage): not worth waiting for. */
function isReplyError(error: unknown): boolean {
  return error instanceof Error && error.name === 'ReplyError';
}

/**
 * A RateBudget kept in Redis, shared by every process using the same Redis and `prefix`: pass it
 * as `rateBudget` to `waitForJobs` / `watchJobs`. Fails closed when Redis is unreachable (see
 * `unreachableTimeoutMs`).
 */
export function createRedisRateBudget(options: RedisRateBudgetOptions): RedisRateBudget {
  checkOptions(options);
  const prefix = options.prefix ?? DEFAULT_PREFIX;
  const unreachableTimeoutMs = options.unreachableTimeoutMs ?? DEFAULT_UNREACHABLE_TIMEOUT_MS;
  const owned = options.redis === undefined;
  const redis =
    options.redis ??
    (typeof options.connection === 'string'
      ? new Redis(options.connection, { maxRetriesPerRequest: null })
      : new Redis({ maxRetriesPerRequest: null, ...options.connection }));
  // ioredis logs an unhandled 'error' event; the outage is reported through `take` instead.
  if (owned) redis.on('error', () => {});

  // One promise per outage that every waiting `take` races against its own deadline, so a
  // thousand waits add one listener to the client, not a thousand.
  let ready: Promise<void> | undefined;
  const whenReady = (): Promise<void> => {
    if (redis.status === 'ready') return Promise.resolve();
    ready ??= new Promise<void>((resolve) => {
      redis.once('ready', () => {
        ready = undefined;
        resolve();
      });
    });
    return ready;
  };

  const evalScript = async (entry: Script, keys: string[], args: (string | number)[]): Promise<number> => {
    try {
      return (await redis.evalsha(entry.sha, keys.length, ...keys, ...args)) as number;
    } catch (error) {
      // A restarted or flushed Redis has forgotten the script: send it whole once.
      if (!(error instanceof Error && error.message.startsWith('NOSCRIPT'))) throw error;
      return (await redis.eval(entry.source, keys.length, ...keys, ...args)) as number;
    }
  };

  /** Runs a script, waiting out an outage of at most `unreachableTimeoutMs`. */
  const run = async (
    key: string,
    entry: Script,
    keys: string[],
    args: (string | number)[],
    signal: AbortSignal | undefined,
  ): Promise<number> => {
    const started = Date.now();
    let lastError: unknown;
    for (;;) {
      if (signal?.aborted) throw new AbortError(undefined, { cause: signal.reason });
      const left = started + unreachableTimeoutMs - Date.now();
      if (left <= 0) {
        throw new RateBudgetUnavailableError(
          `The shared request budget in Redis could not be reached for ${unreachableTimeoutMs} ms, so no request was sent (${key}).`,
          { key, waitedMs: Date.now() - started, cause: lastError },
        );
      }
      const attempt = (async () => {
        await whenReady();
        return evalScript(entry, keys, args);
      })();
      try {
        const outcome = await race(attempt, left, signal);
        if (outcome !== undefined) return outcome;
      } catch (error) {
        if (AbortError.isInstance(error) || isReplyError(error)) throw error;
        lastError = error;
        await delay(Math.min(RETRY_MS, left), signal);
      }
    }
  };

  const keysOf = (key: string) => {
    // One hash tag, so that both keys of a budget live on one node of a Redis Cluster.
    const base = `${prefix}{${key}}`;
    return { bucket: `${base}:bucket`, pause: `${base}:pause` };
  };

  /** Asks Redis for a token until one is taken, sleeping out each wait it names (plus jitter). */
  const takeToken = async (key: string, args: (string | number)[], signal: AbortSignal | undefined) => {
    const keys = keysOf(key);
    for (;;) {
      const wait = await run(key, TAKE, [keys.bucket, keys.pause], args, signal);
      if (wait <= 0) return;
      await delay(wait + jitter(wait), signal);
    }
  };

  // The waiters of one key in this process ask Redis one at a time, in the order they came: a
  // thousand waiting requests cost one script call per wait, not a thousand, and each process
  // has one contender per token, so with the jitter the tokens go round the processes instead of
  // always to the one whose clock or network makes it ask first.
  const lines = new Map<string, Promise<void>>();
  const inLine = async (key: string, signal: AbortSignal | undefined, turn: () => Promise<void>) => {
    const ahead = lines.get(key) ?? Promise.resolve();
    let leave!: () => void;
    const left = new Promise<void>((resolve) => {
      leave = resolve;
    });
    const tail = ahead.then(() => left);
    lines.set(key, tail);
    try {
      await race(ahead, undefined, signal);
      await turn();
    } finally {
      leave();
      if (lines.get(key) === tail) lines.delete(key);
    }
  };

  return {
    async take(key, { requestsPerMinute, signal }) {
      if (requestsPerMinute === undefined) {
        // No budget: only a pause holds the request back, and every waiter may ask at once.
        return takeToken(key, [0, 0], signal);
      }
      const { capacity, refillPerMs } = tokenBucketShape(requestsPerMinute);
      return inLine(key, signal, () => takeToken(key, [capacity, refillPerMs], signal));
    },
    async pause(key, ms) {
      await run(key, PAUSE, [keysOf(key).pause], [Math.max(1, Math.ceil(ms))], undefined);
    },
    async pausedUntil(key) {
      const now = Date.now();
      const left = await run(key, PAUSE_LEFT, [keysOf(key).pause], [], undefined);
      return left > 0 ? now + left : 0;
    },
    async close() {
      if (owned) await redis.quit().catch(() => redis.disconnect());
    },
  };
}

/** ConfigError naming the option and the fix, before any connection is made. */
function checkOptions(options: RedisRateBudgetOptions): void {
  const given = (typeof options === 'object' && options !== null ? options : {}) as Record<string, unknown>;
  const hasConnection = given.connection !== undefined;
  const hasRedis = given.redis !== undefined;
  if (hasConnection === hasRedis) {
    throw new ConfigError(
      hasConnection
        ? 'Pass either `connection` or `redis` to createRedisRateBudget, not both.'
        : 'createRedisRateBudget needs `connection` (ioredis options or a redis:// URL) or `redis` (an ioredis client).',
      { setting: 'connection' },
    );
  }
  if (given.prefix !== undefined && (typeof given.prefix !== 'string' || given.prefix === '')) {
    throw new ConfigError('`prefix` must be a non-empty string, e.g. `anyjob:budget:acme-prod:`.', {
      setting: 'prefix',
    });
  }
  const timeout = given.unreachableTimeoutMs;
  if (timeout !== undefined && !(typeof timeout === 'number' && timeout >= 0)) {
    throw new ConfigError('`unreachableTimeoutMs` must be a number of milliseconds ≥ 0 (e.g. 10000).', {
      setting: 'unreachableTimeoutMs',
    });
  }
}

/**
 * `promise`'s value, or undefined after `ms` (never, when `ms` is undefined); rejects with
 * AbortError when `signal` aborts (or has).
 */
function race<T>(
  promise: Promise<T>,
  ms: number | undefined,
  signal: AbortSignal | undefined,
): Promise<T | undefined> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(new AbortError(undefined, { cause: signal.reason }));
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      reject(new AbortError(undefined, { cause: signal?.reason }));
    };
    const timer =
      ms === undefined
        ? undefined
        : setTimeout(() => {
            signal?.removeEventListener('abort', onAbort);
            resolve(undefined);
          }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}
