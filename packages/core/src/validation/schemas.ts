// Client-side validation of requests (on by default) and responses (opt-in) against the schemas
// generated from each provider's spec. Providers hand their generated `operations` table to
// `createProviderClient`; the generated SDK functions then validate through the client's
// `requestValidator` hook, so every caller of those functions gets it.
//
// The schemas are used through Standard Schema (`~standard.validate`), so this module does not
// depend on the validator library; valibot's richer issues (`type`, `expected`, `requirement`)
// are read when present to name the broken rule.
import { InvalidRequestError, ResponseValidationError, type ValidationIssue } from '../errors/index.js';
import type { SideEffect } from '../transport/retry-policy.js';

/** The part of Standard Schema v1 (standardschema.dev) used here; valibot and zod schemas have it. */
export interface StandardSchema {
  readonly '~standard': { readonly validate: (value: unknown) => unknown };
}

/** One operation of a spec: its route and the schemas of its request parts and response bodies. */
export interface OperationSchemas {
  readonly method: string;
  /** URL template as in the spec, e.g. `/runs/{run_id}`; the SDK passes it unchanged as `url`. */
  readonly url: string;
  /** What repeating the operation does (the retry policy reads it): from `x-anyjob-side-effect`, else the method. */
  readonly sideEffect: SideEffect;
  readonly body?: StandardSchema;
  readonly bodyRequired?: boolean;
  readonly path?: StandardSchema;
  readonly query?: StandardSchema;
  /** Body of the documented 2xx responses. */
  readonly response?: StandardSchema;
  /** Body of each documented error status. */
  readonly errors: Readonly<Record<number, StandardSchema>>;
  /** Hand-written checks for spec rules the generated schemas cannot express (see RequestRule). */
  readonly rules?: readonly RequestRule[];
}

/**
 * A check of one spec rule the generated schemas leave out, written beside the provider's
 * validators: hey-api's valibot plugin drops `not`, so a rule such as "`command` and `params`
 * are mutually exclusive" must be stated by hand. Returns the issues (empty when the rule holds).
 */
export type RequestRule = (request: RequestParts) => ValidationIssue[];

/** `operations` with hand-written rules added to the named operations (the table is not mutated). */
export function withRequestRules<T extends OperationTable>(
  operations: T,
  rules: { readonly [K in keyof T]?: readonly RequestRule[] },
): T {
  const merged: Record<string, OperationSchemas> = { ...operations };
  for (const [operation, extra] of Object.entries(rules) as [string, readonly RequestRule[]][]) {
    const schemas = operations[operation];
    if (!schemas) throw new TypeError(`withRequestRules: no operation named ${operation}`);
    merged[operation] = { ...schemas, rules: [...(schemas.rules ?? []), ...extra] };
  }
  return merged as T;
}

export type OperationTable = Readonly<Record<string, OperationSchemas>>;

/** valibot's issue shape; Standard Schema only guarantees `message` and `path`. */
/** The digit-string form of an int64 in the generated validators. */
const INT64_TEXT = /^-?\d+$/;

interface RawIssue {
  message: string;
  path?: ReadonlyArray<PropertyKey | { key: PropertyKey }>;
  kind?: string;
  type?: string;
  expected?: string | null;
  received?: string;
  input?: unknown;
  requirement?: unknown;
}

const LENGTH_RULES: Record<string, [rule: string, bound: string]> = {
  max_length: ['maxLength', 'at most'],
  min_length: ['minLength', 'at least'],
};
const VALUE_RULES: Record<string, [rule: string, bound: string]> = {
  max_value: ['maximum', 'at most'],
  min_value: ['minimum', 'at least'],
};

function typeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

