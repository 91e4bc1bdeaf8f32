// @anyjob/bullmq: anyjob beyond one process, on BullMQ and Redis. Batches of runs as BullMQ jobs
// (enqueueRuns), workers that trigger each run exactly once across crashes and wait for all they
// hold through one fleet (createRunWorker), a batch's progress and results (batchStatus,
// batchResults; by batch id alone on a worker or a createBatchReader), and the request budget
// every worker on a provider account shares.
export {
  type BatchReader,
  type BatchReaderOptions,
  type BatchResult,
  type BatchResultsOptions,
  type BatchStatus,
  batchResults,
  batchStatus,
  createBatchReader,
  type EnqueueRunsOptions,
  enqueueRuns,
  type RunRequest,
} from './batch.js';
export {
  createRedisRateBudget,
  type RedisRateBudget,
  type RedisRateBudgetOptions,
} from './redis-rate-budget.js';
export {
  DEFAULT_QUEUE_NAME,
  type ErrorRecord,
  RUN_JOB_NAME,
  type RunJobData,
  type RunOutcome,
  type RunStep,
  runJobId,
  type UnconfirmedRecord,
} from './run-job.js';
export {
  createRunWorker,
  type RunWaitOptions,
  type RunWorker,
  type RunWorkerOptions,
} from './worker.js';
