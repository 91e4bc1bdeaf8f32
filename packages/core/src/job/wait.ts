// Polling until a run is final, for any provider: the adapter supplies `getJobRun`, this module
// decides when to poll again, what is transient and how the wait ends.
import { AbortError, JobCanceledError, JobFailedError, TimeoutError, WaitTimeoutError } from '../errors/index.js';
import { isTransientError } from '../transport/retry-policy.js';
import { checkDurations, delay, MAX_TIMER_MS } from '../transport/timers.js';
import type { CallOptions, JobRefBase, JobRun, RetrySettings } from './provider.js';
import { isTerminal } from './status.js';

export interface WaitOptions<Run extends JobRun = JobRun>
  extends Pick<RetrySettings, 'maxRetries' | 'retryDelayMs' | 'maxRetryDelayMs'> {
  /** First delay between polls in ms; grows ×1.5 per poll up to `maxPollIntervalMs`. Default 1 000. */
  pollIntervalMs?: number;
  /** Longest delay between polls in ms. Default 30 000. */
  maxPollIntervalMs?: number;
  /** Give up after this many ms with WaitTimeoutError (the run keeps going). Default: no limit. */
  timeoutMs?: number;
  /** Timeout of each poll request in ms. Default: the client's `timeoutMs` (60 000). */
  requestTimeoutMs?: number;
  /** Stops waiting at once with AbortError. The run keeps going. */
  signal?: AbortSignal;
  /** Called with every run read while waiting, including the final one. */
  onUpdate?: (run: Run) => void;
}

export const WAIT_DEFAULTS = { pollIntervalMs: 1_000, maxPollIntervalMs: 30_000 } as const;

function settle<Ref extends JobRefBase>(run: JobRun<Ref>): JobRun<Ref> {
  if (run.status === 'succeeded') return run;
  if (run.status === 'canceled') throw new JobCanceledError(run);
  throw new JobFailedError(run);
}

/**
 * Polls `get` until the run is final. Resolves with a succeeded run; throws JobFailedError (failed
 * or timed_out), JobCanceledError, WaitTimeoutError or AbortError, the first three carrying the last
 * run seen. Transient poll errors are retried until the deadline; other errors end the wait.
 *
 * `timeoutMs` bounds the whole wait, a poll in flight included: at the deadline the poll (and any
 * retry or backoff inside it) is aborted, so a provider that stops answering cannot stretch the
 * wait to its request timeout × its retries.
 */
export async function pollUntilTerminal<Ref extends JobRefBase>(
  start: JobRun<Ref> | Ref,
  get: (ref: JobRun<Ref> | Ref, options: CallOptions) => Promise<JobRun<Ref>>,
  options: WaitOptions<JobRun<Ref>> = {},
): Promise<JobRun<Ref>> {
  checkDurations(options, WAIT_DURATIONS);
  const { signal, onUpdate, timeoutMs } = options;
  let interval = options.pollIntervalMs ?? WAIT_DEFAULTS.pollIntervalMs;
  const maxInterval = options.maxPollIntervalMs ?? WAIT_DEFAULTS.maxPollIntervalMs;

  // A run that is already final needs no request.
  let last: JobRun<Ref> | undefined =
    'ref' in start && 'status' in start ? (start as JobRun<Ref>) : undefined;
  if (last && isTerminal(last.status)) return settle(last);

  const deadline = timeoutMs === undefined ? Number.POSITIVE_INFINITY : Date.now() + timeoutMs;
  const expiry = deadline === Number.POSITIVE_INFINITY ? undefined : new AbortController();
  const expiryTimer =
    expiry && setTimeout(() => expiry.abort(), Math.min(deadline - Date.now(), MAX_TIMER_MS));
  const pollSignal = expiry ? (signal ? AbortSignal.any([signal, expiry.signal]) : expiry.signal) : signal;
  const callOptions: CallOptions = {
    signal: pollSignal,
    maxRetries: options.maxRetries,
    retryDelayMs: options.retryDelayMs,
    maxRetryDelayMs: options.maxRetryDelayMs,
    timeoutMs: options.requestTimeoutMs,
  };
  const expired = () => Date.now() >= deadline || (expiry?.signal.aborted ?? false);

  let lastError: unknown;
  try {
    for (;;) {
      if (signal?.aborted) throw new AbortError(undefined, { cause: signal.reason });
      try {
        last = await get(last ?? start, callOptions);
        onUpdate?.(last);
        if (isTerminal(last.status)) return settle(last);
      } catch (error) {
        if (signal?.aborted) throw error;
        // Cut off by the deadline: that is the timeout, not the error of the aborted poll.
        if (!(AbortError.isInstance(error) && expired())) {
          if (!isTransientError(error)) throw error;
          lastError = error;
        }
      }
      if (expired()) throw timedOut(start, last, lastError, timeoutMs ?? 0);
      await delay(Math.min(interval, deadline - Date.now()), signal);
      interval = Math.min(interval * 1.5, maxInterval);
    }
  } finally {
    clearTimeout(expiryTimer);
  }
}

const WAIT_DURATIONS = ['pollIntervalMs', 'maxPollIntervalMs', 'timeoutMs', 'requestTimeoutMs'] as const;

function timedOut<Ref extends JobRefBase>(
  start: JobRun<Ref> | Ref,
  last: JobRun<Ref> | undefined,
  lastError: unknown,
  timeoutMs: number,
): unknown {
  if (last) return new WaitTimeoutError(last, timeoutMs);
  // The run was never read: a transient error says more than a timeout would.
  if (lastError !== undefined) return lastError;
  return new TimeoutError(
    `Gave up waiting after ${timeoutMs} ms, before ${start.provider} returned the run.`,
    { provider: start.provider, operation: 'waitForJob', timeoutMs },
  );
}
