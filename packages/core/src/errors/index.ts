export { AnyJobError, ConfigError } from './any-job-error.js';
export {
  ApiError,
  type ApiErrorDetails,
  AuthenticationError,
  BadRequestError,
  ConflictError,
  InternalServerError,
  isRateLimitAnswer,
  NotFoundError,
  PermissionDeniedError,
  RateLimitError,
  UnprocessableEntityError,
} from './api-error.js';
export {
  JobCanceledError,
  JobFailedError,
  type Reconciliation,
  type RunSummary,
  type TriggerUnconfirmedDetails,
  TriggerUnconfirmedError,
  WaitTimeoutError,
} from './job-errors.js';
export {
  AbortError,
  ConnectionError,
  RateBudgetUnavailableError,
  RedirectError,
  ResponseTooLargeError,
  TimeoutError,
} from './transport-errors.js';
export {
  InvalidRequestError,
  ResponseValidationError,
  UnsupportedOperationError,
  type ValidationIssue,
} from './validation-errors.js';
