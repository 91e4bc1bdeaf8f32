// A friendly request checked by a valibot schema: the caller's field names, the author's messages
// kept (whole sentences as written, predicates after the path), valibot's own replaced by the rule,
// unknown fields listed with the allowed ones, the schema's output returned.
import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { InvalidRequestError } from '../errors/index.js';
import { parseRequest, requestSchemaIssues } from './request-schema.js';

const REQUEST = v.pipe(
  v.strictObject({
    provider: v.optional(v.unknown()),
    jobId: v.string('`jobId` is required: the job to run.'),
    size: v.optional(v.pipe(v.number(), v.maxValue(10)), 3),
    groupId: v.optional(v.never('Give `jobId` or `groupId`, not both.')),
    inputs: v.optional(
      v.record(
        v.string(),
        v.custom((value) => value !== undefined, 'is undefined; pass null.'),
      ),
    ),
  }),
  v.transform(({ jobId, size }) => ({ job_id: jobId, size })),
);

describe('parseRequest', () => {
  it('answers the schema output, defaults filled and shape transformed', () => {
    expect(parseRequest('acme', 'triggerJob', REQUEST, { provider: 'acme', jobId: 'j1' })).toEqual({
      job_id: 'j1',
      size: 3,
    });
  });

  it('throws one InvalidRequestError listing every issue by the caller field', () => {
    const error = (() => {
      try {
        parseRequest('acme', 'triggerJob', REQUEST, { size: 11, inputs: { a: undefined }, jobID: 'x' });
      } catch (caught) {
        return caught;
      }
    })();
    expect(InvalidRequestError.isInstance(error)).toBe(true);
    expect((error as InvalidRequestError).issues).toEqual([
      { path: 'jobId', rule: 'required', message: '`jobId` is required: the job to run.' },
      { path: 'size', rule: 'maximum', message: '`size` must be at most 10.' },
      { path: 'inputs.a', rule: 'required', message: '`inputs.a` is undefined; pass null.' },
      {
        path: 'jobID',
        rule: 'unknown',
        message:
          '`jobID` is not a field of this request; allowed fields are `provider`, `jobId`, `size`, `inputs`.',
      },
    ]);
    expect((error as Error).message).toMatch(/^Invalid acme triggerJob request: `jobId` is required/);
  });

  it("keeps a never-field's message and leaves it out of the allowed fields", () => {
    const issues = requestSchemaIssues(REQUEST, { jobId: 'j', groupId: 'g', jobID: 'x' });
    expect(issues.map((issue) => issue.message)).toEqual([
      'Give `jobId` or `groupId`, not both.',
      '`jobID` is not a field of this request; allowed fields are `provider`, `jobId`, `size`, `inputs`.',
    ]);
  });

  it('names a JSON field whose value JSON cannot send, at its depth', () => {
    const loose = v.object({ inputs: v.optional(v.unknown()) });
    expect(() =>
      parseRequest('acme', 'triggerJob', loose, { inputs: { n: 1n } }, { json: ['inputs'] }),
    ).toThrow(
      expect.objectContaining({ issues: [expect.objectContaining({ path: 'inputs.n', rule: 'json' })] }),
    );
  });

  it('never quotes the value in a message of its own', () => {
    const issues = requestSchemaIssues(v.object({ key: v.number() }), { key: 'sk-secret-0123456789' });
    expect(issues).toEqual([{ path: 'key', rule: 'type', message: '`key` must be number, got a string.' }]);
  });
});
