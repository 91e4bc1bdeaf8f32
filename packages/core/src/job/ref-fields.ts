// A stored ref checked from a small schema (its string fields, required or not) rather than by
// hand in each provider. Data, not a validator library: the check runs in the descriptor entry,
// which every facade bundle carries.
import type { ValidationIssue } from '../errors/index.js';
import { isNonEmptyString, throwIfInvalid } from '../validation/request-checks.js';
import type { JobRefBase } from './provider.js';

/** A ref's string fields: `required` ones must be non-empty strings, `optional` ones absent or so. */
export type RefFields = Readonly<Record<string, 'required' | 'optional'>>;

const PASS_THE_REF = 'pass the `ref` (or JobRun) that triggerJob returned.';

/** The issues of `ref` against its fields (`origin` is always optional). */
export function refFieldIssues(ref: unknown, fields: RefFields): ValidationIssue[] {
  const record = (typeof ref === 'object' && ref !== null ? ref : {}) as Record<string, unknown>;
  const issues: ValidationIssue[] = [];
  for (const [field, presence] of Object.entries({ ...fields, origin: 'optional' })) {
    const value = record[field];
    if (presence === 'required' && !isNonEmptyString(value)) {
      const message = `The run reference has no \`${field}\`; ${PASS_THE_REF}`;
      issues.push({ path: `ref.${field}`, rule: 'required', message });
    } else if (presence === 'optional' && value !== undefined && !isNonEmptyString(value)) {
      const message = `The run reference's \`${field}\` must be a non-empty string.`;
      issues.push({ path: `ref.${field}`, rule: 'required', message });
    }
  }
  return issues;
}

/**
 * A RefShape's `check` from the ref's fields: InvalidRequestError naming the field and the fix,
 * before any request. Reports the first issue, as a caller fixes one ref at a time. Pure, so a
 * bundle that drops the descriptor drops its check (and the lazy import beside it).
 */
/* @__NO_SIDE_EFFECTS__ */
export function refChecker<Ref extends JobRefBase>(
  provider: string,
  fields: RefFields,
): (ref: unknown, operation: string) => Ref {
  return (ref, operation) => {
    throwIfInvalid(provider, operation, refFieldIssues(ref, fields).slice(0, 1));
    return ref as Ref;
  };
}
