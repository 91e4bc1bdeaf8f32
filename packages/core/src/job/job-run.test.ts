import { describe, expect, it } from 'vitest';
import { outputsByName, toJobRun } from './job-run.js';

const STATUS = {
  fields: ['state', 'result'],
  table: { running: 'running', 'done/ok': 'succeeded' },
} as const;
const ref = { provider: 'acme', runId: 'r1' };

describe('toJobRun', () => {
  it('reads the status by the contract and keeps the parts given', () => {
    const wire = { state: 'DONE', result: 'ok', message: 'fine' };
    expect(toJobRun(STATUS, wire, { id: 'r1', ref, createdAtMs: 0, output: { a: 1 }, error: '' })).toEqual({
      provider: 'acme',
      id: 'r1',
      status: 'succeeded',
      providerStatus: 'DONE/ok',
      ref,
      raw: wire,
      createdAt: '1970-01-01T00:00:00.000Z',
      output: { a: 1 },
    });
  });

  it('leaves out a status, time and error it does not have', () => {
    const run = toJobRun(STATUS, {}, { id: 'r1', ref, raw: 'body', createdAtMs: Number.NaN, error: 'boom' });
    expect(run).toEqual({ provider: 'acme', id: 'r1', status: 'unknown', ref, raw: 'body', error: 'boom' });
  });
});

describe('outputsByName', () => {
  it('keeps a name `__proto__` as data', () => {
    const output = outputsByName([{ name: '__proto__', value: 1 }]) as Record<string, unknown>;
    expect(Object.keys(output)).toEqual(['__proto__']);
    expect(Object.getPrototypeOf(output)).toBe(Object.prototype);
    expect(outputsByName(null)).toBeUndefined();
  });
});
