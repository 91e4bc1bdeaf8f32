// What a run's BullMQ job holds: the request, and — written with `updateData` as the worker goes —
// where it stands. The record is what makes the work survive the worker: a trigger is marked as
// being sent (with its proof) before it goes out, and the run's ref and last status are kept once
// it is known, so whichever worker picks the job up next searches instead of sending again, and
// waits on from the last status instead of starting over.
import type { JobRefBase, JobRun, JobStatus, PreparedTrigger } from '@anyjob/core';

/** Where a run's job stands. */
export type RunStep =
  /** The trigger is going out (or went out): its outcome is known only once `waiting`. */
  | 'sending'
  /** The run exists: `ref` and `status` say which and how far. */
  | 'waiting'
  /** The job ended with `outcome` (a failed job keeps it here; a completed one returns it). */
  | 'done';

/** The data of a run's job. */
export interface RunJobData {
  batchId: string;
  /** The request's position in its batch. */
  index: number;
  /** How many requests the batch has. */
  batchSize: number;
  /** The trigger request, in the facade's words (`{ provider: 'kognitos', … }`). */
  request: { provider: string; [field: string]: unknown };
  /** Absent until the worker first takes the job. */
  step?: RunStep;
  /** The request as sent, with its proof: written before the trigger goes out. */
  prepared?: PreparedTrigger;
  /** When the trigger was about to go out (epoch ms): the start of its search window. */
  sentAt?: number;
  /** Names one `sending` mark: only the worker that wrote it may take it back (it never sent). */
  sendId?: string;
  ref?: JobRefBase;
  status?: JobStatus;
  providerStatus?: string;
  outcome?: RunOutcome;
}

/** An error as plain JSON. */
export interface ErrorRecord {
  name: string;
  message: string;
}

/** A trigger nobody can say started a run (TriggerUnconfirmedError), as plain JSON. */
export interface UnconfirmedRecord extends ErrorRecord {
  name: 'TriggerUnconfirmedError';
  /** What was searched and how it ended (`unproven`, `not-found`, `unsupported`, …). */
  reconciliation: { outcome: string; searched: string };
  /** Runs that may be this trigger's; none of them is proven to be. */
  candidates: JobRun[];
  window: { sentAt: string; endedAt: string };
  hint: string;
}

/**
 * How a run's job ended. `succeeded`: the job completed with it. Every other outcome fails the job
 * (BullMQ's retries do not apply: the outcome is final), with the outcome in its data.
 */
export type RunOutcome =
  | { outcome: 'succeeded' | 'failed' | 'canceled' | 'timed_out'; run: JobRun }
  /** The trigger's answer was lost and its run could not be proven: never sent again. */
  | { outcome: 'unconfirmed'; error: UnconfirmedRecord }
  /** Anything else: a request the provider refused, a run that could not be read. */
  | { outcome: 'error'; error: ErrorRecord; run?: JobRun };

/** The BullMQ job name of a run. */
export const RUN_JOB_NAME = 'anyjob-run';
/** The queue createRunWorker reads by default. */
export const DEFAULT_QUEUE_NAME = 'anyjob-runs';

/** The job id of a batch's request: enqueueing the same batch again adds nothing twice. */
export function runJobId(batchId: string, index: number): string {
  return `${batchId}#${index}`;
}
