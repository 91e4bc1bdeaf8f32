// The options of waiting for runs. The engine that waits is fleet.ts: one run or thousands.
import type { JobRun, RetrySettings } from './provider.js';

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
