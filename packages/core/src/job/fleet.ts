// Waiting for many runs at once, with a fraction of the requests: the one wait engine (a single
// waitForJob is its one-run case).
//
// Every run has a polling schedule (read at once, then after `pollIntervalMs`, the delay growing
// ×1.5 up to `maxPollIntervalMs`), and one timer serves the whole fleet: the runs due within
// COALESCE_MS of a tick are read together. Runs of the same job (the provider's `refs.group`) are
// read through its list, page after page until every one of them is found or the list ends; the
// others, and a group where that costs fewer requests, one get each. The engine learns each
// list's real cost (pages read plus runs it missed) as it goes.
//
// A group read through its list shares one schedule. While a read costs at most a third of the
// requests of a get per run (LIST_SPEEDUP), the delay starts at pollIntervalMs, triples per read
// and stops growing at maxPollIntervalMs / 3: the job's runs are seen at least three times as
// often as the slowest per-run poll, for still fewer requests than per-run polling; otherwise the
// per-run schedule (×1.5 up to maxPollIntervalMs). The delay never goes below pollIntervalMs or
// above maxPollIntervalMs, so both keep their meaning.
//
// The event loop and memory of a wait over thousands of runs: each provider's list pages are read
// one at a time (a slow or budgeted provider never holds up another's) and hold at most
// MAX_PAGE_RUNS runs (unless the provider has a request budget), so one page's parse and mapping
// is a short stretch and a provider's pages do not land in the same turn of the event loop. Of a
// run still going that was read through a list only its status is kept (not `raw`), so each page
// is garbage once read; a final run is kept whole: it is the result. A run read through its job's
// list takes the job's delay as its own, so read alone later (few runs left) it goes on from there.
//
// Requests go through the process-wide pace of their provider (pacing.ts: a request budget and a
// shared pause on 429, kept in this process or in a shared RateBudget), with at most `concurrency` in flight per provider. Each request has an
// AbortSignal of its own, aborted with the wait: listeners never pile up on one signal (Node warns
// past 10). A run known to be final is never read again.
import {
  AbortError,
  InvalidRequestError,
  JobCanceledError,
  JobFailedError,
  TimeoutError,
  WaitTimeoutError,
} from '../errors/index.js';
import { checkCallNumbers, checkRequestBudgets } from '../settings-checks.js';
import { acquireRequest, requestBudget, setRateBudget, setRequestBudget } from '../transport/pacing.js';
import type { RateBudget } from '../transport/rate-budget.js';
import { isTransientError } from '../transport/retry-policy.js';
import { checkDurations, MAX_TIMER_MS } from '../transport/timers.js';
import type { CallOptions, JobProvider, JobRefBase, JobRun } from './provider.js';
import { isJobStatus, isTerminal, type JobStatus } from './status.js';
import { WAIT_DEFAULTS, type WaitOptions } from './wait.js';

export interface FleetOptions<Run extends JobRun = JobRun> extends WaitOptions<Run> {
  /**
   * Requests per minute the waits on each provider may send (by provider name), shared by every
   * wait in the process. Default: the provider's documented limit, else none.
   */
  requestsPerMinute?: Readonly<Record<string, number>>;
  /**
   * Where the budget and the 429 pause of this wait's providers are kept, for the whole process
   * like `requestsPerMinute` (the latest setting wins). Default: this process's memory. Pass a
   * shared one (`createRedisRateBudget` from @anyjob/bullmq) to give every process using the same
   * provider account one budget between them.
   */
  rateBudget?: RateBudget;
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
  /** The delay after the group's next list read (see LIST_SPEEDUP). */
  interval: number;
  /** The members by run id (the same run passed twice is one entry with both). */
  byId: Map<string, Tracked | Tracked[]>;
  /** List reads started, numbering them. */
  reads: number;
}

