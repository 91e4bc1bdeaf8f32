// A request field that must be text with something in it: the valibot building block every
// provider's friendly request uses, with the author's message for a wrong type, an empty string and
// (through parseRequest) a missing field alike.
import * as v from 'valibot';

/** A string that is not empty or only spaces; `message` names the field and the fix. */
export const nonEmptyString = (message: string) =>
  v.pipe(
    v.string(message),
    v.check((text: string) => text.trim() !== '', message),
  );
