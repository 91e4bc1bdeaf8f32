// Ids of any JSON scalar type, kept exactly. anyjob keeps every id as a string: `JobRun.id`, the
// fields of a ref (so a ref survives JSON.stringify/parse and any store) and CLI flags; an integer
// id is its decimal digits. An int64 beyond 2^53 (Databricks' run ids) would lose its last digits
// as a JS number, so:
// - reading: `parseJsonExact` (exact-json.ts) parses an answer's text, turning each integer beyond
//   Number.MAX_SAFE_INTEGER into its digits; `readExactInteger` reads one such field. An operation
//   called with `exactIntegers: true` (job/operation.ts) has its SDK hand back the text, which the
//   pipeline parses this way.
// - writing: `jsonInteger(id)` marks a digit string to be written as a bare JSON integer by
//   `stringifyJson` (a body); in a query the digits are the integer already (a URL is text).
// This module's lossless-json (LosslessNumber, its stringify) is only for writing: core's shared
// modules import exact-json.ts and id-text.ts, so it is only in the bundles of the providers that
// write integer ids (through `@anyjob/core/internal`).
import { LosslessNumber, stringify } from 'lossless-json';
import { InvalidRequestError } from '../errors/index.js';

export { parseJsonExact, readExactInteger } from './exact-json.js';
export { idText } from './id-text.js';

const DIGITS = /^-?(0|[1-9][0-9]*)$/;

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
