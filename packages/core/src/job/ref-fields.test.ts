import { describe, expect, it } from 'vitest';
import { InvalidRequestError } from '../errors/index.js';
import { refChecker, refFieldIssues, refGroup } from './ref-fields.js';

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

  it('requires one of the fields of an `a|b` key, named at the first', () => {
    const fields = { 'jobId|flowId': 'required', jobId: 'string', flowId: 'string' } as const;
    expect(refFieldIssues({ flowId: 'f1' }, fields)).toEqual([]);
    expect(refFieldIssues({ jobId: ' ', flowId: '' }, fields)).toEqual([
      {
        path: 'ref.jobId',
        rule: 'required',
        message:
          'The run reference has neither `jobId` nor `flowId`; pass the `ref` (or JobRun) that triggerJob returned.',
      },
    ]);
  });

  it('a `string` field may be empty but must be a string; `origin` follows the fields when they name it', () => {
    const fields = { error: 'string', origin: 'string' } as const;
    expect(refFieldIssues({ error: '', origin: '' }, fields)).toEqual([]);
    expect(refFieldIssues({ error: 42 }, fields)).toEqual([
      { path: 'ref.error', rule: 'type', message: "The run reference's `error` must be a string." },
    ]);
  });

  it("runs a field's own test when the field is present or required, with its rule and message", () => {
    const digits = {
      test: (value: unknown) => typeof value === 'string' && /^[0-9]+$/.test(value),
      rule: 'pattern',
      message: (path: string, value: unknown) => `\`${path}\` must be digits, got ${JSON.stringify(value)}.`,
    };
    const fields = { runId: { ...digits, required: true }, jobId: digits };
    expect(refFieldIssues({ runId: '12' }, fields)).toEqual([]);
    expect(refFieldIssues({ jobId: 'x' }, fields)).toEqual([
      { path: 'ref.runId', rule: 'pattern', message: '`ref.runId` must be digits, got undefined.' },
      { path: 'ref.jobId', rule: 'pattern', message: '`ref.jobId` must be digits, got "x".' },
    ]);
  });
});

describe('refGroup', () => {
  const group = refGroup<
    { provider: 'acme'; runId: string; agentId?: string; processId?: string; origin?: string },
    unknown
  >('acme', ['agentId', 'processId']);

  it('groups runs by their origin and list fields, with the list query of those fields', () => {
    expect(
      group({ provider: 'acme', runId: 'r1', agentId: 'a', processId: 'p', origin: 'https://x.test' }),
    ).toEqual({
      key: 'https://x.test a p',
      query: { provider: 'acme', agentId: 'a', processId: 'p' },
    });
    expect(group({ provider: 'acme', runId: 'r1', agentId: 'a', processId: 'p' })?.key).toBe(' a p');
  });

  it('reads a run alone when its ref lacks one of the fields', () => {
    expect(group({ provider: 'acme', runId: 'r1', agentId: 'a' })).toBeUndefined();
  });
});
