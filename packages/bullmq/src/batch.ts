// A batch of runs on a BullMQ queue: one job per request (enqueueRuns), its progress counted by
// status (batchStatus), and its results as they come (batchResults). A batch's jobs are named by
// the batch id and the request's position, so enqueueing the same batch again (after a crash of
// the process enqueueing it) adds nothing twice, and a batch is read without an index of its own.
import { InvalidRequestError } from '@anyjob/core';
import { delay } from '@anyjob/core/internal';
import { type Job, Queue } from 'bullmq';
import { Redis, type RedisOptions } from 'ioredis';
import { DEFAULT_QUEUE_NAME, RUN_JOB_NAME, type RunJobData, type RunOutcome, runJobId } from './run-job.js';

/** enqueueRuns' options. */
export interface EnqueueRunsOptions {
  /** Names the batch: batchStatus and batchResults read it by this id. No `:` (BullMQ's rule). */
  batchId: string;
}

/** A trigger request in the facade's words: `{ provider: 'kognitos', agentId, processId, … }`. */
export type RunRequest = { provider: string } & Record<string, unknown>;

function invalid(operation: string, path: string, message: string): InvalidRequestError {
  return new InvalidRequestError(message, { operation, issues: [{ path, rule: 'type', message }] });
}

function checkBatchId(batchId: unknown, operation: string): string {
  if (typeof batchId !== 'string' || batchId.length === 0 || batchId.includes(':')) {
    throw invalid(
      operation,
      'batchId',
      '`batchId` must be a non-empty string without `:` (BullMQ job ids cannot hold one), e.g. `nightly-2026-12-06`.',
    );
  }
  return batchId;
}

/**
 * Adds one BullMQ job per request to `queue` (a queue createRunWorker's workers read), in one
 * round trip. The requests are checked for a `provider` before anything is added; each provider
 * checks the rest when a worker prepares the trigger. Enqueueing a batch again adds only the jobs
 * it does not have yet.
 */
export async function enqueueRuns(
  queue: Queue,
  requests: readonly RunRequest[],
  options: EnqueueRunsOptions,
): Promise<{ batchId: string; jobIds: string[] }> {
  const batchId = checkBatchId(options?.batchId, 'enqueueRuns');
  if (!Array.isArray(requests))
    throw invalid('enqueueRuns', 'requests', '`requests` must be an array of trigger requests.');
  requests.forEach((request, index) => {
    if (typeof request !== 'object' || request === null || typeof request.provider !== 'string')
      throw invalid(
        'enqueueRuns',
        `requests[${index}].provider`,
        `requests[${index}] has no \`provider\`: each request names the provider it triggers, as triggerJob takes it.`,
      );
  });
  const jobs = requests.map((request, index) => {
    const jobId = runJobId(batchId, index);
    const data: RunJobData = { batchId, index, batchSize: requests.length, request };
    // One attempt: an outcome is final, and a worker that dies leaves the job to the stalled-job
    // check, which hands it to another worker without counting an attempt.
    return { name: RUN_JOB_NAME, data, opts: { jobId, attempts: 1 } };
  });
  await queue.addBulk(jobs);
  return { batchId, jobIds: jobs.map((job) => job.opts.jobId) };
}

/** Where a batch stands: its runs counted by status. */
export interface BatchStatus {
  batchId: string;
  total: number;
  /**
   * Runs by where they stand: `waiting` (not taken by a worker yet), `sending`, a run status while
   * it is waited for (`queued`, `running`, …), or the outcome it ended with (`succeeded`, `failed`,
   * `canceled`, `timed_out`, `unconfirmed`, `error`).
   */
  counts: Record<string, number>;
  /** Every run has ended. */
  done: boolean;
}

/** One request's end, as batchResults delivers it. */
export type BatchResult = RunOutcome & {
  /** The request's position in the batch. */
  index: number;
  jobId: string;
  request: RunRequest;
};

/** The outcome of a finished job; undefined while it is not finished. */
function outcomeOf(job: Job<RunJobData, RunOutcome>): RunOutcome | undefined {
  if (!job.finishedOn) return undefined;
  if (job.returnvalue && typeof job.returnvalue === 'object' && 'outcome' in job.returnvalue)
    return job.returnvalue;
  if (job.data.outcome) return job.data.outcome;
  // Failed by BullMQ itself (stalled too often, a worker's crash in its own code).
  return { outcome: 'error', error: { name: 'Error', message: job.failedReason || 'the job failed' } };
}

/** Reads one job of the queue by id: a Queue's getJob, or a worker's own read (Job.fromId). */
type ReadJob = (jobId: string) => Promise<Job<RunJobData, RunOutcome> | undefined>;

function queueReader(queue: Queue): ReadJob {
  return (jobId) => queue.getJob(jobId) as Promise<Job<RunJobData, RunOutcome> | undefined>;
}

async function batchSize(read: ReadJob, batchId: string): Promise<number> {
  return (await read(runJobId(batchId, 0)))?.data.batchSize ?? 0;
}

