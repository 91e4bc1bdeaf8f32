// Request rules for what a spec says with `not` and the generated valibot schemas drop: two fields
// of an object that exclude each other, and fields that make the object one `oneOf` branch (so it
// must pass that branch's schema, not the looser other one). `at` is the object's request path
// (`body.input`); a field counts as set unless it is undefined or null.
import { isPlainObject } from './request-checks.js';
import { checkSchema, type RequestRule, type StandardSchema } from './schemas.js';

const isSet = (value: unknown) => value !== undefined && value !== null;

/** The object at `at` in the request's parts, if it is one. */
function objectAt(parts: Parameters<RequestRule>[0], at: string): Record<string, unknown> | undefined {
  let value: unknown = parts;
  for (const key of at.split('.')) value = isPlainObject(value) ? value[key] : undefined;
  return isPlainObject(value) ? value : undefined;
}

/** `second` must not be set together with `first`; the issue (rule `not`) is on `second`. */
export const notTogether =
  (at: string, [first, second]: readonly [string, string], message: string): RequestRule =>
  (parts) => {
    const object = objectAt(parts, at);
    if (!object || !isSet(object[first]) || !isSet(object[second])) return [];
    return [{ path: `${at}.${second}`, rule: 'not', message }];
  };

/** When any of `fields` is set, the object at `at` must pass `schema` (the branch those fields choose). */
export const schemaWhenSet =
  (at: string, fields: readonly string[], schema: StandardSchema): RequestRule =>
  (parts) => {
    const object = objectAt(parts, at);
    return object && fields.some((field) => isSet(object[field])) ? checkSchema(schema, object, at) : [];
  };
