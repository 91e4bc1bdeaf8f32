// @anyjob/core/internal: the helpers provider packages and anyjob's own packages build on. Not for
// application code: these may change in any minor version.

export { definedFields } from './job/defined-fields.js';
export {
  idText,
  type JsonInteger,
  jsonInteger,
  parseJsonExact,
  readExactInteger,
  stringifyJson,
} from './job/exact-ids.js';
export {
  confirmIdempotentTrigger,
  IDEMPOTENT_SIDE_EFFECT,
  type IdempotentTrigger,
  idempotencyKey,
  type KeyedRequestParts,
  withIdempotencyKey,
} from './job/idempotency.js';
export { integerBody } from './job/integer-body.js';
export { outputsByName, type RunParts, toJobRun } from './job/job-run.js';
export {
  type ApiAnswer,
  createProviderApi,
  type OperationCall,
  type ProviderApi,
  type ProviderApiConfig,
  type SdkCallOptions,
  withAnswer,
} from './job/operation.js';
export { checkRefOrigin, originOf } from './job/origin.js';
export {
  operationPages,
  type PageParams,
  type PaginateOptions,
  readOperationPage,
} from './job/pagination.js';
export {
  type ProviderConnection,
  type ProviderSetup,
  type ProviderSetupConfig,
  setUpProvider,
} from './job/provider-setup.js';
export {
  type ConfirmedTrigger,
  confirmTrigger,
  findRecoveredRun,
  type LostTrigger,
  type RunMatches,
  type RunSearch,
  type TriggerWindow,
} from './job/reconcile.js';
export { attachResponse } from './job/response.js';
export {
  type RunOperation,
  type RunOperations,
  type RunOperationsConfig,
  runOperations,
} from './job/run-operations.js';
export { type RunScan, type SkewedWindow, scanRuns, skewedWindow } from './job/run-search.js';
export { type StatusSpecIssue, statusFields, statusSpecIssues } from './job/run-status.js';
export { sdkLister } from './job/sdk-lister.js';
export { paginateSdk, type SdkListOptions } from './job/sdk-pages.js';
export {
  runFromTriggerAnswer,
  type TriggerAnswer,
  type TriggerAnswerReader,
} from './job/trigger-answer.js';
export { unprovenTriggers } from './job/unproven-triggers.js';
export { unsupported } from './job/unsupported.js';
export { settingSource } from './setting-source.js';
export {
  apiKeyLoader,
  assertNotInBrowser,
  checkApiKey,
  isBrowser,
  loadApiKey,
  loadChoice,
  loadOptionalSetting,
  loadSetting,
  normalizeBaseUrl,
  type SettingSource,
  settingNames,
  whereToSet,
} from './settings.js';
export {
  checkHeaders,
  checkProviderSettings,
  MAX_RETRIES_LIMIT,
  type SettingsOwner,
} from './settings-checks.js';
export { readBodyLimited } from './transport/body.js';
export { callOperation, callWithClient, type SdkCallResult } from './transport/call-operation.js';
export { LevelLogger, resolveLogger } from './transport/logger.js';
export {
  acquireRequest,
  pauseProvider,
  requestBudget,
  setRateBudget,
  setRequestBudget,
} from './transport/pacing.js';
export {
  createProviderClient,
  type ProviderClientOptions,
  transportOf,
} from './transport/provider-client.js';
export { Redactor, secretSpellings, secretsOf } from './transport/redact.js';
export {
  type AttemptOutcome,
  backoffDelayMs,
  isTransientError,
  isUnknownTriggerOutcome,
  parseRetryAfterMs,
  rateLimitWaitMs,
  shouldRetry,
} from './transport/retry-policy.js';
export {
  connectionErrorCode,
  ERROR_BODY_KEEP_BYTES,
  mergeSendOptions,
  type OperationInfo,
  ResponseScope,
  requestIdOf,
  type SendOptions,
  sendOptionsFrom,
  sendWithRetry,
} from './transport/send.js';
export { checkDurations, delay, MAX_TIMER_MS } from './transport/timers.js';
export { loadTracer, startSpan } from './transport/tracing.js';
export { camelCase, camelFieldNames } from './validation/camel-field-names.js';
export { excludes } from './validation/excludes.js';
export { type FieldNames, facadePath, validateAsFacade } from './validation/facade-names.js';
export { forwardedCheck } from './validation/forwarded-check.js';
export { nonEmptyString } from './validation/non-empty-string.js';
export { objectsWithKey } from './validation/objects-with-key.js';
export { plainObjectField } from './validation/plain-object-field.js';
export {
  isNonEmptyString,
  isPlainObject,
  jsonValueIssues,
  throwIfInvalid,
  unknownFieldIssues,
} from './validation/request-checks.js';
export { jsonFieldIssues, parseRequest, requestSchemaIssues } from './validation/request-schema.js';
export { requiresOneOf } from './validation/requires-one-of.js';
export {
  checkSameRun,
  type FieldCheck,
  type FieldChecks,
  fieldCheck,
  fieldIssues,
  responseObject,
  type SdkResult,
  throwIfResponseIssues,
} from './validation/response-checks.js';
export {
  assertValidRequest,
  checkRequest,
  checkSchema,
  type OperationSchemas,
  type OperationTable,
  type RequestParts,
  type RequestRule,
  responseIssuesError,
  type StandardSchema,
  withRequestRules,
} from './validation/schemas.js';
export { snakeCaseFields } from './validation/snake-case-fields.js';
export { notTogether, schemaWhenSet } from './validation/spec-not-rules.js';
