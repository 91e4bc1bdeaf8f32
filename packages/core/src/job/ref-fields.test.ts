import { describe, expect, it } from 'vitest';
import { InvalidRequestError } from '../errors/index.js';
import { refChecker, refFieldIssues } from './ref-fields.js';

const FIELDS = { runId: 'required', groupId: 'optional' } as const;

describe('refChecker', () => {
  const check = refChecker('acme', FIELDS);

  it('passes a ref whose fields are non-empty strings', () => {
    const ref = { provider: 'acme', runId: 'r1', groupId: 'g1', origin: 'https://acme.test' };
    expect(check(ref, 'getJobRun')).toBe(ref);
  });

  it('names the missing required field and the fix', () => {
    expect(() => check({ provider: 'acme', runId: '' }, 'getJobRun')).toThrow(
      'Invalid acme getJobRun request: The run reference has no `runId`; pass the `ref` (or JobRun) that triggerJob returned.',
    );
    expect(() => check('r1', 'cancelJob')).toThrow(InvalidRequestError);
  });

  it('refuses an optional field or origin that is not a non-empty string', () => {
    expect(refFieldIssues({ runId: 'r', groupId: 7, origin: 42 }, FIELDS).map((issue) => issue.path)).toEqual(
      ['ref.groupId', 'ref.origin'],
    );
  });
});