interface Tracked {
  index: number;
  provider: JobProvider;
  ref: JobRefBase;
  id: string;
  group: Group | undefined;
  /** The last state read; for a run still going that was read through a list, without `raw`. */
  last: JobRun | undefined;
  status: JobStatus | undefined;
  interval: number;
  due: number;
  /** A read of this run is queued or in flight: nothing else reads it meanwhile. */
  busy: boolean;
  /** The number of the group's list read this run is part of, and of the last that found it. */
  listRead: number;
  found: number;
  settled: boolean;
  result: FleetResult | undefined;
  lastError: unknown;
}

const DEFAULT_CONCURRENCY = 8;
/** Runs due within this long of a tick are read with it. */
const COALESCE_MS = 100;
/** Pages a list read goes on for without finding any of its runs (runs of others sort first). */
const EXTRA_PAGES = 2;
/**
 * A group whose list read costs at most 1/LIST_SPEEDUP of the requests of a get per run has a
 * schedule of its own: the delay grows LIST_SPEEDUP× per read (instead of ×1.5) and stops at
 * maxPollIntervalMs / LIST_SPEEDUP — quickly to a steady cadence three times as frequent as the
 * slowest per-run poll, for fewer requests than per-run polling sends in that time.
 */
const LIST_SPEEDUP = 3;
/**
 * Runs per list page at most, whatever more the provider allows (TrueFoundry: 1,000), unless the
 * provider has a request budget (see #pageSize). A page is parsed, redacted and mapped in one go:
 * 1,000 runs (0.5 MB of JSON) hold the event loop for tens of ms on a busy machine, 250 a quarter
 * of that, for more requests only on jobs with over 250 runs being waited for.
 */
const MAX_PAGE_RUNS = 250;
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

/**
 * What is kept of a run still going that was read through a list: everything but `raw`, so the
 * page it came from is garbage at once (the next read replaces it anyway). The previous copy is
 * kept when nothing in it changed.
 */
function slim(run: JobRun, previous: JobRun | undefined, ref: JobRefBase): JobRun {
  if (
    previous !== undefined &&
    previous.raw === undefined &&
    previous.status === run.status &&
    previous.providerStatus === run.providerStatus &&
    previous.error === run.error &&
    previous.id === run.id
  ) {
    return previous;
  }
  const { raw: _raw, ref: _ref, ...rest } = run;
  return { ...rest, ref, raw: undefined };
}

function outcomeOf(run: JobRun): FleetResult {
  if (run.status === 'succeeded') return { run };
  return { error: run.status === 'canceled' ? new JobCanceledError(run) : new JobFailedError(run) };
}

/** Runs queued tasks in order, at most `limit` at once; a task's rejection goes to `crash`. */
class Lane {
  readonly #limit: number;
  readonly #crash: (error: unknown) => void;
  #queue: ((() => Promise<void>) | undefined)[] = [];
  #head = 0;
  #active = 0;

  constructor(limit: number, crash: (error: unknown) => void) {
    this.#limit = limit;
    this.#crash = crash;
  }

  push(task: () => Promise<void>): void {
    this.#queue.push(task);
    this.#pump();
  }

  /** Queues `task` and resolves or rejects with it. */
  run<T>(task: () => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.push(() => task().then(resolve, reject));
    });
  }

  #pump(): void {
    while (this.#active < this.#limit && this.#head < this.#queue.length) {
      const task = this.#queue[this.#head] as () => Promise<void>;
      // A task run is let go at once: it may hold what it read (a page) until it is collected.
      this.#queue[this.#head++] = undefined;
      if (this.#head === this.#queue.length) {
        this.#queue = [];
        this.#head = 0;
      } else if (this.#head > 1024 && this.#head * 2 > this.#queue.length) {
        this.#queue = this.#queue.slice(this.#head);
        this.#head = 0;
      }
      this.#active++;
      task()
        .catch(this.#crash)
        .finally(() => {
          this.#active--;
          this.#pump();
        });
    }
  }
}

