// The worker of a queue of runs: takes a run's job, triggers the run exactly once, waits for it
// with every other run it holds (one fleet, see wait-pool.ts), and ends the job with the run.
//
// Exactly once, across crashes. Before a trigger goes out, the job records that it is being sent
// and the request as sent, with its proof (the provider's prepareTrigger: a run-name marker, an
// idempotency key). A job found in that step — its worker died, or Redis lost the lock — is never
// sent again: the provider's proof lookup (findPreparedRun) searches for its run, and where no run
// carries the proof the job ends `unconfirmed` with the candidates the search found. Once the run
// is known its ref and last status are on the job, so whichever worker takes it next waits on.
// BullMQ's retries cannot re-send either: a job gets one attempt, and a stalled job handed to
// another worker re-enters this same record.
import { randomUUID } from 'node:crypto';
import {
  type AnyJobProviderDescriptor,
  type FleetOptions,
  type FleetResult,
  isTerminal,
  JobCanceledError,
  JobFailedError,
  type JobProvider,
  type JobRun,
  type PreparedTrigger,
  type RateBudget,
  RateBudgetUnavailableError,
  TriggerUnconfirmedError,
} from '@anyjob/core';
import { acquireRequest, delay, requestBudget, setRateBudget, setRequestBudget } from '@anyjob/core/internal';
import { defaultProviders } from 'anyjob';
import { Job, UnrecoverableError, WaitingError, Worker } from 'bullmq';
import { Redis, type RedisOptions } from 'ioredis';
import { type BatchReader, readBatchResults, readBatchStatus } from './batch.js';
import { createRedisRateBudget } from './redis-rate-budget.js';
import {
  DEFAULT_QUEUE_NAME,
  type ErrorRecord,
  type RunJobData,
  type RunOutcome,
  type UnconfirmedRecord,
} from './run-job.js';
import { PoolClosedError, RunWaitPool } from './wait-pool.js';

/** How the worker waits for its runs: the fleet engine's options. */
export type RunWaitOptions = Pick<
  FleetOptions,
  | 'pollIntervalMs'
  | 'maxPollIntervalMs'
  | 'concurrency'
  | 'batch'
  | 'requestTimeoutMs'
  | 'maxRetries'
  | 'retryDelayMs'
  | 'maxRetryDelayMs'
>;

export interface RunWorkerOptions {
  /** The Redis of the queue (ioredis options or a `redis://` URL); the worker opens its own clients. */
  connection: RedisOptions | string;
  /** Provider settings, as createAnyJob takes them: shared ones at the top, each provider's under its name. */
  settings?: Readonly<Record<string, unknown>>;
  /** The providers whose runs the worker takes. Default: anyjob's default providers. */
  providers?: readonly AnyJobProviderDescriptor[];
  /** Runs the worker holds at once (triggering or waiting). Default 100. */
  concurrency?: number;
  /** Triggers in flight at once per provider. Default 8 (as the waits' requests). */
  triggerConcurrency?: number;
  /** The queue's name. Default `anyjob-runs`. */
  queueName?: string;
  /** BullMQ's key prefix. Default BullMQ's (`bull`). */
  prefix?: string;
  /** Requests per minute per provider, for every worker together (see rateBudget). Default: each provider's documented limit. */
  requestsPerMinute?: Readonly<Record<string, number>>;
  /**
   * Where the budget and the 429 pause are kept. Default: createRedisRateBudget on the queue's
   * Redis, so every worker on it shares one budget per provider account.
   */
  rateBudget?: RateBudget;
  /** The waits' schedule and request concurrency (the fleet engine's options). */
  wait?: RunWaitOptions;
  /**
   * Newly taken runs join the fleet at most this often (each join reads every job's list once).
   * Default: `maxPollIntervalMs` (30 s): a run is first read up to that long after its trigger.
   */
  regroupMs?: number;
  /** BullMQ's lock on a job being worked on; a worker silent this long has its jobs handed on. Default 30 000. */
  lockDurationMs?: number;
  /** How often a worker looks for jobs whose lock expired. Default 30 000. */
  stalledIntervalMs?: number;
  /** Hand-overs of one job before BullMQ fails it. Default 5 (each resumes from the job's record). */
  maxStalledCount?: number;
}

/** A worker, and a BatchReader of the batches on its queue (`worker.batchStatus(batchId)`). */
export interface RunWorker extends BatchReader {
  /** The BullMQ worker (its events: `completed`, `failed`, `error`). */
  readonly worker: Worker<RunJobData, RunOutcome>;
  /**
   * Stops taking jobs; the runs being waited for are handed back to the queue (another worker, or
   * this one restarted, goes on from their record); a trigger in flight is finished first.
   */
  close(): Promise<void>;
}

