// A body whose int64 id field goes out as a bare JSON integer with every digit, where the request
// holds it as digits (a JavaScript number would round it beyond 2^53).
import { jsonInteger, stringifyJson } from './exact-ids.js';

/** The SDK's bodySerializer for a body whose `field` (digits, as validated) is written as an integer. */
export const integerBody = (field: string) => (body: unknown) => {
  const record = body as Record<string, unknown>;
  return stringifyJson({
    ...record,
    [field]: jsonInteger(String(record[field]), `body.${field}`, 'request'),
  });
};
