import { AnyJobError } from './any-job-error.js';

/** One way a request (or a response) breaks the provider's spec or anyjob's rules. */
export interface ValidationIssue {
  /** Where the bad value is, from the request root, e.g. `body.inputs[0].name` or `path.run_id`. */
  path: string;
  /** The rule it breaks, e.g. `required`, `type`, `enum`, `maxLength`, `pattern`. */
  rule: string;
  /** A sentence saying what is wrong and what is allowed. Never contains credentials or the value. */
  message: string;
}

interface IssueDetails {
  provider?: string;
  operation?: string;
  issues?: readonly ValidationIssue[];
  cause?: unknown;
}

/** The request breaks the provider's spec; raised by client-side validation before any network call. */
export class InvalidRequestError extends AnyJobError {
  static override readonly errorName: string = 'InvalidRequestError';
  readonly provider: string | undefined;
  readonly operation: string | undefined;
  readonly issues: readonly ValidationIssue[];

  constructor(message: string, details: IssueDetails = {}) {
    super(message, { cause: details.cause });
    this.provider = details.provider;
    this.operation = details.operation;
    this.issues = details.issues ?? [];
  }
}

/** A 2xx response body does not match the provider's spec: the provider's API drifted from it. */
export class ResponseValidationError extends AnyJobError {
  static override readonly errorName: string = 'ResponseValidationError';
  readonly provider: string;
  readonly operation: string;
  readonly issues: readonly ValidationIssue[];

  constructor(
    message: string,
    details: { provider: string; operation: string; issues: readonly ValidationIssue[] },
  ) {
    super(message);
    this.provider = details.provider;
    this.operation = details.operation;
    this.issues = details.issues;
  }
}

/** The provider's API has no way to do this (e.g. cancel a run where there is no cancel endpoint). Raised without a request. */
export class UnsupportedOperationError extends AnyJobError {
  static override readonly errorName: string = 'UnsupportedOperationError';
  readonly provider: string;
  readonly operation: string;

  constructor(message: string, details: { provider: string; operation: string }) {
    super(message);
    this.provider = details.provider;
    this.operation = details.operation;
  }
}
