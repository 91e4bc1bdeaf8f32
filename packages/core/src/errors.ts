// Every error anyjob throws extends AnyJobError. Each class carries a global-symbol marker so that
// `X.isInstance(error)` works across duplicated copies of this package (two versions in one
// bundle, realms), where `instanceof` would not.

function hasMarker(error: unknown, marker: symbol): boolean {
  return typeof error === 'object' && error !== null && (error as Record<symbol, unknown>)[marker] === true;
}

const anyJobErrorMarker = Symbol.for('anyjob.error.AnyJobError');

export class AnyJobError extends Error {
  // biome-ignore lint/correctness/noUnusedPrivateClassMembers: read through the global symbol by isInstance
  private readonly [anyJobErrorMarker] = true;

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'AnyJobError';
  }

  static isInstance(error: unknown): error is AnyJobError {
    return hasMarker(error, anyJobErrorMarker);
  }
}

const configErrorMarker = Symbol.for('anyjob.error.ConfigError');

/** A setting is missing or malformed: an API key, a base URL, a region. Raised before any request. */
export class ConfigError extends AnyJobError {
  // biome-ignore lint/correctness/noUnusedPrivateClassMembers: read through the global symbol by isInstance
  private readonly [configErrorMarker] = true;

  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }

  static override isInstance(error: unknown): error is ConfigError {
    return hasMarker(error, configErrorMarker);
  }
}

/** One way a request breaks the provider's spec. */
export interface ValidationIssue {
  /** Where the bad value is, from the request root, e.g. `body.inputs[0].name` or `path.run_id`. */
  path: string;
  /** The rule it breaks, e.g. `required`, `type`, `enum`, `maxLength`, `pattern`. */
  rule: string;
  /** A sentence saying what is wrong and what is allowed. Never contains credentials. */
  message: string;
}

const invalidRequestErrorMarker = Symbol.for('anyjob.error.InvalidRequestError');

/** The request breaks the provider's spec; raised by client-side validation before any network call. */
export class InvalidRequestError extends AnyJobError {
  // biome-ignore lint/correctness/noUnusedPrivateClassMembers: read through the global symbol by isInstance
  private readonly [invalidRequestErrorMarker] = true;
  readonly provider: string | undefined;
  readonly operation: string | undefined;
  readonly issues: readonly ValidationIssue[];

  constructor(
    message: string,
    options: {
      provider?: string;
      operation?: string;
      issues?: readonly ValidationIssue[];
      cause?: unknown;
    } = {},
  ) {
    super(message, { cause: options.cause });
    this.name = 'InvalidRequestError';
    this.provider = options.provider;
    this.operation = options.operation;
    this.issues = options.issues ?? [];
  }

  static override isInstance(error: unknown): error is InvalidRequestError {
    return hasMarker(error, invalidRequestErrorMarker);
  }
}

// ---------------------------------------------------------------------------------------------
// Errors raised while talking to a provider. None of them holds the request, so the API key a
// request carried can never reach a message, a property or JSON.stringify(error); response text is
// additionally redacted by the fetch layer (see http.ts) in case a server echoes the key back.

const apiErrorMarker = Symbol.for('anyjob.error.ApiError');

export interface ApiErrorDetails {
  provider: string;
  operation: string;
  status: number;
  /** Parsed JSON body, else the text; `undefined` when empty. */
  body?: unknown;
  /** Response headers (lower-case names). */
  headers?: Record<string, string>;
  /** The provider's request id, when it sends one (`x-request-id` and similar). */
  requestId?: string;
  /** How long the server asked to wait before retrying, from `retry-after-ms` / `Retry-After`. */
  retryAfterMs?: number;
}

/** The provider answered with an HTTP error status. Subclasses name the common statuses. */
export class ApiError extends AnyJobError {
  // biome-ignore lint/correctness/noUnusedPrivateClassMembers: read through the global symbol by isInstance
  private readonly [apiErrorMarker] = true;
  readonly provider: string;
  readonly operation: string;
  readonly status: number;
  readonly body: unknown;
  readonly headers: Record<string, string>;
  readonly requestId: string | undefined;

  constructor(message: string, details: ApiErrorDetails) {
    super(message);
    this.name = 'ApiError';
    this.provider = details.provider;
    this.operation = details.operation;
    this.status = details.status;
    this.body = details.body;
    this.headers = details.headers ?? {};
    this.requestId = details.requestId;
  }

  static override isInstance(error: unknown): error is ApiError {
    return hasMarker(error, apiErrorMarker);
  }
}