// Messages name the rule and what is allowed, never the offending value: it may be a secret.
function describe(issue: RawIssue, isArray: boolean): { rule: string; message: string } {
  const type = issue.type ?? '';
  if (issue.kind === 'schema' && issue.received === 'undefined' && issue.expected?.startsWith('"')) {
    return { rule: 'required', message: 'is required' };
  }
  if (type in LENGTH_RULES) {
    const [rule, bound] = LENGTH_RULES[type];
    return { rule, message: `must be ${bound} ${issue.requirement} ${isArray ? 'items' : 'characters'}` };
  }
  if (type in VALUE_RULES) {
    const [rule, bound] = VALUE_RULES[type];
    return { rule, message: `must be ${bound} ${issue.requirement}` };
  }
  // An int64 is accepted as a number or as its decimal digits (scripts/lib/validator-plugin.mjs):
  // text that is not digits is a value of the wrong type, not a pattern the caller should learn.
  if (type === 'regex' && String(issue.requirement) === String(INT64_TEXT)) {
    return { rule: 'type', message: 'must be an integer (a number, or its decimal digits as a string)' };
  }
  if (type === 'regex') return { rule: 'pattern', message: `must match the pattern ${issue.requirement}` };
  if (type === 'integer') return { rule: 'type', message: 'must be an integer' };
  if (type === 'picklist' || type === 'enum' || type === 'literal') {
    return { rule: 'enum', message: `must be one of ${issue.expected?.replace(/^\((.*)\)$/, '$1')}` };
  }
  if (issue.kind === 'schema') {
    // valibot's `received` quotes a string value itself; only its type is named here.
    return { rule: 'type', message: `must be ${issue.expected ?? type}, got ${typeOf(issue.input)}` };
  }
  if (issue.kind === 'validation' && type !== '')
    return { rule: 'format', message: `must be a valid ${type}` };
  return { rule: type || 'schema', message: issue.message };
}

function formatPath(root: string, path: RawIssue['path']): string {
  let out = root;
  for (const item of path ?? []) {
    const key = typeof item === 'object' && item !== null && 'key' in item ? item.key : item;
    out += typeof key === 'number' ? `[${key}]` : `.${String(key)}`;
  }
  return out;
}

/** Validates `value` with a Standard Schema and returns its issues (empty when valid), rooted at `root`. */
export function checkSchema(schema: StandardSchema, value: unknown, root: string): ValidationIssue[] {
  const result = schema['~standard'].validate(value) as { issues?: readonly RawIssue[] } | Promise<unknown>;
  if (result instanceof Promise) throw new TypeError('asynchronous schemas are not supported');
  const issues: ValidationIssue[] = [];
  for (const issue of result.issues ?? []) {
    const { rule, message } = describe(issue, Array.isArray((issue as { input?: unknown }).input));
    issues.push({ path: formatPath(root, issue.path), rule, message });
  }
  return issues;
}

export function summary(issues: readonly ValidationIssue[]): string {
  return issues.map((issue) => `${issue.path}: ${issue.message} (${issue.rule})`).join('; ');
}

/** The parts of an SDK call that are validated: what the generated functions take as options. */
export interface RequestParts {
  body?: unknown;
  path?: Record<string, unknown>;
  query?: Record<string, unknown>;
}

// The URL parser resolves `.` and `..` segments (also percent-encoded) and an empty segment
// changes the route, so such a path value would reach another endpoint.
function checkPathSegments(path: Record<string, unknown> | undefined, issues: ValidationIssue[]): void {
  if (!path) return;
  for (const name in path) {
    const value = path[name];
    if (value === '' || value === '.' || value === '..') {
      issues.push({
        path: `path.${name}`,
        rule: 'pathSegment',
        message: 'must not be empty, "." or ".." (the URL would address another resource)',
      });
    }
  }
}

/** Returns every way `request` breaks the operation's spec (empty when it is valid). */
export function checkRequest(schemas: OperationSchemas, request: RequestParts): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  if (schemas.body) {
    if (request.body === undefined) {
      if (schemas.bodyRequired) issues.push({ path: 'body', rule: 'required', message: 'is required' });
    } else {
      issues.push(...checkSchema(schemas.body, request.body, 'body'));
    }
  }
  if (schemas.path) issues.push(...checkSchema(schemas.path, request.path ?? {}, 'path'));
  checkPathSegments(request.path, issues);
  if (schemas.query) issues.push(...checkSchema(schemas.query, request.query ?? {}, 'query'));
  for (const rule of schemas.rules ?? []) issues.push(...rule(request));
  return issues;
}

/** Throws InvalidRequestError when `request` breaks the spec of `provider`'s `operation`. */
export function assertValidRequest(
  provider: string,
  operation: string,
  schemas: OperationSchemas,
  request: RequestParts,
): void {
  const issues = checkRequest(schemas, request);
  if (issues.length > 0) {
    throw new InvalidRequestError(`Invalid ${provider}.${operation} request: ${summary(issues)}`, {
      provider,
      operation,
      issues,
    });
  }
}

/** The ResponseValidationError for a 2xx body that breaks the operation's response schema, if it does. */
export function responseIssuesError(
  provider: string,
  operation: string,
  schema: StandardSchema,
  data: unknown,
): ResponseValidationError | undefined {
  const issues = checkSchema(schema, data, 'response');
  if (issues.length === 0) return undefined;
  return new ResponseValidationError(
    `${provider}.${operation} returned a response that does not match its spec: ${summary(issues)}`,
    { provider, operation, issues },
  );
}
