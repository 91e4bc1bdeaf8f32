// @anyjob/core: what users and provider authors need — the provider contract, the neutral run
// status, the errors, and the settings types. Helpers only provider packages use are in
// `@anyjob/core/internal`.
export type {
  ConformanceCheck,
  ConformanceFinding,
  ConformanceFindingKind,
  ConformanceModule,
  ConformanceReport,
  ProviderConformance,
} from './conformance/report.js';
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
  InternalServerError,
  InvalidRequestError,
  JobCanceledError,
  JobFailedError,
  NotFoundError,
  PermissionDeniedError,
  RateBudgetUnavailableError,
  RateLimitError,
  type Reconciliation,
  RedirectError,
  ResponseTooLargeError,
  ResponseValidationError,
  type RunSummary,
  TimeoutError,
  type TriggerUnconfirmedDetails,
  TriggerUnconfirmedError,
  UnprocessableEntityError,
  UnsupportedOperationError,
  type ValidationIssue,
  WaitTimeoutError,
} from './errors/index.js';
export { type CliFlagSpec, cliFlags, cliFlagsFrom } from './job/cli-flags.js';
export type { ContractOperationIds, ProviderContract, RunIdType } from './job/contract-v2.js';
export type {
  FakeAnswer,
  FakeOperation,
  FakeQuery,
  FakeRequestContext,
  FakeRunHandle,
  FakeRunView,
  FakeSchema,
  ProviderFake,
  ProviderFakeModule,
  ProviderTesting,
} from './job/fake.js';
// The engines the facade runs on, for any JobProvider: waiting for one run or many, and listing.
export {
  Fleet,
  type FleetInput,
  type FleetOptions,
  type FleetResult,
  type FleetState,
  type FleetWatch,
  type WatchUpdate,
  waitForRuns,
  watchRuns,
} from './job/fleet.js';
export type { IdempotencySpec } from './job/idempotency.js';
export { listRuns, type Page, paginate } from './job/list.js';
export {
  type LinkPagination,
  type OffsetPagination,
  type PageAnswer,
  type PagePagination,
  type PageParams,
  type PaginationContext,
  type PaginationSpec,
  paginateOperation,
  type ReadPage,
  type TokenPagination,
} from './job/pagination.js';
export {
  type AnyJobProviderDescriptor,
  type CallOptions,
  type CliFlag,
  type CommonProviderSettings,
  defineJobProvider,
  type JobProvider,
  type JobProviderDefinition,
  type JobProviderDescriptor,
  type JobProviderDescriptorV2,
  type JobProviderImplementation,
  type JobProviderModule,
  type JobRefBase,
  type JobRun,
  type ListOptions,
  type PreparedTrigger,
  type ProviderCli,
  type ProviderEnv,
  type RefShape,
  type RetrySettings,
  type RunPage,
  refOf,
  SPECIFICATION_VERSION,
  SPECIFICATION_VERSIONS,
  type SpecificationVersion,
} from './job/provider.js';
export type { TriggerWindow } from './job/reconcile.js';
export { type RefFields, type RefFieldTest, refChecker, refFieldIssues, refGroup } from './job/ref-fields.js';
export { responseOf } from './job/response.js';
export {
  type CombinedStatusSpec,
  type FieldStatusSpec,
  type MappedStatusSpec,
  type RunStatus,
  readRunStatus,
  type StatusSpec,
} from './job/run-status.js';
export {
  isJobStatus,
  isSucceeded,
  isTerminal,
  isUnsuccessful,
  JOB_STATUSES,
  type JobStatus,
  mapStatus,
  type StatusTable,
} from './job/status.js';
export type { TriggerAnswerSpec } from './job/trigger-answer.js';
export { WAIT_DEFAULTS, type WaitOptions } from './job/wait.js';
export type { Logger, LogLevel, LogSettings } from './transport/logger.js';
export {
  createLocalRateBudget,
  type RateBudget,
  type RateBudgetTakeOptions,
  rateBudgetKey,
  type TokenBucketShape,
  tokenBucketShape,
} from './transport/rate-budget.js';
export { RETRY_DEFAULTS, type SideEffect } from './transport/retry-policy.js';
export { inSpan, type SpanHandle } from './transport/tracing.js';
