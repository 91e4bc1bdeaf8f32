// The adapter reads a few fields of each 2xx body. A host that answers 200 with a web page (a base
// URL pointing at the web UI) or an API that drifted from its spec must give a
// ResponseValidationError naming the operation and the field, not a TypeError from inside the
// mapping. Messages say what was expected and what type arrived, never the value: a body can echo
// anything, secrets included.
import { ResponseValidationError, type ValidationIssue } from '../errors/index.js';
import { isPlainObject } from './request-checks.js';

/** A test a field must pass, and what the message says it must be. */
export type FieldCheck = readonly [test: (value: unknown) => boolean, expected: string];

/**
 * Checks of the response fields a provider reads, shaped like the generated response type `T`: a
 * FieldCheck per field, or nested checks for an object field. Keyed by `T`'s fields, so a spec
 * change that renames a field the provider reads fails the typecheck here.
 */
export type FieldChecks<T> = {
  readonly [K in keyof T]?: FieldCheck | FieldChecks<NonNullable<T[K]>>;
};

/** The checks providers use with fieldIssues. */
export const fieldCheck = {
  nonEmptyString: [(value) => typeof value === 'string' && value !== '', 'a non-empty string'],
  string: [(value) => typeof value === 'string', 'a string'],
  optionalString: [
    (value) => value === undefined || value === null || typeof value === 'string',
    'a string or absent',
  ],
  object: [isPlainObject, 'an object'],
} as const satisfies Record<string, FieldCheck>;

function typeName(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return 'text';
  if (typeof value === 'object') return isPlainObject(value) ? 'an object' : 'a body that is not JSON';
  return `a ${typeof value}`;
}

/** An issue for each field of `body` (found at `root`) that fails its check; nested checks need an object. */
export function fieldIssues<T>(
  body: Record<string, unknown>,
  root: string,
  checks: FieldChecks<T>,
): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  for (const [name, check] of Object.entries(checks) as [string, FieldCheck | FieldChecks<unknown>][]) {
    const value = body[name];
    const path = `${root}.${name}`;
    if (Array.isArray(check)) {
      const [test, expected] = check as unknown as FieldCheck;
      if (test(value)) continue;
      issues.push({
        path,
        rule: value === undefined ? 'required' : 'type',
        message: `must be ${expected}, got ${typeName(value)}`,
      });
    } else if (isPlainObject(value)) {
      issues.push(...fieldIssues(value, path, check as FieldChecks<unknown>));
    } else {
      issues.push({
        path,
        rule: value === undefined ? 'required' : 'type',
        message: `must be an object, got ${typeName(value)}`,
      });
    }
  }
  return issues;
}

/** What the generated SDK returns: the parsed body and the response it came from. */
export interface SdkResult {
  data: unknown;
  response?: Response;
  /** Redacts the request's credentials from what is quoted of the response (its content type). */
  redactor?: { text(text: string): string };
}

/**
 * The body as an object. hey-api parses by content type, so a `text/html` page arrives as a
 * string and a body without a content type as an unread stream; both are refused here.
 */
export function responseObject(
  provider: string,
  operation: string,
  result: SdkResult,
): Record<string, unknown> {
  const { data, response } = result;
  if (isPlainObject(data)) return data;
  // An unread body would hold the connection open until garbage collection.
  if (response && !response.bodyUsed) response.body?.cancel().catch(() => {});
  const mediaType = response?.headers.get('content-type')?.split(';')[0]?.trim().slice(0, 60);
  // A header is text the server chose: quoted only redacted, like the body.
  const contentType = mediaType && result.redactor ? result.redactor.text(mediaType) : mediaType;
  const status = response ? `HTTP ${response.status} with ` : '';
  throw new ResponseValidationError(
    `${provider} ${operation} answered ${status}${typeName(data)}${contentType ? ` (${contentType})` : ''} instead of a JSON object; check that the base URL points at the ${provider} API, not a web page or proxy.`,
    {
      provider,
      operation,
      issues: [{ path: 'response', rule: 'type', message: `must be a JSON object, got ${typeName(data)}` }],
    },
  );
}

/** Throws a ResponseValidationError listing `issues`, or returns when there is none. */
export function throwIfResponseIssues(
  provider: string,
  operation: string,
  issues: readonly ValidationIssue[],
): void {
  if (issues.length === 0) return;
  const list = issues.map((issue) => `${issue.path}: ${issue.message}`).join('; ');
  throw new ResponseValidationError(
    `${provider} ${operation} returned a response without the fields anyjob reads: ${list}.`,
    { provider, operation, issues },
  );
}

/** ResponseValidationError when a get answered another run than the one asked for. */
export function checkSameRun(
  provider: string,
  operation: string,
  path: string,
  asked: string,
  got: unknown,
): void {
  if (got === asked) return;
  throwIfResponseIssues(provider, operation, [
    { path, rule: 'const', message: `must be the run that was asked for (${asked}), got another run` },
  ]);
}
