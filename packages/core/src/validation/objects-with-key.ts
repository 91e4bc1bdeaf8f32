// A response field check for a list the provider indexes by one key of each item (outputs by
// name, parameters by id): an item without a string key could not be placed.
import { isPlainObject } from './request-checks.js';
import type { FieldCheck } from './response-checks.js';

const isUndefined = (value: unknown) => value === undefined;

/** An array of objects each with a string `key`, or a value `absent` accepts (undefined, by default). */
export const objectsWithKey = (
  key: string,
  expected: string,
  absent: (value: unknown) => boolean = isUndefined,
): FieldCheck => [
  (value) =>
    absent(value) ||
    (Array.isArray(value) && value.every((item) => isPlainObject(item) && typeof item[key] === 'string')),
  expected,
];
