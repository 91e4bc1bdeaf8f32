// One builder of a JobRun from a provider's wire run, so each provider says only where its run's
// parts are: the status by its contract (readRunStatus), the id, the ref, and what else it knows.
import { type ApiAnswer, withAnswer } from './operation.js';
import type { JobRefBase, JobRun } from './provider.js';
import { readRunStatus, type StatusSpec } from './run-status.js';

/** What a provider knows of a wire run besides its status. */
export interface RunParts<Ref extends JobRefBase> {
  id: string;
  ref: Ref;
  /** The provider's body the run was read from. Default: the wire run. */
  raw?: unknown;
  /** When the provider created the run, in epoch ms; undefined where unknown. */
  createdAtMs?: number;
  output?: Record<string, unknown>;
  /** The run's page for a person (the provider's web UI), where the run names one. */
  url?: string;
  /** The provider's error message; an empty one is left out. */
  error?: string | null;
}

/**
 * The JobRun of `run`: its status read by `status` (the descriptor's contract), with the request id
 * and Response of `answer` where the run came from one.
 */
export function toJobRun<Ref extends JobRefBase>(
  status: StatusSpec,
  run: unknown,
  parts: RunParts<Ref>,
  answer?: ApiAnswer<unknown>,
): JobRun<Ref> {
  const read = readRunStatus(status, run);
  const jobRun: JobRun<Ref> = {
    provider: parts.ref.provider,
    id: parts.id,
    status: read.status,
    providerStatus: read.providerStatus,
    ref: parts.ref,
    raw: 'raw' in parts ? parts.raw : run,
  };
  if (read.providerStatus === undefined) delete jobRun.providerStatus;
  if (parts.error) jobRun.error = parts.error;
  if (parts.createdAtMs !== undefined && Number.isFinite(parts.createdAtMs)) {
    jobRun.createdAt = new Date(parts.createdAtMs).toISOString();
  }
  if (parts.output !== undefined) jobRun.output = parts.output;
  if (parts.url) jobRun.url = parts.url;
  return answer ? withAnswer(jobRun, answer) : jobRun;
}

/** `[{ name, value }, …]` as a record; fromEntries defines each name as data (`__proto__` stays an output). */
export function outputsByName(
  list: readonly { name: string; value?: unknown }[] | null | undefined,
): Record<string, unknown> | undefined {
  return Array.isArray(list) ? Object.fromEntries(list.map(({ name, value }) => [name, value])) : undefined;
}
