import { describe, expect, it } from 'vitest';
import { Redactor, secretSpellings, secretsOf } from './redact.js';

const KEY = 'tfy-Secret+Key/0123==';

function base64Url(text: string): string {
  return text.replaceAll('+', '-').replaceAll('/', '_');
}

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

  it('replaces the key inside a longer encoded text: `Bearer <key>`, in plain, URL-encoded and base64', () => {
    const bearer = `Bearer ${KEY}`;
    expect(redactor.text(`echo: ${bearer}`)).toBe('echo: Bearer [redacted]');
    expect(redactor.text(`echo: ${encodeURIComponent(bearer)}`)).toBe('echo: Bearer%20[redacted]');
    for (const encoded of [btoa(bearer), base64Url(btoa(bearer))]) {
      // "Bearer " is 7 bytes: the key starts 1 byte into a group of 3.
      expect(redactor.text(`echo: ${encoded} end`)).toMatch(
        /^echo: [\w+/-]{0,11}\[redacted\][\w+/=-]{0,4} end$/,
      );
    }
  });

  it('replaces the key in the base64 of basic auth: `user:key`, `:key` and `key:`, at every offset', () => {
    for (const user of ['', 'u', 'us', 'use', 'user', 'robot-account']) {
      for (const credentials of [`${user}:${KEY}`, `${KEY}:${user}`]) {
        const prefix = credentials.indexOf(KEY);
        // The characters before the key's own: those of the bytes before it, and one it shares.
        const before = Math.ceil((prefix * 4) / 3) + 1;
        const after = Math.ceil(((credentials.length - prefix - KEY.length) * 4) / 3) + 4;
        const shape = new RegExp(`^Basic [\\w+/-]{0,${before}}\\[redacted\\][\\w+/=-]{0,${after}}$`);
        for (const encoded of [btoa(credentials), base64Url(btoa(credentials))]) {
          const shown = redactor.text(`Basic ${encoded}`);
          expect(shown, credentials).toMatch(shape);
        }
      }
    }
  });

  it('finds the key a basic-auth header encodes: the password, or the user when there is none', () => {
    for (const [credentials, secret] of [
      [`robot:${KEY}`, KEY],
      [`${KEY}:`, KEY],
    ]) {
      const token = btoa(credentials);
      expect(secretsOf(new Headers({ authorization: `Basic ${token}` }))).toEqual([
        `Basic ${token}`,
        token,
        secret,
      ]);
    }
    // Not base64, or no colon: nothing more than the token.
    expect(secretsOf(new Headers({ authorization: 'Basic ***' }))).toEqual(['Basic ***', '***']);
    expect(secretsOf(new Headers({ authorization: `Basic ${btoa('no-colon-here')}` }))).toHaveLength(2);
  });

  it('finds the credentials a caller added as headers under a credential-like name, not other headers', () => {
    const headers = new Headers({
      'x-tenant-token': 'tenant-0123456789',
      cookie: 'session=abcdef012345',
      'x-team': 'ml-ops-team',
      'content-type': 'application/json',
    });
    expect(secretsOf(headers).sort()).toEqual(['session=abcdef012345', 'tenant-0123456789']);
  });

  it('finds the credentials of a request: whole auth headers and the token after a scheme', () => {
    const headers = new Headers({ authorization: `Bearer ${KEY}`, 'x-api-key': 'kog-0123456789' });
    expect(secretsOf(headers)).toEqual([`Bearer ${KEY}`, KEY, 'kog-0123456789']);
  });
});
