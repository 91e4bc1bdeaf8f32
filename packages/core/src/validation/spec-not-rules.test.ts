// The spec's `not` rules the generated schemas drop, as request rules on the object they constrain.
import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { notTogether, schemaWhenSet } from './spec-not-rules.js';

describe('spec not rules', () => {
  const excludes = notTogether('body.input', ['command', 'params'], 'must not be set with `command`');
  const branch = schemaWhenSet(
    'body.input',
    ['command', 'params'],
    v.strictObject({ command: v.optional(v.string()), params: v.optional(v.record(v.string(), v.string())) }),
  );

  it('notTogether reports the second field when both are set (null counts as unset)', () => {
    expect(excludes({ body: { input: { command: 'x', params: {} } } })).toEqual([
      { path: 'body.input.params', rule: 'not', message: 'must not be set with `command`' },
    ]);
    expect(excludes({ body: { input: { command: 'x', params: null } } })).toEqual([]);
    expect(excludes({ body: { input: { params: {} } } })).toEqual([]);
    expect(excludes({ body: 'text' })).toEqual([]);
  });

  it('schemaWhenSet checks the object against the branch its fields choose, and only then', () => {
    expect(branch({ body: { input: { params: { n: 1 } } } })).toEqual([
      expect.objectContaining({ path: 'body.input.params.n' }),
    ]);
    expect(branch({ body: { input: { mainClass: 1 } } })).toEqual([]);
  });
});
