// The one place that says what each provider's run statuses mean. Adapters and waitForJob only ever
// see the normalised JobStatus; the provider's own word is kept in `JobRun.providerStatus`.

export type JobStatus = 'queued' | 'running' | 'succeeded' | 'failed' | 'canceled' | 'timed_out' | 'unknown';

export type ProviderName = 'runchat' | 'truefoundry' | 'kognitos';

/**
 * Provider status → JobStatus. Keys are lower-case; lookups are case-insensitive because Kognitos
 * documents its statuses only loosely (`Succeeded` in examples, `SUCCEEDED` is not ruled out).
 */
export const STATUS_TABLE: Readonly<Record<ProviderName, Readonly<Record<string, JobStatus>>>> = {
  truefoundry: {
    created: 'queued',
    scheduled: 'queued',
    running: 'running',
    finished: 'succeeded',
    failed: 'failed',
    // Termination is asynchronous: the container may still be running (and may still finish) until
    // the status reaches TERMINATED, so these stay non-final and waitForJob keeps polling.
    termination_requested: 'running',
    terminating: 'running',
    terminated: 'canceled',
    unknown: 'unknown',
  },
  kognitos: {
    created: 'queued',
    pending: 'queued',
    running: 'running',
    succeeded: 'succeeded',
    failed: 'failed',
    cancelled: 'canceled',
    canceled: 'canceled',
    timedout: 'timed_out',
    timed_out: 'timed_out',
  },
  // Runchat answers synchronously; an agent job reports `status: success | error`, a flow reports
  // nothing (a 200 means it ran).
  runchat: {
    success: 'succeeded',
    error: 'failed',
  },
};

const TERMINAL: ReadonlySet<JobStatus> = new Set(['succeeded', 'failed', 'canceled', 'timed_out']);

/** Maps a provider's status word; anything not in the table is `unknown`. */
export function mapStatus(provider: ProviderName, providerStatus: string | null | undefined): JobStatus {
  if (typeof providerStatus !== 'string') return 'unknown';
  const table = STATUS_TABLE[provider];
  const key = providerStatus.toLowerCase();
  // Own keys only: a status word such as "constructor" must not find Object.prototype's.
  return Object.hasOwn(table, key) ? table[key] : 'unknown';
}

/** The run will not change any more: succeeded, failed, canceled or timed_out. */
export function isTerminal(status: JobStatus): boolean {
  return TERMINAL.has(status);
}

export function isSucceeded(status: JobStatus): boolean {
  return status === 'succeeded';
}

/** Final and not a success: failed, canceled or timed_out. */
export function isUnsuccessful(status: JobStatus): boolean {
  return status !== 'succeeded' && TERMINAL.has(status);
}
