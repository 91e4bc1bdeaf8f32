// Requests that got no usable answer: never reached the provider, took too long, were aborted,
// were redirected away, or answered with more than anyjob will read.
import { AnyJobError } from './any-job-error.js';

interface OperationDetails {
  provider: string;
  operation: string;
}

/** The request never got an HTTP answer: DNS, refused or reset connection, TLS. */
export class ConnectionError extends AnyJobError {
  static override readonly errorName: string = 'ConnectionError';
  readonly provider: string;
  readonly operation: string;
  /** The system error code when known, e.g. `ECONNREFUSED`. */
  readonly code: string | undefined;
  /** True when the connection failed before any of the request was sent (refused, DNS): the provider cannot have acted on it. */
  readonly beforeSend: boolean;

  constructor(
    message: string,
    details: OperationDetails & { code?: string; beforeSend?: boolean; cause?: unknown },
  ) {
    super(message, { cause: details.cause });
    this.provider = details.provider;
    this.operation = details.operation;
    this.code = details.code;
    this.beforeSend = details.beforeSend ?? false;
  }
}

/** One request took longer than its timeout (`timeoutMs`), reading the body included. */
export class TimeoutError extends AnyJobError {
  static override readonly errorName: string = 'TimeoutError';
  readonly provider: string;
  readonly operation: string;
  readonly timeoutMs: number;

  constructor(message: string, details: OperationDetails & { timeoutMs: number }) {
    super(message);
    this.provider = details.provider;
    this.operation = details.operation;
    this.timeoutMs = details.timeoutMs;
  }
}

/**
 * The caller's AbortSignal fired. Named `AbortError` like the platform's, so code that checks
 * `error.name === 'AbortError'` keeps working; the signal's reason is the `cause`.
 */
export class AbortError extends AnyJobError {
  static override readonly errorName: string = 'AbortError';

  constructor(message = 'The operation was aborted.', options?: { cause?: unknown }) {
    super(message, options);
  }
}

/**
 * The provider redirected a request to another origin. anyjob does not follow it: the request
 * carries the API key, and a redirect must not send it to a host the caller did not configure.
 */
export class RedirectError extends AnyJobError {
  static override readonly errorName: string = 'RedirectError';
  readonly provider: string;
  readonly operation: string;
  readonly status: number;
  /** The origin the configured base URL points at. */
  readonly fromOrigin: string;
  /** The origin the `Location` header named (not its path or query, which may hold tokens). */
  readonly toOrigin: string;

  constructor(
    message: string,
    details: OperationDetails & { status: number; fromOrigin: string; toOrigin: string },
  ) {
    super(message);
    this.provider = details.provider;
    this.operation = details.operation;
    this.status = details.status;
    this.fromOrigin = details.fromOrigin;
    this.toOrigin = details.toOrigin;
  }
}

/**
 * A response body (after decompression) was larger than `maxResponseBytes`. Reading stopped at
 * the limit and the connection was released.
 */
export class ResponseTooLargeError extends AnyJobError {
  static override readonly errorName: string = 'ResponseTooLargeError';
  readonly provider: string;
  readonly operation: string;
  /** The HTTP status of the answer whose body was too large. */
  readonly status: number;
  readonly limitBytes: number;
  /** How many (decompressed) bytes were read before giving up: at most the limit plus one chunk. */
  readonly bytesRead: number;

  constructor(
    message: string,
    details: OperationDetails & { status: number; limitBytes: number; bytesRead: number },
  ) {
    super(message);
    this.provider = details.provider;
    this.operation = details.operation;
    this.status = details.status;
    this.limitBytes = details.limitBytes;
    this.bytesRead = details.bytesRead;
  }
}

/**
 * A shared request budget (a `RateBudget` kept outside the process, e.g. in Redis) could not be
 * reached in time, so no request was sent: a budget that cannot be checked is not spent blindly.
 * Transient: a wait reads the run again later, as after a connection error.
 */
export class RateBudgetUnavailableError extends AnyJobError {
  static override readonly errorName: string = 'RateBudgetUnavailableError';
  /** The budget's key (provider and origin, never a credential). */
  readonly key: string;
  /** How long the budget was tried before giving up. */
  readonly waitedMs: number;

  constructor(message: string, details: { key: string; waitedMs: number; cause?: unknown }) {
    super(message, { cause: details.cause });
    this.key = details.key;
    this.waitedMs = details.waitedMs;
  }
}
