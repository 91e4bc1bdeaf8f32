// A provider's friendly request (what `triggerJob` or `listJobRuns` takes) checked by a schema
// instead of by hand: a Standard Schema (the provider packages write valibot) whose output is what
// the provider sends. Issues name the caller's field. A message the schema's author wrote is kept:
// a whole sentence (`` `stage` must be `Draft` or `Published`. ``) as it is, a predicate starting
// lower-case (`is undefined, which JSON cannot send; …`) after the field's path, which the author
// cannot know inside an array or record. valibot's own messages ("Invalid type: …") become the
// rule and what is allowed, never the offending value (it may be a secret).
import type { ValidationIssue } from '../errors/index.js';
import { jsonValueIssues, throwIfInvalid } from './request-checks.js';
import { describeIssue, formatPath, type RawIssue, type StandardSchema } from './schemas.js';

/** valibot's default messages all begin so; any other message is the schema author's. */
const DEFAULT_MESSAGE = /^Invalid [a-z ]+:/;

/** The fields of an object schema (valibot's `entries`). */
function entriesOf(schema: StandardSchema): Record<string, StandardSchema> {
  return (schema as { entries?: Record<string, StandardSchema> }).entries ?? {};
}

/**
 * The fields a caller may set. A field declared `optional(never(…))` is there only to explain why
 * it must be absent (`flowId` beside `jobId`), so it is not offered.
 */
function allowedFields(schema: StandardSchema): string[] {
  return Object.entries(entriesOf(schema))
    .filter(([, entry]) => (entry as { wrapped?: { type?: string } }).wrapped?.type !== 'never')
    .map(([field]) => field);
}

/**
 * valibot reports a missing field of an object as its key ("Invalid key: …") without running the
 * field's schema, so the author's message for it is read from the field's schema given nothing.
 */
function authorMessageForMissing(schema: StandardSchema, issue: RawIssue): string | undefined {
  if (issue.kind !== 'schema' || issue.received !== 'undefined' || issue.path?.length !== 1) return undefined;
  const item = issue.path[0];
  const entry = entriesOf(schema)[String(typeof item === 'object' && 'key' in item ? item.key : item)];
  const result = entry?.['~standard'].validate(undefined) as { issues?: readonly RawIssue[] } | undefined;
  const message = result?.issues?.[0]?.message;
  return message === undefined || DEFAULT_MESSAGE.test(message) ? undefined : message;
}

function pathOf(root: string, raw: RawIssue['path']): string {
  return formatPath(root, raw).replace(/^\./, '');
}

interface Checked {
  issues: ValidationIssue[];
  value: unknown;
}

function check(schema: StandardSchema, value: unknown, root: string): Checked {
  const result = schema['~standard'].validate(value) as
    | { issues?: readonly RawIssue[]; value?: unknown }
    | Promise<unknown>;
  if (result instanceof Promise) throw new TypeError('asynchronous schemas are not supported');
  const issues = (result.issues ?? []).map((issue) => {
    const path = pathOf(root, issue.path);
    if (issue.type === 'strict_object' && issue.expected === 'never') {
      const allowed = allowedFields(schema).map((field) => `\`${field}\``);
      return {
        path,
        rule: 'unknown',
        message: `\`${path}\` is not a field of this request; allowed fields are ${allowed.join(', ')}.`,
      };
    }
    const described = describeIssue(issue, Array.isArray(issue.input));
    const rule = issue.kind === 'schema' && issue.input === undefined ? 'required' : described.rule;
    const missing = authorMessageForMissing(schema, issue);
    if (missing !== undefined) return { path, rule, message: missing };
    if (DEFAULT_MESSAGE.test(issue.message))
      return { path, rule, message: `\`${path}\` ${described.message}.` };
    const message = /^[a-z]/.test(issue.message) ? `\`${path}\` ${issue.message}` : issue.message;
    return { path, rule, message };
  });
  return { issues, value: result.value };
}

/** The issues of `value` against a request schema, named by the caller's fields (under `root`). */
export function requestSchemaIssues(schema: StandardSchema, value: unknown, root = ''): ValidationIssue[] {
  return check(schema, value, root).issues;
}

/**
 * Issues for what JSON cannot carry (functions, bigints, class instances, cycles…) at any depth of
 * the request's `fields`: values sent as the caller gave them, which no schema describes.
 */
export function jsonFieldIssues(request: unknown, fields: readonly string[]): ValidationIssue[] {
  if (typeof request !== 'object' || request === null) return [];
  const record = request as Record<string, unknown>;
  return fields.flatMap((field) =>
    record[field] === undefined ? [] : jsonValueIssues(record[field], field),
  );
}

/**
 * The schema's output for `value` (defaults filled, shapes transformed), or InvalidRequestError
 * listing every issue, before any network call. `json` names fields sent as arbitrary JSON.
 */
export function parseRequest<Output>(
  provider: string,
  operation: string,
  schema: StandardSchema,
  value: unknown,
  options: { root?: string; json?: readonly string[] } = {},
): Output {
  const { issues, value: output } = check(schema, value, options.root ?? '');
  throwIfInvalid(provider, operation, [...issues, ...jsonFieldIssues(value, options.json ?? [])]);
  return output as Output;
}