export class Fleet<Run extends JobRun = JobRun> {
  readonly #tracked: Tracked[];
  readonly #groups: Group[];
  /** Runs read alone: no group. */
  readonly #alone: Tracked[];
  readonly #options: FleetOptions<Run>;
  readonly #emit: (update: WatchUpdate<Run>) => void;
  readonly #firstInterval: number;
  readonly #maxInterval: number;
  /** Each provider's requests, at most `concurrency` in flight. */
  readonly #lanes = new Map<JobProvider, Lane>();
  /** Each provider's list reads, one group at a time (see #readGroup). */
  readonly #lists = new Map<JobProvider, Lane>();
  /** One controller per request in flight: aborted together when the wait stops. */
  readonly #inFlight = new Set<AbortController>();
  #unsettled: number;
  #stop: AbortSignal = new AbortController().signal;
  #call: CallOptions = {};
  #crashed: { error: unknown } | undefined;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #wakeAt = Number.POSITIVE_INFINITY;
  #wake: (() => void) | undefined;
  /** The earliest due time poked while the loop was not asleep. */
  #poked = Number.POSITIVE_INFINITY;

  constructor(
    inputs: readonly { provider: JobProvider; input: FleetInput }[],
    options: FleetOptions<Run>,
    emit: (update: WatchUpdate<Run>) => void = () => {},
  ) {
    checkDurations(options, DURATIONS);
    checkCallNumbers(options, ['pollIntervalMs', 'concurrency', 'maxRetries']);
    checkRequestBudgets(options.requestsPerMinute);
    checkRateBudget(options.rateBudget);
    this.#options = options;
    this.#emit = emit;
    this.#maxInterval = options.maxPollIntervalMs ?? WAIT_DEFAULTS.maxPollIntervalMs;
    const interval = options.pollIntervalMs ?? WAIT_DEFAULTS.pollIntervalMs;
    this.#firstInterval = interval;
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
            interval,
            byId: new Map(),
            reads: 0,
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
        busy: false,
        listRead: 0,
        found: 0,
        settled: false,
        result: undefined,
        lastError: undefined,
      };
      if (group) {
        group.members.push(tracked);
        const same = group.byId.get(tracked.id);
        if (same === undefined) group.byId.set(tracked.id, tracked);
        else if (Array.isArray(same)) same.push(tracked);
        else group.byId.set(tracked.id, [same, tracked]);
      }
      return tracked;
    });
    this.#groups = [...groups.values()];
    this.#alone = this.#tracked.filter((tracked) => tracked.group === undefined);
    this.#unsettled = this.#tracked.length;
    for (const provider of new Set(inputs.map((entry) => entry.provider))) {
      const name = provider.provider;
      if (options.rateBudget !== undefined) setRateBudget(name, options.rateBudget);
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
    // AbortSignal.any adds no listener to the caller's signal, however many waits share it; this
    // wait adds one to `stop`, which aborts its requests in flight. Each request has a signal of
    // its own, so no signal ever carries more than a couple of listeners.
    const stop = signal ? AbortSignal.any([signal, expiry.signal]) : expiry.signal;
    this.#stop = stop;
    this.#call = {
      maxRetries: this.#options.maxRetries,
      retryDelayMs: this.#options.retryDelayMs,
      maxRetryDelayMs: this.#options.maxRetryDelayMs,
      timeoutMs: this.#options.requestTimeoutMs,
    };
    const onStop = () => {
      for (const controller of this.#inFlight) controller.abort(stop.reason);
      this.#wakeNow();
    };
    stop.addEventListener('abort', onStop, { once: true });
    try {
      for (;;) {
        if (this.#crashed) throw this.#crashed.error;
        if (signal?.aborted) throw new AbortError(undefined, { cause: signal.reason });
        if (this.#unsettled === 0) break;
        if (Date.now() >= deadline || expiry.signal.aborted) break;
        const next = this.#launch();
        await this.#sleepUntil(Math.min(next, deadline));
      }
      if (this.#unsettled > 0) this.#timeOut(timeoutMs ?? 0);
    } finally {
      stop.removeEventListener('abort', onStop);
      clearTimeout(expiryTimer);
      clearTimeout(this.#timer);
      this.#timer = undefined;
      this.#wake = undefined;
      // Nothing is in flight after a normal end; after an abort or a crash, stop what is.
      for (const controller of this.#inFlight) controller.abort(stop.reason);
    }
    return this.#tracked.map((tracked) => tracked.result as FleetResult<Run>);
  }

  /** Sleeps until `until`, or until #poke brings it forward, or #wakeNow. */
  #sleepUntil(until: number): Promise<void> {
    return new Promise((resolve) => {
      this.#wake = resolve;
      this.#wakeAt = Math.min(until, this.#poked);
      this.#poked = Number.POSITIVE_INFINITY;
      this.#arm();
    });
  }

  #arm(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    if (this.#wakeAt === Number.POSITIVE_INFINITY) return;
    this.#timer = setTimeout(
      () => this.#wakeNow(),
      Math.min(Math.max(0, this.#wakeAt - Date.now()), MAX_TIMER_MS),
    );
  }

  #wakeNow(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#wakeAt = Number.POSITIVE_INFINITY;
    const wake = this.#wake;
    this.#wake = undefined;
    wake?.();
  }

  /** A run became due at `due`: wake the loop then if it sleeps longer. */
  #poke(due: number): void {
    if (this.#wake === undefined) {
      this.#poked = Math.min(this.#poked, due);
      return;
    }
    if (due >= this.#wakeAt) return;
    this.#wakeAt = due;
    this.#arm();
  }

  #crash = (error: unknown): void => {
    this.#crashed ??= { error };
    this.#wakeNow();
  };

  /** A provider's list reads: one at a time, so its pages never land together; no provider waits for another's. */
  #listLane(provider: JobProvider): Lane {
    let lane = this.#lists.get(provider);
    if (!lane) {
      lane = new Lane(1, this.#crash);
      this.#lists.set(provider, lane);
    }
    return lane;
  }

  #lane(provider: JobProvider): Lane {
    let lane = this.#lanes.get(provider);
    if (!lane) {
      lane = new Lane(Math.max(1, this.#options.concurrency ?? DEFAULT_CONCURRENCY), this.#crash);
      this.#lanes.set(provider, lane);
    }
    return lane;
  }

  /**
   * Queues the reads of every run due within COALESCE_MS: a list read per group where that costs
   * fewer requests than a get per due run, a get for each other run. Returns when the next run
   * not being read is due.
   */
  #launch(): number {
    const horizon = Date.now() + COALESCE_MS;
    let next = Number.POSITIVE_INFINITY;
    for (const group of this.#groups) {
      let active = 0;
      let due = 0;
      let later = Number.POSITIVE_INFINITY;
      for (const member of group.members) {
        if (member.settled || member.busy) continue;
        active++;
        if (member.due <= horizon) due++;
        else if (member.due < later) later = member.due;
      }
      if (due === 0) {
        next = Math.min(next, later);
        continue;
      }
      // A list reads every active member, due or not; one get per due run is the alternative.
      if (!group.broken && (group.cost ?? Math.ceil(active / this.#pageSize(group))) < due) {
        const reading = group.members.filter((member) => !member.settled && !member.busy);
        for (const member of reading) member.busy = true;
        this.#listLane(group.provider).push(() => this.#readGroup(group, reading));
        continue;
      }
      for (const member of group.members) {
        if (!member.settled && !member.busy && member.due <= horizon) this.#queueGet(member);
      }
      next = Math.min(next, later);
    }
    for (const tracked of this.#alone) {
      if (tracked.settled || tracked.busy) continue;
      if (tracked.due <= horizon) this.#queueGet(tracked);
      else if (tracked.due < next) next = tracked.due;
    }
    return next;
  }

  /**
   * Runs per list page: at most MAX_PAGE_RUNS, unless the provider has a request budget — then
   * requests are what is scarce, pages come seldom, and the largest the API allows see the most.
   */
  #pageSize(group: Group): number {
    return requestBudget(group.provider.provider) === undefined
      ? Math.min(group.pageSize, MAX_PAGE_RUNS)
      : group.pageSize;
  }

  #queueGet(tracked: Tracked): void {
    tracked.busy = true;
    this.#lane(tracked.provider).push(() => this.#readOne(tracked));
  }

  /** One request: within the provider's budget, with a signal of its own that the wait's stop aborts. */
  async #request<T>(
    provider: JobProvider,
    origin: string,
    send: (call: CallOptions) => Promise<T>,
  ): Promise<T> {
    const stop = this.#stop;
    if (stop.aborted) throw new AbortError(undefined, { cause: stop.reason });
    const controller = new AbortController();
    this.#inFlight.add(controller);
    try {
      await acquireRequest(provider.provider, origin, controller.signal);
      return await send({ ...this.#call, signal: controller.signal });
    } finally {
      this.#inFlight.delete(controller);
    }
  }

  async #readOne(tracked: Tracked): Promise<void> {
    try {
      if (tracked.settled || this.#stop.aborted) return;
      const run = (await this.#request(tracked.provider, tracked.ref.origin ?? '', (call) =>
        tracked.provider.getJobRun(tracked.last ?? tracked.ref, call),
      )) as Run;
      this.#observe(tracked, run, false);
    } catch (error) {
      this.#failed(tracked, error);
    } finally {
      tracked.busy = false;
    }
    this.#reschedule(tracked);
  }

  async #readGroup(group: Group, active: Tracked[]): Promise<void> {
    const stop = this.#stop;
    const signal = this.#options.signal;
    const read = ++group.reads;
    for (const tracked of active) tracked.listRead = read;
    let missing = active.length;
    // A run of this read, found in a page for the first time.
    const take = (tracked: Tracked, run: Run): boolean => {
      if (tracked.listRead !== read || tracked.found === read) return false;
      tracked.found = read;
      missing--;
      this.#observe(tracked, run, true);
      return true;
    };
    // The list goes on until every run is found or the list ends, except past the pages the
    // runs would fill (plus EXTRA_PAGES) when a page holds none of them: a get each is cheaper.
    const pageSize = this.#pageSize(group);
    const enough = Math.ceil(active.length / pageSize) + EXTRA_PAGES;
    const origin = active[0]?.ref.origin ?? '';
    const requests = this.#lane(group.provider);
    let pages = 0;
    let cursor: unknown;
    let completed = false;
    try {
      do {
        const page = await requests.run(() =>
          this.#request(group.provider, origin, (call) =>
            group.provider.listRunPage(group.query, cursor, { ...call, pageSize }),
          ),
        );
        pages++;
        let found = 0;
        for (const run of page.runs) {
          const entry = group.byId.get(run.id);
          if (entry === undefined) continue;
          if (!Array.isArray(entry)) {
            if (take(entry, run as Run)) found++;
            continue;
          }
          let hit = false;
          for (const tracked of entry) hit = take(tracked, run as Run) || hit;
          if (hit) found++;
        }
        cursor = page.next;
        if (found === 0 && pages >= enough) break;
      } while (missing > 0 && cursor !== undefined);
      completed = true;
    } catch (error) {
      if (stop.aborted) {
        for (const tracked of active) tracked.busy = false;
        if (signal?.aborted) return;
        for (const tracked of active) this.#reschedule(tracked);
        return;
      }
      // A list that keeps failing (403, 404, an unreadable page) is given up for this group;
      // a transient failure is tried again at the next tick. Either way the runs are read alone.
      if (!isTransientError(error)) group.broken = true;
      else for (const tracked of active) tracked.lastError = error;
    }
    const missed = active.filter((tracked) => tracked.found !== read && !tracked.settled);
    // What the read cost in requests; a read cut short by a transient failure says nothing.
    if (completed) group.cost = pages + missed.length;
    // Cheap enough (see LIST_SPEEDUP): the delay triples up to a third of the longest; else the
    // per-run schedule.
    const cheap = (group.cost ?? pages) * LIST_SPEEDUP <= active.length;
    const longest = cheap
      ? Math.max(this.#firstInterval, this.#maxInterval / LIST_SPEEDUP)
      : this.#maxInterval;
    const gap = Math.min(group.interval, longest);
    // Never grown past the cap while cheap: a group that stops being cheap (few runs left) goes
    // on from there, ×1.5, not from maxPollIntervalMs.
    group.interval = cheap ? Math.min(gap * LIST_SPEEDUP, longest) : Math.min(gap * 1.5, this.#maxInterval);
    const due = Date.now() + gap;
    for (const tracked of active) {
      tracked.busy = false;
      if (tracked.found !== read) continue;
      tracked.due = due;
      // Read alone later (few runs left), a run goes on from its job's schedule.
      tracked.interval = group.interval;
    }
    this.#poke(due);
    // Runs the list did not cover fall back to their own get, now.
    for (const tracked of missed) this.#queueGet(tracked);
  }

  #observe(tracked: Tracked, run: Run, listed: boolean): void {
    if (tracked.settled) return;
    const final = isTerminal(run.status);
    tracked.last = final || !listed ? run : slim(run, tracked.last, tracked.last?.ref ?? tracked.ref);
    tracked.lastError = undefined;
    this.#options.onUpdate?.(run);
    const previous = tracked.status;
    tracked.status = run.status;
    if (final) {
      this.#settle(tracked, outcomeOf(run), previous);
    } else if (previous !== run.status) {
      this.#emit({ index: tracked.index, run, previousStatus: previous, final: false });
    }
  }

  #failed(tracked: Tracked, error: unknown): void {
    const signal = this.#options.signal;
    // Cut off by the caller or the deadline: run() turns that into AbortError or timeouts.
    if (signal?.aborted || (this.#stop.aborted && AbortError.isInstance(error))) return;
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
    if (this.#unsettled === 0) this.#wakeNow();
  }

  #reschedule(tracked: Tracked): void {
    if (tracked.settled) return;
    tracked.due = Date.now() + tracked.interval;
    tracked.interval = Math.min(tracked.interval * 1.5, this.#maxInterval);
    this.#poke(tracked.due);
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
  // Leaving the loop (`break`, `return`, a throw in its body) stops the polling: nobody reads the
  // updates any more, and a watch left running would keep the process alive until the runs end.
  const leave = new AbortController();
  const signal = options.signal ? AbortSignal.any([options.signal, leave.signal]) : leave.signal;
  const fleet = new Fleet<Run>(inputs, { ...options, signal }, (update) => {
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
      try {
        for (;;) {
          while (queue.length > 0) yield queue.shift() as WatchUpdate<Run>;
          if (failure) throw failure.error;
          if (done) return;
          await new Promise<void>((resolve) => {
            wake = resolve;
          });
          wake = undefined;
        }
      } finally {
        if (!done) leave.abort(new Error('the watch loop was left'));
      }
    },
  };
}

/** Throws InvalidRequestError, before any request, unless `budget` is absent or has RateBudget's methods. */
function checkRateBudget(budget: unknown): void {
  if (budget === undefined) return;
  const methods = ['take', 'pause', 'pausedUntil'] as const;
  const missing =
    typeof budget === 'object' && budget !== null
      ? methods.filter((name) => typeof (budget as Record<string, unknown>)[name] !== 'function')
      : [...methods];
  if (missing.length === 0) return;
  const message = `\`rateBudget\` must be a RateBudget (an object with ${methods.join(', ')}); it lacks ${missing.join(', ')}. Leave it out to keep the budget in this process, or pass createRedisRateBudget(…) from @anyjob/bullmq.`;
  throw new InvalidRequestError(message, {
    operation: 'waitForJobs',
    issues: [{ path: 'rateBudget', rule: 'type', message }],
  });
}
