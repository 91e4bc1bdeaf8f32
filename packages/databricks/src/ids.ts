// Databricks run and job ids are int64: anyjob keeps them as their decimal digits (see
// @anyjob/core's exact-ids). Not an entry of the package: provider, implementation and conformance
// share it.
import { InvalidRequestError } from '@anyjob/core';

/** An int64 id's digits (from a string of digits, or a safe integer); undefined for anything else. */
export function idDigits(value: unknown): string | undefined {
  const text = typeof value === 'number' && Number.isSafeInteger(value) ? String(value) : value;
  return typeof text === 'string' && /^[1-9][0-9]{0,18}$/.test(text) && BigInt(text) < 2n ** 63n
    ? text
    : undefined;
}

export const idMessage = (field: string) =>
  `\`${field}\` must be a Databricks id: a positive int64 as digits ('11223344') or a number below 2^53.`;

/** An int64 id as its digits; InvalidRequestError naming `field` otherwise. */
export function databricksId(value: unknown, field: string, operation: string): string {
  const digits = idDigits(value);
  if (digits !== undefined) return digits;
  const message = idMessage(field);
  throw new InvalidRequestError(`Invalid databricks ${operation} request: ${message}`, {
    provider: 'databricks',
    operation,
    issues: [{ path: field, rule: 'type', message }],
  });
}
