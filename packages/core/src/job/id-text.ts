// How anyjob keeps an id of any JSON scalar type: as text. Apart from exact-ids.ts so the modules
// every provider runs (a trigger's answer) read ids without loading the exact JSON parser.

/**
 * An id of any JSON scalar type as anyjob keeps it: a string as is, an integer as its decimal
 * digits. A number that is not a safe integer is refused (its digits are already lost: read it
 * with parseJsonExact), as is anything else; undefined for those.
 */
export function idText(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return Number.isSafeInteger(value) ? String(value) : undefined;
  if (typeof value === 'bigint') return value.toString();
  return undefined;
}
