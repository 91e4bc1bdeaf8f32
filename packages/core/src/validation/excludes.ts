// "`field` cannot be set with `others`" as a step of a valibot object's pipe, reported on `field`
// (the one the caller should drop), so the error names the caller's field and the fix.
import { forwardedCheck } from './forwarded-check.js';

const isDefined = (value: unknown) => value !== undefined;

/**
 * Fails with `message` on `field` when it and any of `others` are set. `isSet` says what counts as
 * set: defined, by default; `(value) => value === true` for two flags that cannot both be on.
 */
export const excludes = <Input extends Record<string, unknown>>(
  field: keyof Input & string,
  others: readonly (keyof Input & string)[],
  message: string,
  isSet: (value: unknown) => boolean = isDefined,
) =>
  forwardedCheck<Input>(
    field,
    [field, ...others],
    (input) => !isSet(input[field]) || !others.some((other) => isSet(input[other])),
    message,
  );