/** An error as plain JSON, without anything but its name and message (no request, no key). */
function errorRecord(error: unknown): ErrorRecord {
  if (error instanceof Error) return { name: error.name, message: error.message };
  return { name: 'Error', message: String(error) };
}

/** A run without its provider body, for the record of a candidate. */
function lean(run: JobRun): JobRun {
  return { ...run, raw: undefined };
}

function unconfirmedRecord(error: TriggerUnconfirmedError<JobRun>): UnconfirmedRecord {
  return {
    name: 'TriggerUnconfirmedError',
    message: error.message,
    reconciliation: { outcome: error.reconciliation.outcome, searched: error.reconciliation.searched },
    candidates: error.candidates.map(lean),
    window: { sentAt: error.window.sentAt, endedAt: error.window.endedAt },
    hint: error.hint,
  };
}

/** The job's end as an outcome: a run that ended, or the error that ended the wait. */
function waitOutcome(result: FleetResult): RunOutcome {
  if (result.run) return { outcome: 'succeeded', run: result.run };
  const { error } = result;
  if (JobFailedError.isInstance(error) || JobCanceledError.isInstance(error)) {
    const run = (error as JobFailedError).run as JobRun;
    const outcome = run.status === 'canceled' || run.status === 'timed_out' ? run.status : 'failed';
    return { outcome, run };
  }
  return { outcome: 'error', error: errorRecord(error) };
}

/** Sends again after a trigger proven unsent, at most this often per job... */
const MAX_RESENDS = 3;
/** ...after this long, then twice, three times as long. */
const RESEND_DELAY_MS = 1_000;

/** The job's record once its run is known: waiting on it, from the status the run was read with. */
function waitingOn(data: RunJobData, run: JobRun): RunJobData {
  return { ...data, step: 'waiting', ref: run.ref, status: run.status, providerStatus: run.providerStatus };
}

/**
 * The trigger's outcome was unknown, and a search by its proof found no run: nothing got out. Only
 * where the provider has proof: without it, a search finding nothing proves nothing.
 */
function provenUnsent(error: unknown, prepared: PreparedTrigger): boolean {
  return (
    TriggerUnconfirmedError.isInstance(error) &&
    error.reconciliation.outcome === 'not-found' &&
    prepared.proof !== undefined
  );
}

/** At most `limit` tasks at once, in order. */
class Slots {
  #free: number;
  readonly #waiting: (() => void)[] = [];
  constructor(limit: number) {
    this.#free = limit;
  }
  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.#free > 0) this.#free--;
    else await new Promise<void>((resolve) => this.#waiting.push(resolve));
    try {
      return await task();
    } finally {
      const next = this.#waiting.shift();
      if (next) next();
      else this.#free++;
    }
  }
}

/** A trigger that did not give its run: unconfirmed (nobody can say), or refused (no run started). */
function failedTrigger(error: unknown): RunOutcome {
  if (TriggerUnconfirmedError.isInstance(error))
    return { outcome: 'unconfirmed', error: unconfirmedRecord(error as TriggerUnconfirmedError<JobRun>) };
  return { outcome: 'error', error: errorRecord(error) };
}

function describeOutcome(outcome: RunOutcome): string {
  switch (outcome.outcome) {
    case 'unconfirmed':
    case 'error':
      return outcome.error.message;
    default:
      return `the run ${outcome.run.id} ended ${outcome.outcome}${outcome.run.error ? `: ${outcome.run.error}` : ''}`;
  }
}

/**
 * Writes a job's record only while `token` holds the job's lock, and extends the lock (as
 * extendLock does), in one step. A lock lapses by Redis's clock even while Redis is down (an
 * append-only file keeps its expiry as an absolute time), so after an outage longer than what was
 * left of a lock the stalled-job check hands the job to another worker, and its former holder
 * must neither mark a trigger as being sent nor overwrite the new holder's record. The one
 * exception (`ARGV[5]` = `sending`): the former holder's answer to a trigger it did send, which
 * is written while the record still says `sending`: it is the run the new holder is searching for.
 * Returns 1 (written, lock held), 2 (the answer, written without the lock) or 0 (not written).
 */
const RECORD_IF_LOCKED = `
if redis.call('GET', KEYS[2]) == ARGV[1] then
  redis.call('HSET', KEYS[1], 'data', ARGV[2])
  redis.call('SET', KEYS[2], ARGV[1], 'PX', ARGV[3])
  redis.call('SREM', KEYS[3], ARGV[4])
  return 1
end
if ARGV[5] ~= 'sending' then return 0 end
local current = redis.call('HGET', KEYS[1], 'data')
if not current or cjson.decode(current).step ~= 'sending' then return 0 end
redis.call('HSET', KEYS[1], 'data', ARGV[2])
return 2`;

