// Refs, identities and bodies built from optional values: a field the caller or the API left unset
// is left out, not written as `undefined` (a ref is stored as JSON, and a JobRef's fields are either
// there or not).

/** `fields` without the entries `isSet` refuses: undefined ones, by default. */
export function definedFields<T extends object>(
  fields: T,
  isSet: (value: unknown) => boolean = (value) => value !== undefined,
): Partial<T> {
  return Object.fromEntries(Object.entries(fields).filter(([, value]) => isSet(value))) as Partial<T>;
}
