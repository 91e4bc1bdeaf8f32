// "Never starts a job twice, and never loses one": a trigger whose outcome is unknown is never
// retried. Where the provider can list runs, its recent runs are searched for the one the
// trigger started; only when that run cannot be identified does the caller get a
// TriggerUnconfirmedError, which says what was searched and lists any candidates.
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

export interface RunSearch<Ref extends JobRefBase> {
  /** What is searched, in words, for the error: "runs of application app1 created 16:33:30–16:33:45Z". */
  describe(window: TriggerWindow): string;
  /** Runs the trigger may have started. */
  find(window: TriggerWindow, options: CallOptions): Promise<JobRun<Ref>[]>;
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

const SEARCH_DELAYS_MS = [1_000, 3_000];
/** Each search is a few reads; it gets its own bounded budget, not the caller's (possibly spent) one. */
const SEARCH_OPTIONS: CallOptions = { timeoutMs: 15_000, maxRetries: 2 };
/**
 * After the caller aborted, one quick search still runs, bounded by this much time: stopping the
 * wait for an answer must not lose the run the trigger may have started.
 */
const ABORTED_SEARCH_MS = 5_000;

/** Sends the trigger; after an unknown outcome, finds the run or throws TriggerUnconfirmedError. */
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
    const unconfirmed = (
      reconciliation: TriggerUnconfirmedError['reconciliation'],
      candidates?: JobRun<Ref>[],
    ) =>
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
    const { search } = trigger;
    if (!search) {
      throw unconfirmed({ outcome: 'unsupported', searched: trigger.unsearchable ?? 'nothing' });
    }
    const searched = search.describe(window);
    if (AbortError.isInstance(cause) || trigger.signal?.aborted) {
      // The caller stopped waiting: one bounded search, and the run (if found) is reported as a
      // candidate rather than returned, since the caller asked to stop.
      let found: JobRun<Ref>[];
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
      const outcome = found.length === 0 ? 'not-found' : found.length === 1 ? 'found' : 'ambiguous';
      throw unconfirmed({ outcome, searched }, found);
    }
    trigger.logger?.log(
      'info',
      `${trigger.provider}.${trigger.operation}: outcome unknown; searching ${searched}`,
    );
    // Only after a timeout can the provider still be creating the run: then look again shortly.
    // After a reset, a 5xx or a bad body it has already answered, so one search says it all.
    const delays = TimeoutError.isInstance(cause) ? (trigger.searchDelaysMs ?? SEARCH_DELAYS_MS) : [];
    try {
      for (let round = 0; ; round++) {
        const found = await search.find({ ...window, endedAt: Date.now() }, SEARCH_OPTIONS);
        if (found.length === 1) {
          trigger.logger?.log(
            'info',
            `${trigger.provider}.${trigger.operation}: found run ${found[0].id} after the unknown outcome`,
          );
          return found[0];
        }
        if (found.length > 1) throw unconfirmed({ outcome: 'ambiguous', searched }, found);
        // A slow provider may create the run after the request timed out: look again shortly.
        if (round >= delays.length) break;
        await delay(delays[round], trigger.signal);
      }
    } catch (error) {
      if (TriggerUnconfirmedError.isInstance(error)) throw error;
      throw unconfirmed({ outcome: 'failed', searched, reconcileError: error });
    }
    throw unconfirmed({ outcome: 'not-found', searched });
  }
}