/**
 * Takes back a worker's own `sending` mark (ARGV[1] its sendId) for a trigger it never sent,
 * whoever holds the job now: the mark can be written after all where its worker was told it was
 * not. ioredis sends a command again after a reconnect when the outage cut off its answer, so the
 * first of two identical writes may have gone through while the lock still held and the second
 * found it lapsed. Returns 1 when the mark was taken back, 0 when the record moved on.
 */
const TAKE_BACK_MARK = `
local current = redis.call('HGET', KEYS[1], 'data')
if not current then return 0 end
local data = cjson.decode(current)
if data.step ~= 'sending' or data.sendId ~= ARGV[1] then return 0 end
redis.call('HSET', KEYS[1], 'data', ARGV[2])
return 1`;

/** Between two reads of a taken-over job's record while its former holder may still settle it. */
const SETTLE_POLL_MS = 250;

/**
 * A worker of a queue of runs (see enqueueRuns): triggers each run exactly once, waits for it with
 * every run it holds, and completes the job with the run that succeeded, or fails it (not retried)
 * with the outcome: a run that failed or was canceled, a trigger left unconfirmed, an error.
 */
export function createRunWorker(options: RunWorkerOptions): RunWorker {
  const connection =
    typeof options.connection === 'string'
      ? new Redis(options.connection, { maxRetriesPerRequest: null })
      : new Redis({ ...options.connection, maxRetriesPerRequest: null });
  // BullMQ reports an outage through the worker's 'error' event; this client's is not news.
  connection.on('error', () => {});
  const ownBudget = options.rateBudget === undefined;
  const rateBudget = options.rateBudget ?? createRedisRateBudget({ redis: connection });

  const providers = new Map<string, JobProvider>();
  const descriptors = options.providers ?? (defaultProviders as readonly AnyJobProviderDescriptor[]);
  const names = new Set(descriptors.map((descriptor) => descriptor.name));
  const shared: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(options.settings ?? {})) if (!names.has(key)) shared[key] = value;
  for (const descriptor of descriptors) {
    const own = options.settings?.[descriptor.name] as Record<string, unknown> | undefined;
    providers.set(descriptor.name, descriptor.create({ ...shared, ...own }) as JobProvider);
    // Triggers take their token from the same budget as the waits.
    setRateBudget(descriptor.name, rateBudget);
    const configured = options.requestsPerMinute?.[descriptor.name];
    if (configured !== undefined) setRequestBudget(descriptor.name, configured);
    else if (requestBudget(descriptor.name) === undefined)
      setRequestBudget(descriptor.name, descriptor.rateLimit?.requestsPerMinute);
  }

  const wait = options.wait ?? {};
  const pollIntervalMs = wait.pollIntervalMs ?? 1_000;
  // As long as the longest poll: while runs keep arriving (the trigger phase), each job's list is
  // read about once per regroup, no more often than a steady fleet reads it.
  const regroupMs = options.regroupMs ?? Math.max(pollIntervalMs, wait.maxPollIntervalMs ?? 30_000);
  const pool = new RunWaitPool(
    {
      ...wait,
      rateBudget,
      ...(options.requestsPerMinute ? { requestsPerMinute: options.requestsPerMinute } : {}),
    },
    regroupMs,
  );
  const lockDuration = options.lockDurationMs ?? 30_000;
  const slots = new Map<string, Slots>();
  const triggerSlots = (provider: string): Slots => {
    let entry = slots.get(provider);
    if (!entry) {
      entry = new Slots(options.triggerConcurrency ?? 8);
      slots.set(provider, entry);
    }
    return entry;
  };

  /**
   * Writes the job's record while this worker holds the job (see RECORD_IF_LOCKED); without a
   * token (a job processed outside BullMQ's lock) it just writes it.
   */
  async function record(
    job: Job<RunJobData, RunOutcome>,
    token: string | undefined,
    data: RunJobData,
    unlessMovedOnFrom?: 'sending',
  ): Promise<0 | 1 | 2> {
    if (token === undefined) {
      await job.updateData(data);
      return 1;
    }
    const jobKey = worker.toKey(job.id as string);
    const written = (await connection.eval(
      RECORD_IF_LOCKED,
      3,
      jobKey,
      `${jobKey}:lock`,
      worker.toKey('stalled'),
      token,
      JSON.stringify(data),
      lockDuration,
      job.id as string,
      unlessMovedOnFrom ?? '',
    )) as 0 | 1 | 2;
    if (written !== 0) job.data = data;
    return written;
  }

  /** Takes back this worker's `sending` mark of a trigger it did not send (see TAKE_BACK_MARK). */
  async function takeBackMark(job: Job<RunJobData, RunOutcome>, mark: RunJobData): Promise<void> {
    const unsent: RunJobData = { ...mark, step: undefined, sendId: undefined };
    await connection
      .eval(TAKE_BACK_MARK, 1, worker.toKey(job.id as string), mark.sendId ?? '', JSON.stringify(unsent))
      .catch(() => {});
  }

  /** The job's record as Redis has it now. */
  async function readRecord(job: Job<RunJobData, RunOutcome>): Promise<RunJobData | undefined> {
    return (await Job.fromId<RunJobData, RunOutcome>(worker, job.id as string))?.data;
  }

  /**
   * The record of a job taken over in the middle of a trigger, once its former holder has settled
   * it — recorded the run it got, or taken back a mark of a trigger it never sent — or `undefined`
   * when it still carries the same mark a lock duration later (its holder is gone, or its trigger
   * is still on the wire).
   */
  async function settledByFormerHolder(
    job: Job<RunJobData, RunOutcome>,
    mark: RunJobData,
  ): Promise<RunJobData | undefined> {
    const deadline = Date.now() + lockDuration;
    for (;;) {
      const now = await readRecord(job);
      if (now && !(now.step === 'sending' && now.sendId === mark.sendId)) return now;
      if (Date.now() >= deadline) return undefined;
      await delay(SETTLE_POLL_MS, undefined);
    }
  }

  /** Ends the job with `outcome`: kept on the job (if it is still this worker's), and no retry. */
  async function end(
    job: Job<RunJobData, RunOutcome>,
    token: string | undefined,
    data: RunJobData,
    outcome: RunOutcome,
  ): Promise<RunOutcome> {
    if (outcome.outcome === 'succeeded') return outcome;
    await record(job, token, { ...data, step: 'done', outcome });
    throw new UnrecoverableError(describeOutcome(outcome));
  }

  /** A token for the trigger, waiting out a Redis outage (nothing is sent without one). */
  async function takeToken(provider: string, origin: string | undefined): Promise<void> {
    for (;;) {
      try {
        await acquireRequest(provider, origin ?? '');
        return;
      } catch (error) {
        if (!RateBudgetUnavailableError.isInstance(error)) throw error;
      }
    }
  }

  async function process(job: Job<RunJobData, RunOutcome>, token?: string): Promise<RunOutcome> {
    let data = job.data;
    if (data.step === 'done' && data.outcome) return end(job, token, data, data.outcome);
    const provider = providers.get(data.request.provider);
    if (!provider) {
      return end(job, token, data, {
        outcome: 'error',
        error: {
          name: 'ConfigError',
          message: `This worker has no provider "${data.request.provider}"; pass its descriptor in \`providers\`.`,
        },
      });
    }

    if (data.step === 'sending') {
      // Taken over from a worker that died or lost the job with the trigger in flight: search
      // first, never send blindly. What the search does not settle, the former holder may: it
      // records the run its trigger got, even without the lock (see RECORD_IF_LOCKED), or takes
      // back its mark of a trigger it never sent (see TAKE_BACK_MARK); it is given one lock
      // duration to, then the search runs again. A provider with proof whose search shows no run
      // carrying it (the trigger never got out) is sent again with the same proof; without proof
      // the job ends unconfirmed.
      const prepared = data.prepared ?? { request: data.request };
      const mark = data;
      const find = async (): Promise<JobRun> => {
        if (!provider.findPreparedRun) throw new Error('the provider cannot search for a lost trigger');
        return provider.findPreparedRun(prepared, { sentAt: mark.sentAt ?? Date.now(), endedAt: Date.now() });
      };
      let found: JobRun | undefined;
      try {
        found = await find();
      } catch {
        // Settled: the record is processed as it now stands (a run to wait on, a trigger to send).
        const settled = await settledByFormerHolder(job, mark);
        if (settled) return process(Object.assign(job, { data: settled }), token);
        try {
          found = await find();
        } catch (again) {
          if (!provenUnsent(again, prepared)) return end(job, token, data, failedTrigger(again));
          data = { ...data, step: undefined };
        }
      }
      if (found) {
        data = waitingOn(data, found);
        await record(job, token, data);
      }
    }

    if (data.step === undefined) {
      let failure: RunOutcome | undefined;
      let prepared = data.prepared;
      if (!prepared) {
        try {
          prepared = (await provider.prepareTrigger?.(data.request)) ?? { request: data.request };
        } catch (error) {
          return end(job, token, data, { outcome: 'error', error: errorRecord(error) });
        }
      }
      let run: JobRun | undefined;
      // One trigger at a time per slot: a worker holding thousands of runs sends at most
      // `triggerConcurrency` per provider at once, as the waits do.
      await triggerSlots(provider.provider).run(async () => {
        for (let resend = 0; ; resend++) {
          await takeToken(provider.provider, prepared.origin);
          // Recorded before anything is sent: from here on, no worker sends this trigger blindly.
          // A trigger sent again keeps its first window, so a later search covers both sends.
          // Recorded only while this worker holds the job: a lock that lapsed while Redis was
          // away leaves the job to another worker, unsent and not marked as being sent.
          const sending: RunJobData = {
            ...data,
            step: 'sending',
            prepared,
            sentAt: data.sentAt ?? Date.now(),
            sendId: randomUUID(),
          };
          let marked: 0 | 1 | 2 = 0;
          try {
            marked = await record(job, token, sending);
          } finally {
            // Not sent, and said so on the job in case the mark got written all the same.
            if (marked !== 1) await takeBackMark(job, sending);
          }
          if (marked !== 1) {
            throw new Error('the job lock was lost before the trigger was sent; the job is handed on unsent');
          }
          data = sending;
          try {
            run = provider.triggerPrepared
              ? await provider.triggerPrepared(prepared)
              : await provider.triggerJob(prepared.request);
            return;
          } catch (error) {
            // A lost answer whose proof search found no run (a reset before the provider read
            // the request): proven unsent, so sent again, with the same proof.
            if (resend < MAX_RESENDS && provenUnsent(error, prepared)) {
              await delay(RESEND_DELAY_MS * (resend + 1), undefined);
              continue;
            }
            failure = failedTrigger(error);
            return;
          }
        }
      });
      if (!run) return end(job, token, data, failure as RunOutcome);
      data = waitingOn(data, run);
      // The run is recorded even where the job was handed on meanwhile, as long as its record
      // still says `sending`: the worker holding it now is searching for this very run.
      // A job handed on is left to its new holder (this worker's later writes would be refused).
      if ((await record(job, token, data, 'sending')) !== 1) {
        throw new Error(
          `the job lock was lost while the trigger was in flight; its run ${run.id} is left to the job's next holder`,
        );
      }
      if (isTerminal(run.status)) return end(job, token, data, waitOutcome({ run } as FleetResult));
    }

    const ref = data.ref;
    if (!ref)
      return end(job, token, data, {
        outcome: 'error',
        error: { name: 'Error', message: 'the job has no run to wait for' },
      });
    let result: FleetResult;
    try {
      let latest = data;
      result = await pool.wait(
        provider,
        { ref, status: data.status, providerStatus: data.providerStatus },
        (run) => {
          latest = { ...latest, ref: run.ref, status: run.status, providerStatus: run.providerStatus };
          // The last status, so a worker taking over goes on from it; a lost write costs one read.
          void record(job, token, latest).catch(() => {});
        },
      );
      data = latest;
    } catch (error) {
      if (error instanceof PoolClosedError && token !== undefined) {
        // Closing: the job goes back to the queue, its record intact.
        await job.moveToWait(token);
        throw new WaitingError();
      }
      throw error;
    }
    return end(job, token, data, waitOutcome(result));
  }

  const worker = new Worker<RunJobData, RunOutcome>(options.queueName ?? DEFAULT_QUEUE_NAME, process, {
    connection,
    concurrency: options.concurrency ?? 100,
    lockDuration,
    stalledInterval: options.stalledIntervalMs ?? 30_000,
    maxStalledCount: options.maxStalledCount ?? 5,
    ...(options.prefix === undefined ? {} : { prefix: options.prefix }),
  });

  // The batch's jobs read through the worker's own connection and keys.
  const readJob = (jobId: string) =>
    Job.fromId(worker, jobId) as Promise<Job<RunJobData, RunOutcome> | undefined>;

  return {
    worker,
    batchStatus: (batchId) => readBatchStatus(readJob, batchId),
    batchResults: (batchId, resultsOptions) => readBatchResults(readJob, batchId, resultsOptions),
    async close() {
      const closing = worker.close();
      await pool.close();
      await closing;
      if (ownBudget) await (rateBudget as { close?: () => Promise<void> }).close?.();
      await connection.quit().catch(() => connection.disconnect());
    },
  };
}
