// Every run a worker holds, waited for through one fleet (core's wait engine), so that runs of one
// job are read together through its list however they came into the worker. The fleet's set of
// runs is fixed when it starts; runs arrive one by one as jobs are picked up. So the pool runs the
// fleet in generations: runs that arrive wait to join, and the fleet is restarted with them (and
// every unsettled run's last status) at most once per `regroupMs` after the previous start.
//
// A restart reads each group at once (one list read per job, a get per run that has no group),
// which is why it is rate-limited: arrivals then cost about one extra read per group and
// `regroupMs`, against a run's first read delayed by up to `regroupMs` (a run just triggered is
// rarely done within seconds anyway).
import {
  AbortError,
  type FleetOptions,
  type FleetResult,
  type JobProvider,
  type JobRefBase,
  type JobRun,
  type JobStatus,
  watchRuns,
} from '@anyjob/core';

/** A run to wait for: its ref and the last status known (a restarted worker goes on from it). */
export interface PoolInput {
  ref: JobRefBase;
  status?: JobStatus;
  providerStatus?: string;
}

/** The pool was closed while the run was being waited for: the run goes on, nobody waits here. */
export class PoolClosedError extends Error {
  override readonly name = 'PoolClosedError';
}

interface Entry {
  provider: JobProvider;
  input: PoolInput;
  /** The generation the entry is part of; 0 while it waits to join one. */
  generation: number;
  onChange: (run: JobRun) => void;
  settle: (result: FleetResult) => void;
  fail: (error: unknown) => void;
}

/** Arrivals are gathered this long before a fleet starts with them. */
const GATHER_MS = 50;

export class RunWaitPool {
  readonly #options: Omit<FleetOptions, 'signal' | 'onUpdate'>;
  readonly #regroupMs: number;
  readonly #entries = new Set<Entry>();
  #generation = 0;
  #current: { controller: AbortController; startedAt: number; done: Promise<void> } | undefined;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #closed = false;

  constructor(options: Omit<FleetOptions, 'signal' | 'onUpdate'>, regroupMs: number) {
    this.#options = options;
    this.#regroupMs = regroupMs;
  }

  /**
   * Waits for one run with every other the pool holds. Resolves with the fleet's result (`{ run }`
   * or `{ error }`, a failed run's JobFailedError carrying it); `onChange` hears each status change.
   */
  wait(provider: JobProvider, input: PoolInput, onChange: (run: JobRun) => void): Promise<FleetResult> {
    if (this.#closed) return Promise.reject(new PoolClosedError('the worker is closing'));
    return new Promise<FleetResult>((resolve, reject) => {
      const entry: Entry = {
        provider,
        input,
        generation: 0,
        onChange,
        settle: (result) => {
          this.#entries.delete(entry);
          resolve(result);
        },
        fail: (error) => {
          this.#entries.delete(entry);
          reject(error);
        },
      };
      this.#entries.add(entry);
      this.#schedule();
    });
  }

  /** Stops waiting: every run waited for rejects with PoolClosedError (the runs go on). */
  async close(): Promise<void> {
    this.#closed = true;
    clearTimeout(this.#timer);
    this.#timer = undefined;
    const current = this.#current;
    current?.controller.abort(new PoolClosedError('the worker is closing'));
    await current?.done;
    for (const entry of [...this.#entries]) entry.fail(new PoolClosedError('the worker is closing'));
  }

  #schedule(): void {
    if (this.#timer !== undefined || this.#closed) return;
    const now = Date.now();
    const at = this.#current
      ? Math.max(this.#current.startedAt + this.#regroupMs, now + GATHER_MS)
      : now + GATHER_MS;
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      void this.#restart();
    }, at - now);
  }

  async #restart(): Promise<void> {
    const previous = this.#current;
    if (previous) {
      previous.controller.abort(new Error('regrouping'));
      await previous.done;
    }
    if (this.#closed) return;
    const entries = [...this.#entries];
    if (entries.length === 0) {
      this.#current = undefined;
      return;
    }
    const generation = ++this.#generation;
    for (const entry of entries) entry.generation = generation;
    const controller = new AbortController();
    const watch = watchRuns(
      entries.map((entry) => ({ provider: entry.provider, input: entry.input })),
      { ...this.#options, signal: controller.signal },
    );
    const done = (async () => {
      try {
        for await (const update of watch) {
          const entry = entries[update.index];
          if (update.run) {
            entry.input = {
              ref: update.run.ref,
              status: update.run.status,
              ...(update.run.providerStatus === undefined
                ? {}
                : { providerStatus: update.run.providerStatus }),
            };
          }
          if (update.final) {
            entry.settle(
              update.error === undefined ? { run: update.run as JobRun } : { error: update.error },
            );
          } else if (update.run) {
            entry.onChange(update.run);
          }
        }
      } catch (error) {
        // Stopped for a regroup or a close: the unsettled runs go on in the next generation.
        if (!AbortError.isInstance(error)) for (const entry of entries) entry.fail(error);
      }
    })();
    this.#current = { controller, startedAt: Date.now(), done };
    await done;
    // Stopped for a regroup or a close: whoever stopped it goes on.
    if (controller.signal.aborted) return;
    this.#current = undefined;
    // Runs that arrived while this generation ran, and did not make a regroup happen yet.
    if ([...this.#entries].some((entry) => entry.generation !== generation)) this.#schedule();
  }
}
