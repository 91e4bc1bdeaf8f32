// How waiting for a run, or starting one, can end without the run the caller wanted.
import type { JobRun } from '../job/provider.js';
import { AnyJobError } from './any-job-error.js';

/**
 * The part of a JobRun these errors need to describe it. What they carry is the whole JobRun (the
 * default type argument), `ref` included, so a run that timed out can be stored and resumed.
 */
export interface RunSummary {
  provider: string;
  id: string;
  status: string;
  providerStatus?: string;
  error?: string;
  /** When the provider created the run (ISO 8601), where its answer says. */
  createdAt?: string;
}

function describeRun(run: RunSummary): string {
  const status = run.providerStatus ? `${run.status} (${run.providerStatus})` : run.status;
  return `${run.provider} run ${run.id} is ${status}${run.error ? `: ${run.error}` : ''}`;
}

/** The run ended as `failed` or `timed_out`. `run` is the last state seen. */
export class JobFailedError<Run extends RunSummary = JobRun> extends AnyJobError {
  static override readonly errorName: string = 'JobFailedError';
  readonly run: Run;

  constructor(run: Run) {
    super(describeRun(run));
    this.run = run;
  }
}

/** The run was canceled (e.g. TrueFoundry TERMINATED). `run` is the last state seen. */
export class JobCanceledError<Run extends RunSummary = JobRun> extends AnyJobError {
  static override readonly errorName: string = 'JobCanceledError';
  readonly run: Run;

  constructor(run: Run) {
    super(describeRun(run));
    this.run = run;
  }
}

/** `timeoutMs` passed before the run reached a final status. The run keeps going. */
export class WaitTimeoutError<Run extends RunSummary = JobRun> extends AnyJobError {
  static override readonly errorName: string = 'WaitTimeoutError';
  readonly run: Run;
  readonly timeoutMs: number;

  constructor(run: Run, timeoutMs: number) {
    super(`Gave up waiting after ${timeoutMs} ms; ${describeRun(run)} and keeps going.`);
    this.run = run;
    this.timeoutMs = timeoutMs;
  }
}

/** What anyjob did to find a run whose trigger had an unknown outcome, and what came of it. */
export interface Reconciliation {
  /**
   * A run is *proven* this trigger's when it carries something only this call sent (a random
   * marker anyjob put in the request, an idempotency key); a proven run is returned, not thrown,
   * unless the caller aborted. A run matching only on time, job or command may be another
   * caller's: it is a candidate, never returned.
   *
   * - `found`: after the caller aborted, the proven run was found; it is the only candidate.
   * - `ambiguous`: several runs carry this trigger's proof; they are the error's `candidates`.
   * - `unproven`: runs match only on what other calls share (time, job, command), none carries
   *   proof; they are the `candidates`, and the trigger may have started one of them or none.
   * - `not-found`: the provider's run list was searched and holds no matching run.
   * - `failed`: searching failed (the error is `reconcileError`); `candidates` holds what an
   *   earlier search round matched, if anything.
   * - `unsupported`: the provider offers no way to find the run (no run list).
   */
  outcome: 'found' | 'ambiguous' | 'unproven' | 'not-found' | 'failed' | 'unsupported';
  /** What was searched, in words: which list, which filters, which time window. */
  searched: string;
  /** Why the search failed, for `failed`. */
  reconcileError?: unknown;
}

export interface TriggerUnconfirmedDetails<Run extends RunSummary = RunSummary> {
  provider: string;
  operation: string;
  /** The request fields that identify the run (ids, names, alias), never its inputs in full. */
  request: Readonly<Record<string, unknown>>;
  /** When the trigger was sent and when its outcome became unknown (ISO 8601). */
  window: { readonly sentAt: string; readonly endedAt: string };
  reconciliation: Reconciliation;
  /** Runs that may be the one this trigger started: unproven matches, or a proven run after an abort. */
  candidates?: readonly Run[];
  /** How the caller can find the run by hand. */
  hint: string;
  cause: unknown;
}

/**
 * A trigger whose outcome is unknown: the request may have reached the provider (a timeout or a
 * reset after sending, a 5xx, a success body cut off or unreadable, an abort while in flight), so
 * a run may have started. anyjob never retries such a trigger; where the provider has a run list it
 * searches it first and only throws this when the run cannot be identified. `cause` is what went
 * wrong; `reconciliation` says what was searched; `candidates` lists runs that may be it.
 */
export class TriggerUnconfirmedError<Run extends RunSummary = RunSummary> extends AnyJobError {
  static override readonly errorName: string = 'TriggerUnconfirmedError';
  readonly provider: string;
  readonly operation: string;
  readonly request: Readonly<Record<string, unknown>>;
  readonly window: { readonly sentAt: string; readonly endedAt: string };
  readonly reconciliation: Reconciliation;
  readonly candidates: readonly Run[];
  readonly hint: string;

  constructor(details: TriggerUnconfirmedDetails<Run>) {
    const { reconciliation } = details;
    const cause = (details.cause instanceof Error ? details.cause.message : String(details.cause)).replace(
      /\.$/,
      '',
    );
    const why =
      reconciliation.outcome === 'failed' && reconciliation.reconcileError !== undefined
        ? `: ${(reconciliation.reconcileError instanceof Error ? reconciliation.reconcileError.message : String(reconciliation.reconcileError)).replace(/\.$/, '')}`
        : '';
    const candidate = details.candidates?.[0];
    const found =
      reconciliation.outcome === 'found'
        ? `found ${candidate?.provider} run ${candidate?.id} (see candidates; it is not returned because the call was aborted)`
        : reconciliation.outcome === 'ambiguous'
          ? `${details.candidates?.length ?? 0} runs carry this trigger's mark (see candidates)`
          : reconciliation.outcome === 'unproven'
            ? `${details.candidates?.length ?? 0} run${details.candidates?.length === 1 ? ' matches' : 's match'}, but nothing proves this trigger started ${details.candidates?.length === 1 ? 'it' : 'any of them'} (see candidates; another caller's run of the same job would match as well)`
            : reconciliation.outcome === 'not-found'
              ? 'no matching run was found'
              : reconciliation.outcome === 'failed'
                ? `the search failed${why}`
                : 'the provider offers no way to look the run up';
    super(
      `${details.provider} ${details.operation}: the run may have started, but its outcome is unknown (${cause}). ` +
        `Searched ${reconciliation.searched}: ${found}. ${details.hint}`,
      { cause: details.cause },
    );
    this.provider = details.provider;
    this.operation = details.operation;
    this.request = details.request;
    this.window = details.window;
    this.reconciliation = reconciliation;
    this.candidates = details.candidates ?? [];
    this.hint = details.hint;
  }
}
