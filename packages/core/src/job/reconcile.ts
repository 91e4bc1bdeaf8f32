// "Never starts a job twice, and never loses one": a trigger whose outcome is unknown is never
// retried. Where the provider can list runs, its recent runs are searched for the one the
// trigger started. A run is returned only when it carries proof that this trigger started it
// (something only this call sent); a run that merely matches on time, job or command may be
// another caller's, so it is only ever a candidate of the TriggerUnconfirmedError, which says
// what was searched and lists the candidates.
import { AbortError, TimeoutError, TriggerUnconfirmedError } from '../errors/index.js';
import type { LevelLogger } from '../transport/logger.js';
import { isUnknownTriggerOutcome } from '../transport/retry-policy.js';
import { delay } from '../transport/timers.js';
import type { CallOptions, JobRefBase, JobRun } from './provider.js';

/** When the trigger was sent and when its outcome became unknown (epoch ms). */
export interface TriggerWindow {
  sentAt: number;
  endedAt: number;
}

/**
 * What a search found, by how strongly each run is tied to this trigger. A run the search can prove
 * is this trigger's matched on something only this call sent and no other call can send: a random
 * marker anyjob put in the request, an idempotency key or client request id, a run id the provider
 * returned. Every other match (creation time, job, deployment, command, a name the caller chose) is
 * a candidate: another caller's run of the same job matches just as well, so however few candidates
 * there are, none is ever returned as the trigger's run.
 */
export interface RunMatches<Ref extends JobRefBase> {
  /** Runs carrying something only this trigger sent: one of them may be returned. */
  proven: JobRun<Ref>[];
  /** Runs that only may be this trigger's: reported on the error, never returned. */
  candidates: JobRun<Ref>[];
}

/** How a provider finds the run of a trigger whose outcome is unknown, in its run list. */
export interface RunSearch<Ref extends JobRefBase> {
  /** What is searched, in words, for the error: "runs of application app1 created 16:33:30–16:33:45Z". */
  describe(window: TriggerWindow): string;
  /** Runs the trigger may have started, each as proven or as a candidate (see RunMatches). */
  find(window: TriggerWindow, options: CallOptions): Promise<RunMatches<Ref>>;
}

export interface ConfirmedTrigger<Ref extends JobRefBase> {
  provider: string;
  operation: string;
  /** The fields that identify the run (ids, name, alias); stored on the error. */
  request: Record<string, unknown>;
  /** How a person finds the run, for the error. */
  hint: string;
  /** Sends the trigger once. */
  send(): Promise<JobRun<Ref>>;
  /** How to find the run after an unknown outcome; absent where the provider has no run list. */
  search?: RunSearch<Ref>;
  /** Where the provider has no run list: what the error says instead of what was searched. */
  unsearchable?: string;
  signal?: AbortSignal;
  logger?: LevelLogger;
  /** After a timeout, pauses between searches while the run does not show up yet. Default 1 s, then 3 s. */
  searchDelaysMs?: readonly number[];
}

/** After a timeout, pauses between searches while the run does not show up yet. */
export const SEARCH_DELAYS_MS: readonly number[] = [1_000, 3_000];
/** Each search is a few reads; it gets its own bounded budget, not the caller's (possibly spent) one. */
const SEARCH_OPTIONS: CallOptions = { timeoutMs: 15_000, maxRetries: 2 };
/**
 * After the caller aborted, one quick search still runs, bounded by this much time: stopping the
 * wait for an answer must not lose the run the trigger may have started.
 */
const ABORTED_SEARCH_MS = 5_000;

/**
 * Sends the trigger; after an unknown outcome, finds the run it can prove is this trigger's, or
 * throws TriggerUnconfirmedError with the runs that only may be (its candidates).
 */
export async function confirmTrigger<Ref extends JobRefBase>(
  trigger: ConfirmedTrigger<Ref>,
): Promise<JobRun<Ref>> {
  // Aborted before anything was sent: nothing can have started.
  if (trigger.signal?.aborted) throw new AbortError(undefined, { cause: trigger.signal.reason });
  const sentAt = Date.now();
  try {
    return await trigger.send();
  } catch (cause) {
    if (!isUnknownTriggerOutcome(cause)) throw cause;
    const window: TriggerWindow = { sentAt, endedAt: Date.now() };
    const unconfirmed = unconfirmedTrigger<Ref>(trigger, window, cause);
    const { search } = trigger;
    if (!search) {
      throw unconfirmed({ outcome: 'unsupported', searched: trigger.unsearchable ?? 'nothing' });
    }
    const searched = search.describe(window);
    if (AbortError.isInstance(cause) || trigger.signal?.aborted) {
      // The caller stopped waiting: one bounded search, and the run (even a proven one) is reported
      // as a candidate rather than returned, since the caller asked to stop.
      let found: RunMatches<Ref>;
      try {
        found = await search.find(
          { ...window, endedAt: Date.now() },
          {
            ...SEARCH_OPTIONS,
            timeoutMs: ABORTED_SEARCH_MS,
            maxRetries: 0,
            signal: AbortSignal.timeout(ABORTED_SEARCH_MS),
          },
        );
      } catch (error) {
        throw unconfirmed({ outcome: 'failed', searched, reconcileError: error });
      }
      if (found.proven.length > 0) {
        const outcome = found.proven.length === 1 ? 'found' : 'ambiguous';
        throw unconfirmed({ outcome, searched }, found.proven);
      }
      const outcome = found.candidates.length > 0 ? 'unproven' : 'not-found';
      throw unconfirmed({ outcome, searched }, found.candidates);
    }
    trigger.logger?.log(
      'info',
      `${trigger.provider}.${trigger.operation}: outcome unknown; searching ${searched}`,
    );
    // Only after a timeout can the provider still be creating the run: then look again shortly.
    // After a reset, a 5xx or a bad body it has already answered, so one search says it all.
    const delays = TimeoutError.isInstance(cause) ? (trigger.searchDelaysMs ?? SEARCH_DELAYS_MS) : [];
    return searchForProof({ ...trigger, search, window, searched, delays, unconfirmed });
  }
}

