// A stored ref checked from a small schema (its fields, required or not, and how each is tested)
// rather than by hand in each provider. Data, not a validator library: the check runs in the
// descriptor entry, which every facade bundle carries.
import type { ValidationIssue } from '../errors/index.js';
import { isNonEmptyString, throwIfInvalid } from '../validation/request-checks.js';
import type { JobRefBase } from './provider.js';

/** A field's own test, and the issue it raises (its message from the field's path and value). */
export interface RefFieldTest {
  /** Tested when absent too (an absent optional field passes). */
  readonly required?: boolean;
  /** Whether the value is good. */
  readonly test: (value: unknown) => boolean;
  /** The issue's rule (`required`, `type`, `pattern`, `enum`). */
  readonly rule: string;
  /** The issue's message: what is wrong with the field at `path` (`ref.runId`) and the fix. */
  readonly message: (path: string, value: unknown) => string;
}

/**
 * A ref's fields: `required` ones must be non-empty strings, `optional` ones absent or so,
 * `string` ones absent or any string; or a test of the field's own. A key `a|b` requires one of
 * its fields as a non-empty string (a ref of two kinds of run), named at the first.
 */
export type RefFields = Readonly<Record<string, 'required' | 'optional' | 'string' | RefFieldTest>>;

const PASS_THE_REF = 'pass the `ref` (or JobRun) that triggerJob returned.';

const REQUIRED: RefFieldTest = {
  required: true,
  test: isNonEmptyString,
  rule: 'required',
  message: (path) => `The run reference has no \`${path.slice(4)}\`; ${PASS_THE_REF}`,
};
const OPTIONAL: RefFieldTest = {
  test: isNonEmptyString,
  rule: 'required',
  message: (path) => `The run reference's \`${path.slice(4)}\` must be a non-empty string.`,
};
const STRING: RefFieldTest = {
  test: (value) => typeof value === 'string',
  rule: 'type',
  message: (path) => `The run reference's \`${path.slice(4)}\` must be a string.`,
};
const NAMED = { required: REQUIRED, optional: OPTIONAL, string: STRING } as const;

/** The issues of `ref` against its fields (`origin` is optional unless the fields say otherwise). */
export function refFieldIssues(ref: unknown, fields: RefFields): ValidationIssue[] {
  const record = (typeof ref === 'object' && ref !== null ? ref : {}) as Record<string, unknown>;
  const issues: ValidationIssue[] = [];
  for (const [key, spec] of Object.entries({ ...fields, origin: fields.origin ?? 'optional' })) {
    const names = key.split('|');
    const path = `ref.${names[0]}`;
    if (names.length > 1) {
      if (names.some((name) => isNonEmptyString(record[name]))) continue;
      const message = `The run reference has neither ${names.map((name) => `\`${name}\``).join(' nor ')}; ${PASS_THE_REF}`;
      issues.push({ path, rule: 'required', message });
      continue;
    }
    const check = typeof spec === 'string' ? NAMED[spec] : spec;
    const value = record[key];
    if ((value !== undefined || check.required) && !check.test(value)) {
      issues.push({ path, rule: check.rule, message: check.message(path, value) });
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

/**
 * A RefShape's `group` from the ref fields that select a run list: runs whose refs agree on them
 * (and on their origin) are polled through one list of `{ provider, ...those fields }`; a ref
 * without one of them is read alone. Pure, like refChecker.
 */
/* @__NO_SIDE_EFFECTS__ */
export function refGroup<Ref extends JobRefBase, Query>(
  provider: string,
  fields: readonly (keyof Ref & string)[],
): (ref: Ref) => { key: string; query: Query } | undefined {
  return (ref) => {
    const values = fields.map((field) => ref[field]);
    if (values.some((value) => value === undefined)) return undefined;
    const query = Object.fromEntries([
      ['provider', provider],
      ...fields.map((field, i) => [field, values[i]]),
    ]);
    return { key: [ref.origin ?? '', ...values].join(' '), query: query as Query };
  };
}
