// Waiting for many runs at once, with a fraction of the requests: the one wait engine (a single
// waitForJob is its one-run case).
//
// Every run keeps its own polling schedule (first after `pollIntervalMs`, growing ×1.5 up to
// `maxPollIntervalMs`), but one timer serves the whole fleet, and the runs due at a tick are read
// together: runs of the same job (the provider's `refs.group`) through one list request per page,
// the others one get each. Per group the engine picks whichever costs fewer requests, and learns
// the list's real cost (pages read plus runs it missed) as it goes. Requests go through the
// process-wide pace of their provider (pacing.ts: a request budget and a shared pause on 429),
// with at most `concurrency` in flight per provider. A run known to be final is never read again.
import {
  AbortError,
  JobCanceledError,
  JobFailedError,
  TimeoutError,
  WaitTimeoutError,
} from '../errors/index.js';
import { acquireRequest, requestBudget, setRequestBudget } from '../transport/pacing.js';
import { isTransientError } from '../transport/retry-policy.js';
import { checkDurations, delay, MAX_TIMER_MS } from '../transport/timers.js';
import type { CallOptions, JobProvider, JobRefBase, JobRun } from './provider.js';
import { isJobStatus, isTerminal, type JobStatus } from './status.js';
import { WAIT_DEFAULTS, type WaitOptions } from './wait.js';

export interface FleetOptions<Run extends JobRun = JobRun> extends WaitOptions<Run> {
  /**
   * Requests per minute the waits on each provider may send (by provider name), shared by every
   * wait in the process. Default: the provider's documented limit, else none.
   */
  requestsPerMinute?: Readonly<Record<string, number>>;
  /** Most requests in flight per provider at once. Default 8. */
  concurrency?: number;
  /** Read runs of the same job through the provider's list operation (default true). */
  batch?: boolean;
}

/** One change of one run: each status change once, then the final state. */
export interface WatchUpdate<Run extends JobRun = JobRun> {
  /** The run's position in the input. */
  index: number;
  /** The latest state; absent only when the run could never be read. */
  run: Run | undefined;
  /** The status before this change (undefined before the first read). */
  previousStatus: JobStatus | undefined;
  /** The run will not be read again: it is final, or waiting for it ended with `error`. */
  final: boolean;
  /** For a final update that is not a success: the error waitForJob would throw for this run. */
  error?: unknown;
}

/** The outcome of waiting for one run: `{ run }` when it succeeded, `{ error }` otherwise. */
export type FleetResult<Run extends JobRun = JobRun> =
  | { run: Run; error?: undefined }
  | { run?: undefined; error: unknown };

/**
 * A watcher's state as plain JSON: the refs and their last statuses. Pass `state.runs` to
 * waitForJobs / watchJobs (here or in another process) to continue where it stopped.
 */
export interface FleetState {
  version: 1;
  runs: { ref: JobRefBase; status?: JobStatus; providerStatus?: string }[];
}

/** A run to wait for: a JobRun, a bare ref, or an entry of a saved FleetState. */
export type FleetInput = JobRun | JobRefBase | FleetState['runs'][number];

interface Group {
  key: string;
  provider: JobProvider;
  query: unknown;
  pageSize: number;
  members: Tracked[];
  /** What one read of the group cost last time: pages plus runs the list missed. */
  cost: number | undefined;
  /** The list failed for good (e.g. 403): read the members one by one. */
  broken: boolean;
}

interface Tracked {
  index: number;
  provider: JobProvider;
  ref: JobRefBase;
  id: string;
  group: Group | undefined;
  last: JobRun | undefined;
  status: JobStatus | undefined;
  interval: number;
  due: number;
  settled: boolean;
  result: FleetResult | undefined;
  lastError: unknown;
}

const DEFAULT_CONCURRENCY = 8;
/** Runs due within this long of a tick are read with it. */
const COALESCE_MS = 100;
/** Extra list pages tolerated for runs of others that sort before ours. */
const EXTRA_PAGES = 2;
const DURATIONS = ['pollIntervalMs', 'maxPollIntervalMs', 'timeoutMs', 'requestTimeoutMs'] as const;

function hasRef(input: FleetInput): input is JobRun | FleetState['runs'][number] {
  return (
    typeof input === 'object' &&
    input !== null &&
    'ref' in input &&
    typeof input.ref === 'object' &&
    input.ref !== null
  );
}

/** A JobRun rebuilt from a saved state entry (no body: it was not read in this process). */
function stateRun(
  ref: JobRefBase,
  status: JobStatus,
  providerStatus: string | undefined,
  provider: JobProvider,
): JobRun {
  const run: JobRun = { provider: ref.provider, id: provider.refs.runId(ref), status, ref, raw: undefined };
  if (providerStatus !== undefined) run.providerStatus = providerStatus;
  return run;
}

