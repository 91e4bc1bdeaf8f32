// Small helpers the adapters use to reject bad trigger requests before any network call. Each
// issue names the field and says how to fix it.
import { InvalidRequestError, type ValidationIssue } from '../errors/index.js';

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

function describeBadValue(value: unknown): string | undefined {
  switch (typeof value) {
    case 'function':
      return 'a function';
    case 'symbol':
      return 'a symbol';
    case 'bigint':
      return 'a bigint (JSON has no such numbers; pass a number or a string)';
    case 'number':
      return Number.isFinite(value) ? undefined : `${value} (JSON has no such numbers)`;
    default:
      return undefined;
  }
}

/**
 * Issues for what JSON cannot carry faithfully, at any depth of `value`: functions, symbols,
 * bigints, non-finite numbers, `undefined` items, class instances other than Date (a Map would
 * silently become `{}`) and circular references. Keys such as `__proto__` are plain data here and
 * are sent as they are.
 */
export function jsonValueIssues(value: unknown, path: string): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  const onPath = new Set<object>();
  const visit = (current: unknown, at: string, inArray: boolean): void => {
    const bad = describeBadValue(current);
    if (bad !== undefined) {
      issues.push({ path: at, rule: 'json', message: `\`${at}\` is ${bad}, which JSON cannot send.` });
      return;
    }
    if (current === undefined && inArray) {
      issues.push({
        path: at,
        rule: 'json',
        message: `\`${at}\` is undefined, which JSON sends as null; pass null or leave the item out.`,
      });
      return;
    }
    if (typeof current !== 'object' || current === null || current instanceof Date) return;
    if (onPath.has(current)) {
      issues.push({
        path: at,
        rule: 'json',
        message: `\`${at}\` refers back to an object that contains it (a circular reference), which JSON cannot send.`,
      });
      return;
    }
    if (!Array.isArray(current) && !isPlainObject(current)) {
      issues.push({
        path: at,
        rule: 'json',
        message: `\`${at}\` is a ${current.constructor?.name ?? 'class'} instance; pass plain objects, arrays, strings, numbers, booleans or null.`,
      });
      return;
    }
    onPath.add(current);
    if (Array.isArray(current)) {
      current.forEach((item, index) => {
        visit(item, `${at}[${index}]`, true);
      });
    } else {
      for (const key of Object.keys(current))
        visit((current as Record<string, unknown>)[key], `${at}.${key}`, false);
    }
    onPath.delete(current);
  };
  visit(value, path, false);
  return issues;
}
