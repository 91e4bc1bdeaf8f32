// Ids of any JSON scalar type, kept exactly. anyjob keeps every id as a string: `JobRun.id`, the
// fields of a ref (so a ref survives JSON.stringify/parse and any store) and CLI flags; an integer
// id is its decimal digits. An int64 beyond 2^53 (Databricks' run ids) would lose its last digits
// as a JS number, so:
// - reading: `parseJsonExact` parses an answer's text with lossless-json (Node 20's JSON.parse has
//   no source-text reviver), turning each integer beyond Number.MAX_SAFE_INTEGER into its digits;
//   `readExactInteger` reads one such field. An operation called with `exactIntegers: true`
//   (job/operation.ts) has its SDK hand back the text, which the pipeline parses this way.
// - writing: `jsonInteger(id)` marks a digit string to be written as a bare JSON integer by
//   `stringifyJson` (a body); in a query the digits are the integer already (a URL is text).
import { isInteger, isSafeNumber, LosslessNumber, parse, stringify } from 'lossless-json';
import { InvalidRequestError } from '../errors/index.js';
import { valueAt } from './run-status.js';

const DIGITS = /^-?(0|[1-9][0-9]*)$/;

/**
 * Parses JSON text like JSON.parse, except that an integer beyond Number.MAX_SAFE_INTEGER becomes
 * its decimal digits (a string) instead of a rounded number. Safe integers and fractions stay numbers.
 */
export function parseJsonExact(text: string): unknown {
  // `digits` is the number as written; JSON has no leading zeros, so integer text is canonical.
  return parse(text, null, (digits: string) =>
    isInteger(digits) && !isSafeNumber(digits) ? digits : Number(digits),
  );
}

/** The integer or string at a dotted path of an answer's JSON text, as exact text; undefined when absent. */
export function readExactInteger(text: string, path: string): string | undefined {
  return idText(valueAt(parseJsonExact(text), path));
}

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

/** A marker: this id is written into a JSON body as a bare integer (see stringifyJson). */
export type JsonInteger = LosslessNumber;

/**
 * Marks an integer id (decimal digits) to be sent as a bare JSON integer. InvalidRequestError,
 * naming `field`, when it is not an integer, before any request.
 */
export function jsonInteger(id: string, field: string, operation: string): JsonInteger {
  if (!DIGITS.test(id)) {
    const message = `\`${field}\` must be an integer id (decimal digits), got ${JSON.stringify(id)}.`;
    throw new InvalidRequestError(message, { operation, issues: [{ path: field, rule: 'type', message }] });
  }
  return new LosslessNumber(id);
}

/** JSON.stringify that writes `jsonInteger` values as bare integers, exactly. */
export function stringifyJson(value: unknown): string {
  return stringify(value) as string;
}
