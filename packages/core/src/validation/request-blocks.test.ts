// The valibot building blocks the providers' friendly requests share: each issue lands on the field
// the caller should change, with the author's message, and a cross-field rule still runs while
// another field has an issue (as valibot's partialCheck does).
import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { camelFieldNames } from './camel-field-names.js';
import { excludes } from './excludes.js';
import { nonEmptyString } from './non-empty-string.js';
import { objectsWithKey } from './objects-with-key.js';
import { plainObjectField } from './plain-object-field.js';
import { requestSchemaIssues } from './request-schema.js';
import { requiresOneOf } from './requires-one-of.js';
import { snakeCaseFields } from './snake-case-fields.js';

const ONE = 'Give exactly one of `a` and `b`.';
const REQUEST = v.pipe(
  v.strictObject({
    a: v.optional(nonEmptyString('`a` must be a non-empty string.')),
    b: v.optional(v.string()),
    on: v.optional(v.boolean()),
    off: v.optional(v.boolean()),
    body: v.optional(plainObjectField('`body` must be an object.')),
    count: v.optional(v.number()),
  }),
  requiresOneOf('a', ['b'], ONE),
  excludes('b', ['a'], ONE),
  excludes('off', ['on'], '`on` and `off` cannot both be true.', (flag) => flag === true),
);
const issues = (value: unknown) =>
  requestSchemaIssues(REQUEST, value).map(({ path, message }) => [path, message]);

describe('request building blocks', () => {
  it('nonEmptyString refuses an empty or blank string and a non-string with the same message', () => {
    for (const a of ['', '  ', 7]) expect(issues({ a })).toEqual([['a', '`a` must be a non-empty string.']]);
    expect(issues({ a: 'x' })).toEqual([]);
  });

  it('plainObjectField refuses arrays, null and class instances', () => {
    for (const body of [[], null, new Map()])
      expect(issues({ a: 'x', body })).toEqual([['body', '`body` must be an object.']]);
    expect(issues({ a: 'x', body: { k: 1 } })).toEqual([]);
  });

  it('requiresOneOf reports on its field when neither is set; excludes on the field to drop when both are', () => {
    expect(issues({})).toEqual([['a', ONE]]);
    expect(issues({ a: 'x', b: 'y' })).toEqual([['b', ONE]]);
    expect(issues({ b: 'y' })).toEqual([]);
  });

  it('excludes counts what isSet says: two flags both true, not both given', () => {
    expect(issues({ a: 'x', on: true, off: false })).toEqual([]);
    expect(issues({ a: 'x', on: true, off: true })).toEqual([['off', '`on` and `off` cannot both be true.']]);
  });

  it('a cross-field rule still runs while an unrelated field has an issue', () => {
    expect(issues({ a: 'x', b: 'y', count: 'many' })).toEqual([
      ['count', expect.stringContaining('`count`')],
      ['b', ONE],
    ]);
  });

  it('camelFieldNames maps each wire name of each part to its camelCase field', () => {
    expect(camelFieldNames(['body', 'query'], ['agent_id', 'file_ids'])).toEqual([
      ['body.agent_id', 'agentId'],
      ['query.agent_id', 'agentId'],
      ['body.file_ids', 'fileIds'],
      ['query.file_ids', 'fileIds'],
    ]);
  });
});

describe('wire fields', () => {
  it('snakeCaseFields sends the set fields by their wire names, without the provider', () => {
    expect(
      snakeCaseFields({ provider: 'acme', jobId: '1', startTimeFrom: 5, onlyActive: undefined }),
    ).toStrictEqual({
      job_id: '1',
      start_time_from: 5,
    });
  });

  it('objectsWithKey accepts only arrays whose items all carry the key as a string, or what absent allows', () => {
    const [test] = objectsWithKey('id', 'parameters');
    expect([
      test([{ id: 'a' }]),
      test(undefined),
      test([{ id: 1 }]),
      test([null]),
      test(null),
      test({}),
    ]).toEqual([true, true, false, false, false, false]);
    expect(objectsWithKey('id', 'parameters', (value) => value == null)[0](null)).toBe(true);
  });
});
