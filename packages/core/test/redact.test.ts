// The one redactor (core's Redactor, used by the transport, the errors and the CLI's stderr):
// every spelling of a secret a server might echo is replaced by `[redacted]`.
import { describe, expect, it } from 'vitest';
import { Redactor, secretSpellings } from '../src/internal.js';

const KEY = 'tfy-0123456789abcdef';

describe('Redactor', () => {
  it('replaces every occurrence of each secret', () => {
    const redactor = new Redactor([KEY, 'kog-LEAK-CANARY-5b1e8f']);
    expect(redactor.text(`bad key ${KEY}; again: Bearer ${KEY}; other kog-LEAK-CANARY-5b1e8f`)).toBe(
      'bad key [redacted]; again: Bearer [redacted]; other [redacted]',
    );
  });

  it('leaves text alone for empty or very short values, which would blank out ordinary words', () => {
    const redactor = new Redactor(['', 'run', undefined]);
    expect(redactor.empty).toBe(true);
    expect(redactor.text('error: run failed')).toBe('error: run failed');
  });

  it('matches the secret in any case', () => {
    expect(new Redactor([KEY]).text(`echo ${KEY.toUpperCase()}`)).toBe('echo [redacted]');
  });

  it('matches its URL-encoded and base64 spellings', () => {
    const key = 'kog/LEAK/CANARY+9z=';
    const redactor = new Redactor([key]);
    const base64 = Buffer.from(key).toString('base64');
    const base64url = Buffer.from(key).toString('base64url');
    expect(secretSpellings(key)).toEqual(expect.arrayContaining([key, encodeURIComponent(key)]));
    for (const spelling of [encodeURIComponent(key), base64, base64url, base64.replace(/=+$/, '')]) {
      expect(redactor.text(`seen: ${spelling}.`)).not.toContain(spelling.replace(/=+$/, ''));
    }
    expect(redactor.text(`url ?token=${encodeURIComponent(key)}&x=1`)).toBe('url ?token=[redacted]&x=1');
  });

  it('redacts strings and keys in parsed JSON, returning the value itself when nothing matched', () => {
    const redactor = new Redactor([KEY]);
    const clean = { a: ['x', { b: 'y' }] };
    expect(redactor.value(clean)).toBe(clean);
    const echoed = { message: `bad ${KEY}`, nested: [{ [KEY]: 'as a key' }], n: 1 };
    expect(redactor.value(echoed)).toEqual({
      message: 'bad [redacted]',
      nested: [{ '[redacted]': 'as a key' }],
      n: 1,
    });
    expect(echoed.message).toBe(`bad ${KEY}`);
  });
});