function outcomeOf(run: JobRun): FleetResult {
  if (run.status === 'succeeded') return { run };
  return { error: run.status === 'canceled' ? new JobCanceledError(run) : new JobFailedError(run) };
}

/** Runs `tasks` with at most `limit` at once. */
async function limited(tasks: (() => Promise<void>)[], limit: number): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < tasks.length) await tasks[next++]();
  };
  await Promise.all(Array.from({ length: Math.min(limit, tasks.length) }, worker));
}

export class Fleet<Run extends JobRun = JobRun> {
  readonly #tracked: Tracked[];
  readonly #options: FleetOptions<Run>;
  readonly #emit: (update: WatchUpdate<Run>) => void;
  readonly #maxInterval: number;
  #unsettled: number;

  constructor(
    inputs: readonly { provider: JobProvider; input: FleetInput }[],
    options: FleetOptions<Run>,
    emit: (update: WatchUpdate<Run>) => void = () => {},
  ) {
    checkDurations(options, DURATIONS);
    this.#options = options;
    this.#emit = emit;
    this.#maxInterval = options.maxPollIntervalMs ?? WAIT_DEFAULTS.maxPollIntervalMs;
    const interval = options.pollIntervalMs ?? WAIT_DEFAULTS.pollIntervalMs;
    const groups = new Map<string, Group>();
    const now = Date.now();
    this.#tracked = inputs.map(({ provider, input }, index) => {
      const ref = provider.refs.check(hasRef(input) ? input.ref : input, 'waitForJob');
      const known = hasRef(input) && isJobStatus(input.status) ? input.status : undefined;
      // A run, or a saved state entry (ref and status): either way the last state known.
      let last: JobRun | undefined;
      if (hasRef(input) && known !== undefined) {
        last = 'id' in input ? (input as JobRun) : stateRun(ref, known, input.providerStatus, provider);
      }
      const placement = options.batch === false ? undefined : provider.refs.group?.(ref);
      let group: Group | undefined;
      if (placement) {
        const key = `${provider.provider}\u0000${placement.key}`;
        group = groups.get(key);
        if (!group) {
          group = {
            key,
            provider,
            query: placement.query,
            pageSize: provider.refs.pageSize ?? 100,
            members: [],
            cost: undefined,
            broken: false,
          };
          groups.set(key, group);
        }
      }
      const tracked: Tracked = {
        index,
        provider,
        ref,
        id: provider.refs.runId(ref),
        group,
        last,
        status: known,
        interval,
        due: now,
        settled: false,
        result: undefined,
        lastError: undefined,
      };
      group?.members.push(tracked);
      return tracked;
    });
    this.#unsettled = this.#tracked.length;
    for (const provider of new Set(inputs.map((entry) => entry.provider))) {
      const name = provider.provider;
      const configured = options.requestsPerMinute?.[name];
      if (configured !== undefined) setRequestBudget(name, configured);
      else if (requestBudget(name) === undefined)
        setRequestBudget(name, provider.descriptor?.rateLimit?.requestsPerMinute);
    }
  }

  /** The watcher's state as plain JSON, to resume elsewhere. */
  state(): FleetState {
    return {
      version: 1,
      runs: this.#tracked.map((tracked) => {
        const entry: FleetState['runs'][number] = { ref: tracked.last?.ref ?? tracked.ref };
        if (tracked.status !== undefined) entry.status = tracked.status;
        if (tracked.last?.providerStatus !== undefined) entry.providerStatus = tracked.last.providerStatus;
        return entry;
      }),
    };
  }

  /** Waits until every run is settled; rejects with AbortError when the caller's signal fires. */
  async run(): Promise<FleetResult<Run>[]> {
    const { signal, timeoutMs } = this.#options;
    // A run that is already final needs no request.
    for (const tracked of this.#tracked) {
      if (tracked.last && isTerminal(tracked.last.status))
        this.#settle(tracked, outcomeOf(tracked.last), undefined);
    }
    const deadline = timeoutMs === undefined ? Number.POSITIVE_INFINITY : Date.now() + timeoutMs;
    const expiry = new AbortController();
    const expiryTimer =
      deadline === Number.POSITIVE_INFINITY
        ? undefined
        : setTimeout(() => expiry.abort(), Math.min(deadline - Date.now(), MAX_TIMER_MS));
    const stop = signal ? AbortSignal.any([signal, expiry.signal]) : expiry.signal;
    const call: CallOptions = {
      signal: stop,
      maxRetries: this.#options.maxRetries,
      retryDelayMs: this.#options.retryDelayMs,
      maxRetryDelayMs: this.#options.maxRetryDelayMs,
      timeoutMs: this.#options.requestTimeoutMs,
    };
    try {
      while (this.#unsettled > 0) {
        if (signal?.aborted) throw new AbortError(undefined, { cause: signal.reason });
        if (Date.now() >= deadline || expiry.signal.aborted) break;
        const next = this.#nextDue();
        const wait = Math.min(next, deadline) - Date.now();
        if (wait > 0) {
          try {
            await delay(wait, stop);
          } catch (error) {
            if (signal?.aborted) throw new AbortError(undefined, { cause: signal.reason });
            if (!expiry.signal.aborted) throw error;
            break;
          }
        }
        await this.#tick(call, stop, signal);
      }
      if (this.#unsettled > 0) this.#timeOut(timeoutMs ?? 0);
    } finally {
      clearTimeout(expiryTimer);
    }
    return this.#tracked.map((tracked) => tracked.result as FleetResult<Run>);
  }

  #nextDue(): number {
    let next = Number.POSITIVE_INFINITY;
    for (const tracked of this.#tracked) if (!tracked.settled && tracked.due < next) next = tracked.due;
    return next;
  }

  async #tick(call: CallOptions, stop: AbortSignal, signal: AbortSignal | undefined): Promise<void> {
    const horizon = Date.now() + COALESCE_MS;
    const dueByGroup = new Map<Group, Tracked[]>();
    const singles: Tracked[] = [];
    for (const tracked of this.#tracked) {
      if (tracked.settled || tracked.due > horizon) continue;
      if (tracked.group && !tracked.group.broken) {
        const due = dueByGroup.get(tracked.group) ?? [];
        due.push(tracked);
        dueByGroup.set(tracked.group, due);
      } else singles.push(tracked);
    }
    const tasks = new Map<JobProvider, (() => Promise<void>)[]>();
    const add = (provider: JobProvider, task: () => Promise<void>) => {
      const list = tasks.get(provider) ?? [];
      list.push(task);
      tasks.set(provider, list);
    };
    for (const [group, due] of dueByGroup) {
      const active = group.members.filter((member) => !member.settled);
      const listCost = group.cost ?? Math.ceil(active.length / group.pageSize);
      // A list reads every active member, due or not; one get per due run is the alternative.
      if (listCost < due.length)
        add(group.provider, () => this.#readGroup(group, active, call, stop, signal));
      else for (const tracked of due) singles.push(tracked);
    }
    for (const tracked of singles) add(tracked.provider, () => this.#readOne(tracked, call, stop, signal));
    const concurrency = Math.max(1, this.#options.concurrency ?? DEFAULT_CONCURRENCY);
    await Promise.all([...tasks.values()].map((list) => limited(list, concurrency)));
    if (signal?.aborted) throw new AbortError(undefined, { cause: signal.reason });
  }

  async #readOne(tracked: Tracked, call: CallOptions, stop: AbortSignal, signal: AbortSignal | undefined) {
    if (tracked.settled || stop.aborted) return;
    try {
      await acquireRequest(tracked.provider.provider, tracked.ref.origin ?? '', stop);
      const run = (await tracked.provider.getJobRun(tracked.last ?? tracked.ref, call)) as Run;
      this.#observe(tracked, run);
    } catch (error) {
      this.#failed(tracked, error, stop, signal);
    }
    this.#reschedule(tracked);
  }

  async #readGroup(
    group: Group,
    active: Tracked[],
    call: CallOptions,
    stop: AbortSignal,
    signal: AbortSignal | undefined,
  ) {
    const byId = new Map<string, Tracked[]>();
    for (const tracked of active) byId.set(tracked.id, [...(byId.get(tracked.id) ?? []), tracked]);
    const maxPages = Math.ceil(active.length / group.pageSize) + EXTRA_PAGES;
    let pages = 0;
    let cursor: unknown;
    try {
      do {
        await acquireRequest(group.provider.provider, active[0]?.ref.origin ?? '', stop);
        const page = await group.provider.listRunPage(group.query, cursor, {
          ...call,
          pageSize: group.pageSize,
        });
        pages++;
        for (const run of page.runs) {
          const members = byId.get(run.id);
          if (!members) continue;
          byId.delete(run.id);
          for (const tracked of members) this.#observe(tracked, run as Run);
        }
        cursor = page.next;
      } while (byId.size > 0 && cursor !== undefined && pages < maxPages);
    } catch (error) {
      if (stop.aborted) {
        if (signal?.aborted) return;
        for (const tracked of active) this.#reschedule(tracked);
        return;
      }
      // A list that keeps failing (403, 404, an unreadable page) is given up for this group;
      // a transient failure is tried again at the next tick. Either way the runs are read alone.
      if (!isTransientError(error)) group.broken = true;
      else for (const tracked of active) tracked.lastError = error;
    }
    for (const tracked of active) if (!byId.has(tracked.id)) this.#reschedule(tracked);
    const missed = [...byId.values()].flat().filter((tracked) => !tracked.settled);
    group.cost = pages + missed.length;
    // Runs the list did not cover fall back to their own get, in this tick.
    await limited(
      missed.map((tracked) => () => this.#readOne(tracked, call, stop, signal)),
      Math.max(1, this.#options.concurrency ?? DEFAULT_CONCURRENCY),
    );
  }

  #observe(tracked: Tracked, run: Run): void {
    if (tracked.settled) return;
    tracked.last = run;
    tracked.lastError = undefined;
    this.#options.onUpdate?.(run);
    const previous = tracked.status;
    tracked.status = run.status;
    if (isTerminal(run.status)) {
      this.#settle(tracked, outcomeOf(run), previous);
    } else if (previous !== run.status) {
      this.#emit({ index: tracked.index, run, previousStatus: previous, final: false });
    }
  }

  #failed(tracked: Tracked, error: unknown, stop: AbortSignal, signal: AbortSignal | undefined): void {
    // Cut off by the caller or the deadline: run() turns that into AbortError or timeouts.
    if (signal?.aborted || (stop.aborted && AbortError.isInstance(error))) return;
    if (isTransientError(error)) {
      tracked.lastError = error;
      return;
    }
    this.#settle(tracked, { error }, tracked.status);
  }

  #settle(tracked: Tracked, result: FleetResult, previous: JobStatus | undefined): void {
    if (tracked.settled) return;
    tracked.settled = true;
    tracked.result = result;
    this.#unsettled--;
    this.#emit({
      index: tracked.index,
      run: tracked.last as Run | undefined,
      previousStatus: previous,
      final: true,
      ...(result.error === undefined ? {} : { error: result.error }),
    });
  }

  #reschedule(tracked: Tracked): void {
    tracked.due = Date.now() + tracked.interval;
    tracked.interval = Math.min(tracked.interval * 1.5, this.#maxInterval);
  }

  #timeOut(timeoutMs: number): void {
    for (const tracked of this.#tracked) {
      if (tracked.settled) continue;
      let error: unknown;
      if (tracked.last) error = new WaitTimeoutError(tracked.last, timeoutMs);
      // The run was never read: a transient error says more than a timeout would.
      else if (tracked.lastError !== undefined) error = tracked.lastError;
      else {
        error = new TimeoutError(
          `Gave up waiting after ${timeoutMs} ms, before ${tracked.provider.provider} returned the run.`,
          { provider: tracked.provider.provider, operation: 'waitForJob', timeoutMs },
        );
      }
      this.#settle(tracked, { error }, tracked.status);
    }
  }
}

