// The pure pieces behind the flags, tested in-process: duration parsing and output scrubbing (core's
// Redactor does the scrubbing; its own tests are in packages/core/test/redact.test.ts).
import type { CliFlag } from 'anyjob';
import { describe, expect, it } from 'vitest';
import { formatDuration, parseDuration } from '../src/duration.js';
import { formatFailure } from '../src/failures.js';
import { fieldsFromFlags } from '../src/requests.js';

describe('parseDuration', () => {
  it.each([
    ['500ms', 500],
    ['30s', 30_000],
    ['1.5s', 1_500],
    ['5m', 300_000],
    ['1h30m', 5_400_000],
    ['2h', 7_200_000],
    ['1m30s250ms', 90_250],
  ])('%s → %d ms', (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });

  it.each(['', '5', '5x', 's', '1h 30m', '-5s', '5 minutes', '30s!'])('rejects %j', (text) => {
    expect(parseDuration(text)).toBeUndefined();
  });
});

describe('formatDuration', () => {
  it.each([
    [850, '850ms'],
    [12_340, '12.3s'],
    [245_000, '4m05s'],
    [5_460_000, '1h31m'],
  ])('%d ms → %s', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });
});

describe('formatFailure', () => {
  it('replaces every occurrence of each secret with [redacted]', () => {
    const key = 'tfy-0123456789abcdef';
    expect(formatFailure(new Error(`bad key ${key}; again: Bearer ${key}`), [key])).toBe(
      'error: bad key [redacted]; again: Bearer [redacted]\n',
    );
  });

  it('leaves text alone for empty or very short values, which would blank out ordinary words', () => {
    expect(formatFailure(new Error('run failed'), ['', 'run'])).toBe('error: run failed\n');
  });
});

describe('integer and number flags', () => {
  const command = { path: 'trigger acme', usage: [], summary: '', options: [] };
  const flags: CliFlag[] = [
    { name: 'run-id', kind: 'integer', field: 'runId', help: 'the run' },
    { name: 'ratio', kind: 'number', field: 'ratio', help: 'a ratio' },
  ];
  const read = (values: Record<string, string>) => fieldsFromFlags(command, flags, values, async () => '');

  it('keeps an integer beyond 2^53 exactly, as its digits, and reads a number', async () => {
    expect(await read({ 'run-id': '9007199254740993', ratio: '0.25' })).toEqual({
      runId: '9007199254740993',
      ratio: 0.25,
    });
  });

  it.each([
    [{ 'run-id': '12a' }, '--run-id must be a whole number'],
    [{ 'run-id': '1.5' }, '--run-id must be a whole number'],
    [{ ratio: 'many' }, '--ratio must be a number'],
    [{ ratio: '' }, '--ratio must be a number'],
  ])('refuses %j naming the flag', async (values, message) => {
    await expect(read(values)).rejects.toThrow(message);
  });
});

describe('pairs flags', () => {
  it('two flags of one field (a flag and its alias) add up', async () => {
    const command = { path: 'trigger acme', usage: [], summary: '', options: [] };
    const flags: CliFlag[] = [
      { name: 'param', kind: 'pairs', field: 'params', help: 'a parameter' },
      { name: 'job-param', kind: 'pairs', field: 'params', help: 'the same' },
    ];
    const values = { param: ['a=1'], 'job-param': ['b=2'] };
    expect(await fieldsFromFlags(command, flags, values, async () => '')).toEqual({
      params: { a: '1', b: '2' },
    });
  });
});
