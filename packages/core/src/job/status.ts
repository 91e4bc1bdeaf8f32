// The neutral run status. Each provider package owns the table that maps its own status words to
// it; this module only knows what the neutral statuses mean.

export type JobStatus = 'queued' | 'running' | 'succeeded' | 'failed' | 'canceled' | 'timed_out' | 'unknown';

/** A provider's status words (lower-case keys) → JobStatus. */
export type StatusTable = Readonly<Record<string, JobStatus>>;

export const JOB_STATUSES: readonly JobStatus[] = [
  'queued',
  'running',
  'succeeded',
  'failed',
  'canceled',
  'timed_out',
  'unknown',
];

const TERMINAL: ReadonlySet<JobStatus> = new Set(['succeeded', 'failed', 'canceled', 'timed_out']);

/**
 * Maps a provider's status word with its table; a word not in the table is `unknown`. Lookups are
 * case-insensitive (some providers document their words only loosely).
 */
export function mapStatus(table: StatusTable, providerStatus: string | null | undefined): JobStatus {
  if (typeof providerStatus !== 'string') return 'unknown';
  const key = providerStatus.toLowerCase();
  // Own keys only: a status word such as "constructor" must not find Object.prototype's.
  return Object.hasOwn(table, key) ? table[key] : 'unknown';
}

export function isJobStatus(value: unknown): value is JobStatus {
  return typeof value === 'string' && (JOB_STATUSES as readonly string[]).includes(value);
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