const badRequestErrorMarker = Symbol.for('anyjob.error.BadRequestError');

/** 400: the provider rejected the request as malformed. */
export class BadRequestError extends ApiError {
  // biome-ignore lint/correctness/noUnusedPrivateClassMembers: read through the global symbol by isInstance
  private readonly [badRequestErrorMarker] = true;

  constructor(message: string, details: ApiErrorDetails) {
    super(message, details);
    this.name = 'BadRequestError';
  }

  static override isInstance(error: unknown): error is BadRequestError {
    return hasMarker(error, badRequestErrorMarker);
  }
}

const authenticationErrorMarker = Symbol.for('anyjob.error.AuthenticationError');

/** 401: the API key is missing, wrong or expired. */
export class AuthenticationError extends ApiError {
  // biome-ignore lint/correctness/noUnusedPrivateClassMembers: read through the global symbol by isInstance
  private readonly [authenticationErrorMarker] = true;

  constructor(message: string, details: ApiErrorDetails) {
    super(message, details);
    this.name = 'AuthenticationError';
  }

  static override isInstance(error: unknown): error is AuthenticationError {
    return hasMarker(error, authenticationErrorMarker);
  }
}

const permissionDeniedErrorMarker = Symbol.for('anyjob.error.PermissionDeniedError');

/** 403: the key is valid but may not do this. */
export class PermissionDeniedError extends ApiError {
  // biome-ignore lint/correctness/noUnusedPrivateClassMembers: read through the global symbol by isInstance
  private readonly [permissionDeniedErrorMarker] = true;

  constructor(message: string, details: ApiErrorDetails) {
    super(message, details);
    this.name = 'PermissionDeniedError';
  }

  static override isInstance(error: unknown): error is PermissionDeniedError {
    return hasMarker(error, permissionDeniedErrorMarker);
  }
}

const notFoundErrorMarker = Symbol.for('anyjob.error.NotFoundError');

/** 404: the job, run, flow, agent or process does not exist (or this key cannot see it). */
export class NotFoundError extends ApiError {
  // biome-ignore lint/correctness/noUnusedPrivateClassMembers: read through the global symbol by isInstance
  private readonly [notFoundErrorMarker] = true;

  constructor(message: string, details: ApiErrorDetails) {
    super(message, details);
    this.name = 'NotFoundError';
  }

  static override isInstance(error: unknown): error is NotFoundError {
    return hasMarker(error, notFoundErrorMarker);
  }
}

const conflictErrorMarker = Symbol.for('anyjob.error.ConflictError');

/** 409: the resource is in a state that conflicts with the request. */
export class ConflictError extends ApiError {
  // biome-ignore lint/correctness/noUnusedPrivateClassMembers: read through the global symbol by isInstance
  private readonly [conflictErrorMarker] = true;

  constructor(message: string, details: ApiErrorDetails) {
    super(message, details);
    this.name = 'ConflictError';
  }

  static override isInstance(error: unknown): error is ConflictError {
    return hasMarker(error, conflictErrorMarker);
  }
}

const unprocessableEntityErrorMarker = Symbol.for('anyjob.error.UnprocessableEntityError');

/** 422: the provider validated the request and rejected it. */
export class UnprocessableEntityError extends ApiError {
  // biome-ignore lint/correctness/noUnusedPrivateClassMembers: read through the global symbol by isInstance
  private readonly [unprocessableEntityErrorMarker] = true;

  constructor(message: string, details: ApiErrorDetails) {
    super(message, details);
    this.name = 'UnprocessableEntityError';
  }

  static override isInstance(error: unknown): error is UnprocessableEntityError {
    return hasMarker(error, unprocessableEntityErrorMarker);
  }
}

const internalServerErrorMarker = Symbol.for('anyjob.error.InternalServerError');

/** ≥500: the provider failed. */
export class InternalServerError extends ApiError {
  // biome-ignore lint/correctness/noUnusedPrivateClassMembers: read through the global symbol by isInstance
  private readonly [internalServerErrorMarker] = true;

  constructor(message: string, details: ApiErrorDetails) {
    super(message, details);
    this.name = 'InternalServerError';
  }

  static override isInstance(error: unknown): error is InternalServerError {
    return hasMarker(error, internalServerErrorMarker);
  }
}

const rateLimitErrorMarker = Symbol.for('anyjob.error.RateLimitError');

