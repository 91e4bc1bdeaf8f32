export {
  AbortError,
  AnyJobError,
  ApiError,
  type ApiErrorDetails,
  AuthenticationError,
  BadRequestError,
  ConfigError,
  ConflictError,
  ConnectionError,
  createApiError,
  InternalServerError,
  InvalidRequestError,
  JobCanceledError,
  JobFailedError,
  NotFoundError,
  PermissionDeniedError,
  RateLimitError,
  ResponseValidationError,
  TimeoutError,
  UnprocessableEntityError,
  UnsupportedOperationError,
  type ValidationIssue,
  WaitTimeoutError,
} from './errors.js';
export { type FieldNames, facadePath, validateAsFacade } from './facade-issues.js';
export {
  type AttemptOutcome,
  backoffDelayMs,
  callOperation,
  connectionErrorCode,
  mergeSendOptions,
  type OperationInfo,
  parseRetryAfterMs,
  RETRY_DEFAULTS,
  ResponseScope,
  type SendOptions,
  type SideEffect,
  sendOptionsFrom,
  sendWithRetry,
  shouldRetry,
} from './http.js';
export {
  type CallOptions,
  type JobProvider,
  type JobRefBase,
  type JobRun,
  type RetrySettings,
  refOf,
} from './provider.js';
export {
  type CommonClientSettings,
  createProviderClient,
  type ProviderClientOptions,
} from './provider-client.js';
export { isNonEmptyString, isPlainObject, throwIfInvalid, unknownFieldIssues } from './request-checks.js';
export {
  type FieldCheck,
  fieldCheck,
  fieldIssues,
  responseObject,
  type SdkResult,
  throwIfResponseIssues,
} from './response-checks.js';
export {
  loadApiKey,
  loadOptionalSetting,
  loadSetting,
  normalizeBaseUrl,
  type SettingSource,
} from './settings.js';
export {
  isSucceeded,
  isTerminal,
  isUnsuccessful,
  type JobStatus,
  mapStatus,
  type ProviderName,
  STATUS_TABLE,
} from './status.js';
export {
  assertValidRequest,
  checkRequest,
  checkSchema,
  installValidation,
  type OperationSchemas,
  type OperationTable,
  type RequestParts,
  type RequestRule,
  type StandardSchema,
  type ValidationSettings,
  withRequestRules,
} from './validation.js';
export { isTransientPollError, pollUntilTerminal, WAIT_DEFAULTS, type WaitOptions } from './wait.js';
