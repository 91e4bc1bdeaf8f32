// A check of an object's fields reported on one of them: valibot's partialCheck (which runs as soon
// as the fields it reads are valid, even while another field has an issue) forwarded to `field`.
import * as v from 'valibot';

/** The validation action: `requirement` of the object's `fields`, its issue on `field` with `message`. */
export function forwardedCheck<Input extends Record<string, unknown>>(
  field: keyof Input & string,
  fields: readonly (keyof Input & string)[],
  requirement: (input: Input) => boolean,
  message: string,
): v.BaseValidation<Input, Input, v.BaseIssue<unknown>> {
  const paths = fields.map((name) => [name]);
  // partialCheck's typed paths need literal tuples; the fields are the caller's keys of Input.
  const check = v.partialCheck(paths as never, requirement as never, message) as never;
  return v.forward(check, [field] as never) as v.BaseValidation<Input, Input, v.BaseIssue<unknown>>;
}
