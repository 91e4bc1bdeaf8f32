// Small helpers the adapters use to reject bad trigger requests before any network call. Each
// issue names the field and says how to fix it.
import { InvalidRequestError, type ValidationIssue } from './errors.js';

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

export function isNonEmptyString(value: unknown): value is string {
  return typeof value === 'string' && value.trim() !== '';
}

/** Flags fields the request type does not have (usually a typo such as `applicationID`). */
export function unknownFieldIssues(
  request: Record<string, unknown>,
  allowed: readonly string[],
): ValidationIssue[] {
  return Object.keys(request)
    .filter((key) => !allowed.includes(key))
    .map((key) => ({
      path: key,
      rule: 'unknown',
      message: `\`${key}\` is not a field of this request; allowed fields are ${allowed.map((k) => `\`${k}\``).join(', ')}.`,
    }));
}

/** Throws one InvalidRequestError listing every issue, or returns when there is none. */
export function throwIfInvalid(
  provider: string,
  operation: string,
  issues: readonly ValidationIssue[],
): void {
  if (issues.length === 0) return;
  const list = issues.map((issue) => issue.message).join(' ');
  throw new InvalidRequestError(`Invalid ${provider} ${operation} request: ${list}`, {
    provider,
    operation,
    issues,
  });
}