/** 429: too many requests. `retryAfterMs` is the wait the server asked for, when it said. */
export class RateLimitError extends ApiError {
  // biome-ignore lint/correctness/noUnusedPrivateClassMembers: read through the global symbol by isInstance
  private readonly [rateLimitErrorMarker] = true;
  readonly retryAfterMs: number | undefined;

  constructor(message: string, details: ApiErrorDetails) {
    super(message, details);
    this.name = 'RateLimitError';
    this.retryAfterMs = details.retryAfterMs;
  }

  static override isInstance(error: unknown): error is RateLimitError {
    return hasMarker(error, rateLimitErrorMarker);
  }
}

function bodyMessage(body: unknown): string | undefined {
  if (typeof body === 'string') return body.trim() || undefined;
  if (typeof body !== 'object' || body === null) return undefined;
  // TrueFoundry and Kognitos say `message`, Runchat says `error`.
  const record = body as Record<string, unknown>;
  for (const key of ['message', 'error', 'detail']) {
    if (typeof record[key] === 'string' && record[key]) return record[key] as string;
  }
  return undefined;
}

/** Builds the ApiError subclass for a status, with a message that names provider and operation. */
export function createApiError(details: ApiErrorDetails): ApiError {
  const said = bodyMessage(details.body);
  const message = `${details.provider} ${details.operation} failed with HTTP ${details.status}${
    said ? `: ${said.length > 300 ? `${said.slice(0, 300)}…` : said}` : ''
  }${details.requestId ? ` (request id ${details.requestId})` : ''}`;
  const { status } = details;
  if (status === 429) return new RateLimitError(message, details);
  if (status >= 500) return new InternalServerError(message, details);
  const ErrorClass =
    status === 400
      ? BadRequestError
      : status === 401
        ? AuthenticationError
        : status === 403
          ? PermissionDeniedError
          : status === 404
            ? NotFoundError
            : status === 409
              ? ConflictError
              : status === 422
                ? UnprocessableEntityError
                : ApiError;
  return new ErrorClass(message, details);
}

const connectionErrorMarker = Symbol.for('anyjob.error.ConnectionError');

/** The request never got an HTTP answer: DNS, refused or reset connection, TLS. */
export class ConnectionError extends AnyJobError {
  // biome-ignore lint/correctness/noUnusedPrivateClassMembers: read through the global symbol by isInstance
  private readonly [connectionErrorMarker] = true;
  readonly provider: string;
  readonly operation: string;
  /** The system error code when known, e.g. `ECONNREFUSED`. */
  readonly code: string | undefined;

  constructor(
    message: string,
    options: { provider: string; operation: string; code?: string; cause?: unknown },
  ) {
    super(message, { cause: options.cause });
    this.name = 'ConnectionError';
    this.provider = options.provider;
    this.operation = options.operation;
    this.code = options.code;
  }

  static override isInstance(error: unknown): error is ConnectionError {
    return hasMarker(error, connectionErrorMarker);
  }
}

const timeoutErrorMarker = Symbol.for('anyjob.error.TimeoutError');

/** One request took longer than its timeout (`timeoutMs`). */
export class TimeoutError extends AnyJobError {
  // biome-ignore lint/correctness/noUnusedPrivateClassMembers: read through the global symbol by isInstance
  private readonly [timeoutErrorMarker] = true;
  readonly provider: string;
  readonly operation: string;
  readonly timeoutMs: number;

  constructor(message: string, options: { provider: string; operation: string; timeoutMs: number }) {
    super(message);
    this.name = 'TimeoutError';
    this.provider = options.provider;
    this.operation = options.operation;
    this.timeoutMs = options.timeoutMs;
  }

  static override isInstance(error: unknown): error is TimeoutError {
    return hasMarker(error, timeoutErrorMarker);
  }
}

const abortErrorMarker = Symbol.for('anyjob.error.AbortError');

/**
 * The caller's AbortSignal fired. Named `AbortError` like the platform's, so code that checks
 * `error.name === 'AbortError'` keeps working; the signal's reason is the `cause`.
 */
export class AbortError extends AnyJobError {
  // biome-ignore lint/correctness/noUnusedPrivateClassMembers: read through the global symbol by isInstance
  private readonly [abortErrorMarker] = true;

  constructor(message = 'The operation was aborted.', options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'AbortError';
  }

  static override isInstance(error: unknown): error is AbortError {
    return hasMarker(error, abortErrorMarker);
  }
}

const unsupportedOperationErrorMarker = Symbol.for('anyjob.error.UnsupportedOperationError');

