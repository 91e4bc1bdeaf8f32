// "give `field` or one of `others`" as a step of a valibot object's pipe, reported on `field`. With
// `excludes` on the other field it says "exactly one of".
import { forwardedCheck } from './forwarded-check.js';

/** Fails with `message` on `field` when neither it nor any of `others` is set. */
export const requiresOneOf = <Input extends Record<string, unknown>>(
  field: keyof Input & string,
  others: readonly (keyof Input & string)[],
  message: string,
) =>
  forwardedCheck<Input>(
    field,
    [field, ...others],
    (input) => [field, ...others].some((name) => input[name] !== undefined),
    message,
  );
