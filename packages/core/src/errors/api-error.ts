// HTTP error answers. `ApiError.generate` is the one place that picks the class for a status
// (openai-node's APIError.generate); every status class is one line.
import { AnyJobError } from './any-job-error.js';

export interface ApiErrorDetails {
  provider: string;
  operation: string;
  status: number;
  /** The parsed JSON error body, else its text; at most 64 KiB of it is kept (see ApiError.body). */
  body?: unknown;
  /** Response headers (lower-case names), with any echoed credential redacted. */
  headers?: Record<string, string>;
  /** The provider's request id, when it sends one (`x-request-id` and similar). */
  requestId?: string;
  /** How long the server asked to wait before retrying, from `retry-after-ms` / `Retry-After`. */
  retryAfterMs?: number;
}

/** The provider answered with an HTTP error status. Subclasses name the common statuses. */
export class ApiError extends AnyJobError {
  static override readonly errorName: string = 'ApiError';
  readonly provider: string;
  readonly operation: string;
  readonly status: number;
  /**
   * The error body: parsed JSON, else text. A body over 64 KiB is kept as its first 64 KiB of
   * text followed by a `…[truncated: N bytes]` marker.
   */
  readonly body: unknown;
  readonly headers: Record<string, string>;
  readonly requestId: string | undefined;
  /** How long the server asked to wait before retrying, when it said. */
  readonly retryAfterMs: number | undefined;

  constructor(message: string, details: ApiErrorDetails) {
    super(message);
    this.provider = details.provider;
    this.operation = details.operation;
    this.status = details.status;
    this.body = details.body;
    this.headers = details.headers ?? {};
    this.requestId = details.requestId;
    this.retryAfterMs = details.retryAfterMs;
  }

  /**
   * The ApiError subclass for `details.status`, with a message naming provider and operation. A
   * 403 whose headers say it is a rate limit (isRateLimitAnswer) is a RateLimitError.
   */
  static generate(details: ApiErrorDetails): ApiError {
    const ErrorClass = isRateLimitAnswer(details.status, new Headers(details.headers))
      ? RateLimitError
      : (STATUS_CLASSES[details.status] ?? (details.status >= 500 ? InternalServerError : ApiError));
    return new ErrorClass(messageOf(details), details);
  }
}

/** 400: the provider rejected the request as malformed. */
export class BadRequestError extends ApiError {
  static override readonly errorName: string = 'BadRequestError';
}
/** 401: the API key is missing, wrong or expired. */
export class AuthenticationError extends ApiError {
  static override readonly errorName: string = 'AuthenticationError';
}
/** 403: the key is valid but may not do this (some gateways also answer 403 for a bad key). */
export class PermissionDeniedError extends ApiError {
  static override readonly errorName: string = 'PermissionDeniedError';
}
/** 404: the job, run, flow, agent or process does not exist (or this key cannot see it). */
export class NotFoundError extends ApiError {
  static override readonly errorName: string = 'NotFoundError';
}
/** 409: the resource is in a state that conflicts with the request. */
export class ConflictError extends ApiError {
  static override readonly errorName: string = 'ConflictError';
}
/** 422: the provider validated the request and rejected it. */
export class UnprocessableEntityError extends ApiError {
  static override readonly errorName: string = 'UnprocessableEntityError';
}
/**
 * 429, or a 403 that says it is a rate limit (isRateLimitAnswer): too many requests.
 * `retryAfterMs` is the wait the server asked for, when it said; `status` is the answer's own.
 */
export class RateLimitError extends ApiError {
  static override readonly errorName: string = 'RateLimitError';
}
/** ≥500: the provider failed. */
export class InternalServerError extends ApiError {
  static override readonly errorName: string = 'InternalServerError';
}

/**
 * Whether an error answer is a rate limit: a 429, or a 403 whose headers say so — a spent quota
 * (`x-ratelimit-remaining: 0`, until `x-ratelimit-reset`) or a request to wait (`retry-after`).
 * Some APIs answer their rate limits with 403 (GitHub's primary and secondary limits); such an
 * answer is retried, paused and reported like a 429, never as a permission problem.
 */
export function isRateLimitAnswer(status: number, headers: Headers): boolean {
  if (status === 429) return true;
  return (
    status === 403 && (headers.get('x-ratelimit-remaining')?.trim() === '0' || headers.has('retry-after'))
  );
}

const STATUS_CLASSES: Readonly<Record<number, typeof ApiError>> = {
  400: BadRequestError,
  401: AuthenticationError,
  403: PermissionDeniedError,
  404: NotFoundError,
  409: ConflictError,
  422: UnprocessableEntityError,
  429: RateLimitError,
};

function bodyMessage(body: unknown): string | undefined {
  if (typeof body === 'string') return body.trim() || undefined;
  if (typeof body !== 'object' || body === null) return undefined;
  // The common shapes: `message` (most APIs), `error` (a string), `detail`.
  const record = body as Record<string, unknown>;
  for (const key of ['message', 'error', 'detail']) {
    if (typeof record[key] === 'string' && record[key]) return record[key] as string;
  }
  return undefined;
}

function messageOf(details: ApiErrorDetails): string {
  const said = bodyMessage(details.body);
  return `${details.provider} ${details.operation} failed with HTTP ${details.status}${
    said ? `: ${said.length > 300 ? `${said.slice(0, 300)}…` : said}` : ''
  }${details.requestId ? ` (request id ${details.requestId})` : ''}`;
}
