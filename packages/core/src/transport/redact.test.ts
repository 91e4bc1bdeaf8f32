import { describe, expect, it } from 'vitest';
import { Redactor, secretSpellings, secretsOf } from './redact.js';

const KEY = 'tfy-Secret+Key/0123==';

describe('Redactor', () => {
  const redactor = new Redactor([KEY]);

  it('replaces the key in any case, URL-encoded and base64-encoded', () => {
    const [plain, url, base64, base64url] = secretSpellings(KEY);
    expect(url).toBe(encodeURIComponent(KEY));
    for (const spelling of [plain, plain.toUpperCase(), plain.toLowerCase(), url, base64, base64url]) {
      expect(redactor.text(`before ${spelling} after`)).toBe('before [redacted] after');
    }
  });

  it('walks parsed JSON: values and keys, at any depth, copying only what changed', () => {
    const untouched = { a: [1, { b: 'c' }] };
    expect(redactor.value(untouched)).toBe(untouched);
    const echoed = { ok: { kept: true }, deep: [{ note: `key=${KEY}` }], [KEY]: 1 };
    const safe = redactor.value(echoed);
    expect(JSON.stringify(safe)).not.toMatch(/Secret/i);
    expect(safe.ok).toBe(echoed.ok);
    expect(echoed.deep[0].note).toContain(KEY);
  });

  it('survives circular values and ignores values too short to be keys', () => {
    const loop: Record<string, unknown> = { text: KEY };
    loop.self = loop;
    expect((redactor.value(loop) as { text: string }).text).toBe('[redacted]');
    expect(new Redactor(['', 'abc']).text('abc abc')).toBe('abc abc');
    expect(new Redactor([]).empty).toBe(true);
  });

  it('vouches for a JSON text only when it holds no spelling of the key and no escape', () => {
    const [plain, url, base64, base64url] = secretSpellings(KEY);
    expect(redactor.cleanJson('{"id":"run-1","tags":["a","b"],"n":1}')).toBe(true);
    for (const spelling of [plain, plain.toLowerCase(), url, base64, base64url]) {
      expect(redactor.cleanJson(`{"echo":"${spelling}"}`)).toBe(false);
      expect(redactor.cleanJson(`{"${spelling}":1}`)).toBe(false);
    }
    // An escape can spell the key where the text does not: `\u0074` is `t`, `\/` is `/`.
    const escaped = `{"echo":"\\u0074${KEY.slice(1).replaceAll('/', '\\/')}"}`;
    expect(escaped).not.toContain(KEY);
    expect(redactor.has(escaped)).toBe(false);
    expect(JSON.parse(escaped).echo).toBe(KEY);
    expect(redactor.cleanJson(escaped)).toBe(false);
    expect(redactor.cleanJson('{"path":"a\\\\b"}')).toBe(false);
    expect(new Redactor([]).cleanJson(`{"echo":"${KEY}"}`)).toBe(true);
  });

  it('skips strings shorter than every spelling, and still finds one exactly as long', () => {
    const shortest = Math.min(...secretSpellings(KEY).map((spelling) => spelling.length));
    expect(shortest).toBe(KEY.length);
    expect(redactor.has(KEY)).toBe(true);
    expect(redactor.text(KEY.toUpperCase())).toBe('[redacted]');
    expect(redactor.has(KEY.slice(1))).toBe(false);
    expect(redactor.value({ [KEY]: KEY, short: KEY.slice(2) })).toEqual({
      '[redacted]': '[redacted]',
      short: KEY.slice(2),
    });
  });

  it('finds the credentials of a request: whole auth headers and the token after a scheme', () => {
    const headers = new Headers({ authorization: `Bearer ${KEY}`, 'x-api-key': 'kog-0123456789' });
    expect(secretsOf(headers)).toEqual([`Bearer ${KEY}`, KEY, 'kog-0123456789']);
  });
});