/** Settled results in input order (see Fleet). */
export function waitForRuns<Run extends JobRun>(
  inputs: readonly { provider: JobProvider; input: FleetInput }[],
  options: FleetOptions<Run> = {},
): Promise<FleetResult<Run>[]> {
  return new Fleet<Run>(inputs, options).run();
}

/** A watch of many runs: async-iterate the updates; `state()` is the resumable state at any time. */
export interface FleetWatch<Run extends JobRun = JobRun> extends AsyncIterable<WatchUpdate<Run>> {
  state(): FleetState;
}

/** The updates of waiting for `inputs`, as an async iterable (see Fleet). */
export function watchRuns<Run extends JobRun>(
  inputs: readonly { provider: JobProvider; input: FleetInput }[],
  options: FleetOptions<Run> = {},
): FleetWatch<Run> {
  const queue: WatchUpdate<Run>[] = [];
  let wake: (() => void) | undefined;
  const fleet = new Fleet<Run>(inputs, options, (update) => {
    queue.push(update);
    wake?.();
  });
  let started = false;
  let done = false;
  let failure: { error: unknown } | undefined;
  return {
    state: () => fleet.state(),
    async *[Symbol.asyncIterator]() {
      if (!started) {
        started = true;
        void fleet.run().then(
          () => {
            done = true;
            wake?.();
          },
          (error: unknown) => {
            failure = { error };
            done = true;
            wake?.();
          },
        );
      }
      for (;;) {
        while (queue.length > 0) yield queue.shift() as WatchUpdate<Run>;
        if (failure) throw failure.error;
        if (done) return;
        await new Promise<void>((resolve) => {
          wake = resolve;
        });
        wake = undefined;
      }
    },
  };
}