/** Builds the TriggerUnconfirmedError of one trigger whose outcome is unknown (or names no run). */
export function unconfirmedTrigger<Ref extends JobRefBase>(
  trigger: Pick<ConfirmedTrigger<Ref>, 'provider' | 'operation' | 'request' | 'hint'>,
  window: TriggerWindow,
  cause: unknown,
): (
  reconciliation: TriggerUnconfirmedError['reconciliation'],
  candidates?: JobRun<Ref>[],
) => TriggerUnconfirmedError<JobRun<Ref>> {
  return (reconciliation, candidates) =>
    new TriggerUnconfirmedError<JobRun<Ref>>({
      provider: trigger.provider,
      operation: trigger.operation,
      request: trigger.request,
      window: {
        sentAt: new Date(window.sentAt).toISOString(),
        endedAt: new Date(window.endedAt).toISOString(),
      },
      reconciliation,
      candidates,
      hint: trigger.hint,
      cause,
    });
}

/** One search for a trigger's run: what to search, how often, and how to report what was not proven. */
export interface ProofSearch<Ref extends JobRefBase> {
  provider: string;
  operation: string;
  search: RunSearch<Ref>;
  window: TriggerWindow;
  /** `search.describe(window)`, for the error. */
  searched: string;
  /** Pauses between rounds while no proof shows up; empty: one round. */
  delays: readonly number[];
  unconfirmed: ReturnType<typeof unconfirmedTrigger<Ref>>;
  signal?: AbortSignal;
  logger?: LevelLogger;
}

/**
 * Searches in rounds for the one run carrying this trigger's proof and returns it. Several proven
 * runs are `ambiguous`; when the rounds end with only candidates the error is `unproven` (a
 * candidate may be another caller's run), with none `not-found`; a failed search keeps the last
 * round's candidates. Every end but a proven run is a TriggerUnconfirmedError.
 */
export async function searchForProof<Ref extends JobRefBase>(search: ProofSearch<Ref>): Promise<JobRun<Ref>> {
  const { searched, unconfirmed } = search;
  const label = `${search.provider}.${search.operation}`;
  // Candidates of the last round: reported if no proof shows up before the rounds end.
  let candidates: JobRun<Ref>[] = [];
  try {
    for (let round = 0; ; round++) {
      const found = await search.search.find({ ...search.window, endedAt: Date.now() }, SEARCH_OPTIONS);
      if (found.proven.length === 1) {
        search.logger?.log('info', `${label}: found run ${found.proven[0].id} after the unknown outcome`);
        return found.proven[0];
      }
      if (found.proven.length > 1) throw unconfirmed({ outcome: 'ambiguous', searched }, found.proven);
      candidates = found.candidates;
      // A slow provider may create the run after the request timed out: look again shortly, for
      // proof, even while candidates show up (another caller's run is a candidate as well).
      if (round >= search.delays.length) break;
      await delay(search.delays[round], search.signal);
    }
  } catch (error) {
    if (TriggerUnconfirmedError.isInstance(error)) throw error;
    throw unconfirmed({ outcome: 'failed', searched, reconcileError: error }, candidates);
  }
  if (candidates.length > 0) {
    search.logger?.log('info', `${label}: ${candidates.length} run(s) match, none provably this trigger's`);
    throw unconfirmed({ outcome: 'unproven', searched }, candidates);
  }
  throw unconfirmed({ outcome: 'not-found', searched });
}

/** What a search for a trigger sent by another process needs: confirmTrigger's trigger without its send. */
export type LostTrigger<Ref extends JobRefBase> = Pick<
  ConfirmedTrigger<Ref>,
  'provider' | 'operation' | 'request' | 'hint' | 'search' | 'unsearchable' | 'logger' | 'searchDelaysMs'
>;

/**
 * The run of a trigger sent in `window` whose answer was lost with the process that sent it (a
 * queue worker killed mid-trigger): never sent again, only searched for. Returns the one run
 * carrying its proof; otherwise TriggerUnconfirmedError, `unsupported` where the provider cannot
 * search, else with the candidates the search found.
 */
export function findRecoveredRun<Ref extends JobRefBase>(
  trigger: LostTrigger<Ref>,
  window: TriggerWindow,
  signal?: AbortSignal,
): Promise<JobRun<Ref>> {
  const cause = new Error('the process that sent the trigger ended before recording its answer');
  const unconfirmed = unconfirmedTrigger<Ref>(trigger, window, cause);
  const { search } = trigger;
  if (!search) {
    return Promise.reject(
      unconfirmed({ outcome: 'unsupported', searched: trigger.unsearchable ?? 'nothing' }),
    );
  }
  return searchForProof({
    ...trigger,
    search,
    window,
    searched: search.describe(window),
    delays: trigger.searchDelaysMs ?? SEARCH_DELAYS_MS,
    unconfirmed,
    signal,
  });
}