/** The provider's API has no way to do this (e.g. cancel a Kognitos run). Raised without a request. */
export class UnsupportedOperationError extends AnyJobError {
  // biome-ignore lint/correctness/noUnusedPrivateClassMembers: read through the global symbol by isInstance
  private readonly [unsupportedOperationErrorMarker] = true;
  readonly provider: string;
  readonly operation: string;

  constructor(message: string, options: { provider: string; operation: string }) {
    super(message);
    this.name = 'UnsupportedOperationError';
    this.provider = options.provider;
    this.operation = options.operation;
  }

  static override isInstance(error: unknown): error is UnsupportedOperationError {
    return hasMarker(error, unsupportedOperationErrorMarker);
  }
}

/** The part of a JobRun the wait errors need; the full type lives in provider.ts. */
interface RunSummary {
  provider: string;
  id: string;
  status: string;
  providerStatus?: string;
  error?: string;
}

function describeRun(run: RunSummary): string {
  const status = run.providerStatus ? `${run.status} (${run.providerStatus})` : run.status;
  return `${run.provider} run ${run.id} is ${status}${run.error ? `: ${run.error}` : ''}`;
}

const jobFailedErrorMarker = Symbol.for('anyjob.error.JobFailedError');

/** waitForJob: the run ended as `failed` or `timed_out`. `run` is the last state seen. */
export class JobFailedError<Run extends RunSummary = RunSummary> extends AnyJobError {
  // biome-ignore lint/correctness/noUnusedPrivateClassMembers: read through the global symbol by isInstance
  private readonly [jobFailedErrorMarker] = true;
  readonly run: Run;

  constructor(run: Run) {
    super(describeRun(run));
    this.name = 'JobFailedError';
    this.run = run;
  }

  static override isInstance(error: unknown): error is JobFailedError {
    return hasMarker(error, jobFailedErrorMarker);
  }
}

const jobCanceledErrorMarker = Symbol.for('anyjob.error.JobCanceledError');

/** waitForJob: the run was canceled (TrueFoundry TERMINATED, Kognitos Cancelled). */
export class JobCanceledError<Run extends RunSummary = RunSummary> extends AnyJobError {
  // biome-ignore lint/correctness/noUnusedPrivateClassMembers: read through the global symbol by isInstance
  private readonly [jobCanceledErrorMarker] = true;
  readonly run: Run;

  constructor(run: Run) {
    super(describeRun(run));
    this.name = 'JobCanceledError';
    this.run = run;
  }

  static override isInstance(error: unknown): error is JobCanceledError {
    return hasMarker(error, jobCanceledErrorMarker);
  }
}

const waitTimeoutErrorMarker = Symbol.for('anyjob.error.WaitTimeoutError');

/** waitForJob: `timeoutMs` passed before the run reached a final status. The run keeps going. */
export class WaitTimeoutError<Run extends RunSummary = RunSummary> extends AnyJobError {
  // biome-ignore lint/correctness/noUnusedPrivateClassMembers: read through the global symbol by isInstance
  private readonly [waitTimeoutErrorMarker] = true;
  readonly run: Run;
  readonly timeoutMs: number;

  constructor(run: Run, timeoutMs: number) {
    super(`Gave up waiting after ${timeoutMs} ms; ${describeRun(run)} and keeps going.`);
    this.name = 'WaitTimeoutError';
    this.run = run;
    this.timeoutMs = timeoutMs;
  }

  static override isInstance(error: unknown): error is WaitTimeoutError {
    return hasMarker(error, waitTimeoutErrorMarker);
  }
}

const responseValidationErrorMarker = Symbol.for('anyjob.error.ResponseValidationError');

/** A 2xx response body does not match the provider's spec: the provider's API drifted from it. */
export class ResponseValidationError extends AnyJobError {
  // biome-ignore lint/correctness/noUnusedPrivateClassMembers: read through the global symbol by isInstance
  private readonly [responseValidationErrorMarker] = true;
  readonly provider: string;
  readonly operation: string;
  readonly issues: readonly ValidationIssue[];

  constructor(
    message: string,
    options: { provider: string; operation: string; issues: readonly ValidationIssue[] },
  ) {
    super(message);
    this.name = 'ResponseValidationError';
    this.provider = options.provider;
    this.operation = options.operation;
    this.issues = options.issues;
  }

  static override isInstance(error: unknown): error is ResponseValidationError {
    return hasMarker(error, responseValidationErrorMarker);
  }
}
