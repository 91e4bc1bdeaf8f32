// The contract between the `anyjob` facade and a provider adapter (createRunchat, createTrueFoundry,
// createKognitos). Adapters translate one provider's API into these shapes; nothing else does.
import type { JobStatus, ProviderName } from './status.js';

/** Retry and timeout settings; accepted per client (adapter settings) and per call. */
export interface RetrySettings {
  /** Retries after the first attempt, for failures the operation may safely retry. Default 2; 0 disables. */
  maxRetries?: number;
  /** Per-request timeout in ms, including reading the body. Default 60 000 (Runchat runs: 300 000). */
  timeoutMs?: number;
  /** First backoff delay in ms; doubles per retry, with up to 25 % jitter. Default 500. */
  retryDelayMs?: number;
  /** Upper bound of the computed backoff in ms. Default 8 000. */
  maxRetryDelayMs?: number;
  /**
   * Longest server-requested wait (`retry-after-ms` / `Retry-After`) anyjob honours, in ms. A
   * longer request ends the retries and the error carries `retryAfterMs`. Default 60 000.
   */
  maxRetryAfterMs?: number;
}

/** Options of one call: triggerJob, getJobRun, cancelJob. */
export interface CallOptions extends RetrySettings {
  /** Cancels the call at once, including a pending retry wait; it rejects with AbortError. */
  signal?: AbortSignal;
}

/** What every stored reference has; each adapter adds what it needs to poll or cancel later. */
export interface JobRefBase {
  provider: ProviderName;
}

/** One run of a job on some provider, in a provider-neutral shape. */
export interface JobRun<Ref extends JobRefBase = JobRefBase> {
  provider: Ref['provider'];
  /** The provider's id for the run (TrueFoundry: the run name; Kognitos: the run id). */
  id: string;
  status: JobStatus;
  /** The provider's own status word, when it has one (`RUNNING`, `Succeeded`, `error`). */
  providerStatus?: string;
  /** Outputs as a record (Kognitos outputs by name; Runchat flow outputs by parameter id). */
  output?: Record<string, unknown>;
  /** The provider's error message for a failed run. */
  error?: string;
  /** Plain JSON with everything needed to poll or cancel the run later, in another process. */
  ref: Ref;
  /** The provider's response body this run was read from. */
  raw: unknown;
}

/** Implemented by each provider adapter; the `anyjob` functions dispatch to it by `provider`. */
export interface JobProvider<Request extends { provider: ProviderName }, Ref extends JobRefBase> {
  readonly provider: Ref['provider'];
  /** Starts a run. Validates the request before any network call (InvalidRequestError). */
  triggerJob(request: Request, options?: CallOptions): Promise<JobRun<Ref>>;
  /** Reads the run's current state. */
  getJobRun(run: JobRun<Ref> | Ref, options?: CallOptions): Promise<JobRun<Ref>>;
  /** Asks the provider to stop the run; UnsupportedOperationError where the API cannot. */
  cancelJob(run: JobRun<Ref> | Ref, options?: CallOptions): Promise<JobRun<Ref>>;
}

/** Accepts either a JobRun or its bare ref. */
export function refOf<Ref extends JobRefBase>(run: JobRun<Ref> | Ref): Ref {
  return 'ref' in run && typeof run.ref === 'object' && run.ref !== null ? run.ref : (run as Ref);
}
