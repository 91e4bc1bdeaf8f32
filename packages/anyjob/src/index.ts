// `anyjob`: trigger, read, wait for and cancel runs on Runchat, TrueFoundry and Kognitos.
import type { CallOptions } from '@anyjob/core';
import {
  type AnyJob,
  createAnyJob,
  type JobRef,
  type JobRun,
  type RunFor,
  type TriggerRequest,
  type WaitOptions,
} from './anyjob.js';

let defaultInstance: AnyJob | undefined;

// Created on the first call, never at import: importing anyjob reads no env and opens no socket.
function instance(): AnyJob {
  defaultInstance ??= createAnyJob();
  return defaultInstance;
}

/** Starts a run with settings from the environment (see README). */
export function triggerJob<R extends TriggerRequest>(request: R, options?: CallOptions): Promise<RunFor<R>> {
  return instance().triggerJob(request, options);
}

/** Reads a run's current state. */
export function getJobRun<R extends JobRun | JobRef>(run: R, options?: CallOptions): Promise<RunFor<R>> {
  return instance().getJobRun(run, options);
}

/** Polls until the run is final; resolves when it succeeded, throws JobFailedError and friends otherwise. */
export function waitForJob<R extends JobRun | JobRef>(run: R, options?: WaitOptions): Promise<RunFor<R>> {
  return instance().waitForJob(run, options);
}

/** Asks the provider to stop the run. */
export function cancelJob<R extends JobRun | JobRef>(run: R, options?: CallOptions): Promise<RunFor<R>> {
  return instance().cancelJob(run, options);
}

export {
  AbortError,
  AnyJobError,
  ApiError,
  AuthenticationError,
  BadRequestError,
  type CallOptions,
  ConfigError,
  ConflictError,
  ConnectionError,
  InternalServerError,
  InvalidRequestError,
  isSucceeded,
  isTerminal,
  isUnsuccessful,
  JobCanceledError,
  JobFailedError,
  type JobStatus,
  mapStatus,
  NotFoundError,
  PermissionDeniedError,
  type ProviderName,
  RateLimitError,
  ResponseValidationError,
  type RetrySettings,
  STATUS_TABLE,
  TimeoutError,
  UnprocessableEntityError,
  UnsupportedOperationError,
  type ValidationIssue,
  WaitTimeoutError,
} from '@anyjob/core';
export {
  createKognitos,
  type KognitosAdapterSettings,
  type KognitosJobRef,
  type KognitosJobRun,
  type KognitosTriggerRequest,
} from '@anyjob/kognitos';
export {
  createRunchat,
  type RunchatAdapterSettings,
  type RunchatFlowTriggerRequest,
  type RunchatJobRef,
  type RunchatJobRun,
  type RunchatJobTriggerRequest,
  type RunchatTriggerRequest,
} from '@anyjob/runchat';
export {
  createTrueFoundry,
  type TrueFoundryAdapterSettings,
  type TrueFoundryJobRef,
  type TrueFoundryJobRun,
  type TrueFoundryTriggerRequest,
} from '@anyjob/truefoundry';
export {
  type AnyJob,
  type AnyJobConfig,
  type AnyJobProviders,
  composeAnyJob,
  createAnyJob,
  type JobRef,
  type JobRun,
  type RunFor,
  type TriggerRequest,
  type WaitOptions,
} from './anyjob.js';