/** Reads the jobs with these indexes (all requests go out at once: one connection, pipelined). */
function readJobs(
  read: ReadJob,
  batchId: string,
  indexes: readonly number[],
): Promise<(Job<RunJobData, RunOutcome> | undefined)[]> {
  return Promise.all(indexes.map((index) => read(runJobId(batchId, index))));
}

/** @internal batchStatus on any way of reading the queue's jobs. */
export async function readBatchStatus(read: ReadJob, batchId: string): Promise<BatchStatus> {
  checkBatchId(batchId, 'batchStatus');
  const total = await batchSize(read, batchId);
  const jobs = await readJobs(
    read,
    batchId,
    Array.from({ length: total }, (_, index) => index),
  );
  const counts: Record<string, number> = {};
  let ended = 0;
  for (const job of jobs) {
    let key = 'waiting';
    const outcome = job ? outcomeOf(job) : undefined;
    if (outcome) {
      key = outcome.outcome;
      ended++;
    } else if (job?.data.step === 'sending') key = 'sending';
    else if (job?.data.step === 'waiting') key = job.data.status ?? 'unknown';
    counts[key] = (counts[key] ?? 0) + 1;
  }
  return { batchId, total, counts, done: ended === total };
}

/** Counts a batch's runs by where they stand (see BatchStatus). */
export function batchStatus(queue: Queue, batchId: string): Promise<BatchStatus> {
  return readBatchStatus(queueReader(queue), batchId);
}

/** batchResults' options. */
export interface BatchResultsOptions {
  /** Between two looks at the runs not delivered yet, in ms. Default 1 000. */
  pollIntervalMs?: number;
  /** Stops the iteration (AbortError). */
  signal?: AbortSignal;
}

/**
 * The results of a batch as its runs end, each once, until every run has ended. It reads the
 * jobs not delivered yet every `pollIntervalMs` (BullMQ's event stream is trimmed and a Redis
 * restart loses what it held; the jobs themselves do not go away).
 */
export function batchResults(
  queue: Queue,
  batchId: string,
  options: BatchResultsOptions = {},
): AsyncIterable<BatchResult> {
  return readBatchResults(queueReader(queue), batchId, options);
}

/** @internal batchResults on any way of reading the queue's jobs. */
export function readBatchResults(
  read: ReadJob,
  batchId: string,
  options: BatchResultsOptions = {},
): AsyncIterable<BatchResult> {
  checkBatchId(batchId, 'batchResults');
  const interval = options.pollIntervalMs ?? 1_000;
  return {
    async *[Symbol.asyncIterator]() {
      const total = await batchSize(read, batchId);
      let left = Array.from({ length: total }, (_, index) => index);
      while (left.length > 0) {
        const jobs = await readJobs(read, batchId, left);
        const still: number[] = [];
        for (let i = 0; i < left.length; i++) {
          const job = jobs[i];
          const outcome = job ? outcomeOf(job) : undefined;
          if (!job || !outcome) {
            still.push(left[i]);
            continue;
          }
          yield {
            ...outcome,
            index: left[i],
            jobId: job.id as string,
            request: job.data.request as RunRequest,
          };
        }
        left = still;
        if (left.length > 0) await delay(interval, options.signal);
      }
    },
  };
}

/**
 * A batch's progress and results, read by batch id alone: the queue is the reader's. A worker is
 * one too (RunWorker.batchStatus and batchResults); createBatchReader makes one where no worker
 * runs (the process that enqueued the batch, a dashboard).
 */
export interface BatchReader {
  /** Counts the batch's runs by where they stand. */
  batchStatus(batchId: string): Promise<BatchStatus>;
  /** Each of the batch's results once, as its run ends, until every run has ended. */
  batchResults(batchId: string, options?: BatchResultsOptions): AsyncIterable<BatchResult>;
}

/** createBatchReader's options: the queue the workers read. */
export interface BatchReaderOptions {
  /** The Redis of the queue (ioredis options or a `redis://` URL); the reader opens its own client. */
  connection: RedisOptions | string;
  /** The queue's name. Default `anyjob-runs` (the workers' default). */
  queueName?: string;
  /** BullMQ's key prefix. Default BullMQ's (`bull`). */
  prefix?: string;
}

/** A BatchReader on its own connection; `close()` ends it. */
export function createBatchReader(options: BatchReaderOptions): BatchReader & { close(): Promise<void> } {
  const connection =
    typeof options.connection === 'string'
      ? new Redis(options.connection, { maxRetriesPerRequest: null })
      : new Redis({ ...options.connection, maxRetriesPerRequest: null });
  const queue = new Queue(options.queueName ?? DEFAULT_QUEUE_NAME, {
    connection,
    ...(options.prefix === undefined ? {} : { prefix: options.prefix }),
  });
  const read = queueReader(queue);
  return {
    batchStatus: (batchId) => readBatchStatus(read, batchId),
    batchResults: (batchId, resultsOptions) => readBatchResults(read, batchId, resultsOptions),
    async close() {
      await queue.close();
      await connection.quit().catch(() => connection.disconnect());
    },
  };
}
