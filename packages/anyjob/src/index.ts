// `anyjob`: trigger, read, wait for, cancel and list runs on any provider through one interface.
import type { CallOptions, FleetResult, FleetWatch, ListOptions } from '@anyjob/core';
import { createAnyJob } from './anyjob.js';
import type {
  AnyJob,
  DefaultProvider,
  JobRef,
  JobRun,
  ListQuery,
  RunFor,
  RunPromise,
  TriggerRequest,
  WaitInput,
  WaitManyOptions,
  WaitOptions,
} from './types.js';

let defaultInstance: AnyJob<DefaultProvider> | undefined;

// Created on the first call, never at import: importing anyjob reads no env and opens no socket.
function instance(): AnyJob<DefaultProvider> {
  defaultInstance ??= createAnyJob();
  return defaultInstance;
}

/** Starts a run with settings from the environment (see README). */
export function triggerJob<R extends TriggerRequest>(
  request: R,
  options?: CallOptions,
): RunPromise<RunFor<R>> {
  return instance().triggerJob(request, options);
}

/** Reads a run's current state. */
export function getJobRun<R extends JobRun | JobRef>(run: R, options?: CallOptions): RunPromise<RunFor<R>> {
  return instance().getJobRun(run, options);
}

/** Polls until the run is final; resolves when it succeeded, throws JobFailedError and friends otherwise. */
export function waitForJob<R extends JobRun | JobRef>(run: R, options?: WaitOptions): RunPromise<RunFor<R>> {
  return instance().waitForJob(run, options);
}

/** Asks the provider to stop the run. */
export function cancelJob<R extends JobRun | JobRef>(run: R, options?: CallOptions): RunPromise<RunFor<R>> {
  return instance().cancelJob(run, options);
}

/** Every run of a job, newest first where the provider can sort, read one page at a time. */
export function listJobRuns<Q extends ListQuery>(query: Q, options?: ListOptions): AsyncIterable<RunFor<Q>> {
  return instance().listJobRuns(query, options);
}

/** Waits for many runs with batched polling; one result per run, in input order. */
export function waitForJobs(
  runs: readonly WaitInput[],
  options?: WaitManyOptions,
): Promise<FleetResult<JobRun>[]> {
  return instance().waitForJobs(runs, options);
}

/** Waits for many runs as an async iterable of updates; `state()` is plain JSON to resume from. */
export function watchJobs(runs: readonly WaitInput[], options?: WaitManyOptions): FleetWatch<JobRun> {
  return instance().watchJobs(runs, options);
}

export {
  AbortError,
  AnyJobError,
  type AnyJobProviderDescriptor,
  ApiError,
  AuthenticationError,
  BadRequestError,
  type CallOptions,
  type CliFlag,
  ConfigError,
  ConflictError,
  ConnectionError,
  defineJobProvider,
  type FleetResult,
  type FleetState,
  type FleetWatch,
  InternalServerError,
  InvalidRequestError,
  isSucceeded,
  isTerminal,
  isUnsuccessful,
  JobCanceledError,
  JobFailedError,
  type JobProvider,
  type JobProviderDescriptor,
  type JobStatus,
  type ListOptions,
  type Logger,
  type LogLevel,
  mapStatus,
  NotFoundError,
  PermissionDeniedError,
  type ProviderCli,
  type RateBudget,
  RateBudgetUnavailableError,
  RateLimitError,
  RedirectError,
  ResponseTooLargeError,
  ResponseValidationError,
  type RetrySettings,
  responseOf,
  TimeoutError,
  TriggerUnconfirmedError,
  UnprocessableEntityError,
  UnsupportedOperationError,
  type ValidationIssue,
  WaitTimeoutError,
  type WatchUpdate,
} from '@anyjob/core';
export { composeAnyJob, createAnyJob, type ProviderInput } from './anyjob.js';
export * from './providers.js';
export { defaultProviders } from './registry.js';
export type {
  AnyJob,
  AnyJobConfig,
  DefaultProvider,
  JobRef,
  JobRun,
  ListQuery,
  ProviderName,
  RunFor,
  RunPromise,
  SettingsOf,
  SharedSettings,
  TriggerRequest,
  WaitInput,
  WaitManyOptions,
  WaitOptions,
} from './types.js';
