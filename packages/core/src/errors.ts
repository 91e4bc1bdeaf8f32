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
    options: { provider?: string; operation?: string; issues?: readonly ValidationIssue[]; cause?: unknown } = {},
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
