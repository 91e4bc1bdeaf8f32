// Databricks run and job ids are int64: anyjob keeps them as their decimal digits (see
// @anyjob/core's exact-ids). Not an entry of the package: provider, implementation and conformance
// share it.
import { InvalidRequestError } from '@anyjob/core';

/** An int64 id as its digits (a string of digits, or a safe integer); InvalidRequestError naming `field` otherwise. */
export function databricksId(value: unknown, field: string, operation: string): string {
  const text = typeof value === 'number' && Number.isSafeInteger(value) ? String(value) : value;
  if (typeof text === 'string' && /^[1-9][0-9]{0,18}$/.test(text) && BigInt(text) < 2n ** 63n) return text;
  const message = `\`${field}\` must be a Databricks id: a positive int64 as digits ('11223344') or a number below 2^53.`;
  throw new InvalidRequestError(`Invalid databricks ${operation} request: ${message}`, {
    provider: 'databricks',
    operation,
    issues: [{ path: field, rule: 'type', message }],
  });
}
