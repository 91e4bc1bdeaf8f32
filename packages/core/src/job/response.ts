// The raw Response a run was read from travels with the run, out of sight: a symbol-keyed,
// non-enumerable property, so JSON, logs and structured clones never carry it.

const RESPONSE = Symbol.for('anyjob.response');

/** `value` with `response` attached (returned for chaining). */
export function attachResponse<T extends object>(value: T, response: Response | undefined): T {
  if (response !== undefined) Object.defineProperty(value, RESPONSE, { value: response, configurable: true });
  return value;
}

/** The raw Response a run (or error) was read from, when it was read from one. */
export function responseOf(value: unknown): Response | undefined {
  return typeof value === 'object' && value !== null
    ? (value as Record<symbol, Response | undefined>)[RESPONSE]
    : undefined;
}
