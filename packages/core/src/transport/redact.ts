// The one redactor: every place that could show text a server sent back (error messages, error
// bodies, response headers, run outputs, log lines, the CLI's stderr) scrubs the credentials the
// request carried through this module.
//
// A server can echo a key in another spelling, so each secret is matched case-insensitively and
// also in its URL-encoded and base64 (standard and URL-safe) forms, alone or inside a longer
// encoded text: `Bearer <key>`, and the basic-auth `user:key`, `:key` and `key:`.

/** Shorter values would blank out ordinary words; real keys are much longer. */
const MIN_SECRET_LENGTH = 6;

const REPLACEMENT = '[redacted]';

function base64(text: string): string {
  const bytes = new TextEncoder().encode(text);
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
}

function urlSafe(base64Text: string): string {
  return base64Text.replaceAll('+', '-').replaceAll('/', '_');
}

/**
 * The base64 characters that encode `secret` whatever surrounds it, when it starts `offset` bytes
 * (mod 3) into the encoded text: `user:key` is base64 of the bytes `user:` then the key, and each
 * group of 3 bytes becomes 4 characters, so the key's characters depend on where it starts. The
 * characters of a group shared with the bytes around it are left out (they hold at most 4 bits
 * of the key).
 */
function base64Core(secret: string, offset: 0 | 1 | 2): string {
  const unpadded = base64('\0'.repeat(offset) + secret).replace(/=+$/, '');
  const bytes = offset + new TextEncoder().encode(secret).byteLength;
  // Of the first group, offset 1 leaves the last 2 characters to the key, offset 2 the last one.
  const start = [0, 2, 3][offset];
  // A last group the key does not fill ends in a character that mixes in what follows.
  return unpadded.slice(start, bytes % 3 === 0 ? undefined : -1);
}

/**
 * The spellings of `secret` a server might echo: as is, URL-encoded, base64 (standard and
 * URL-safe), then the base64 of the secret inside a longer text at each of the 3 byte offsets.
 */
export function secretSpellings(secret: string): string[] {
  const unpadded = base64(secret).replace(/=+$/, '');
  const spellings = [secret, encodeURIComponent(secret), unpadded, urlSafe(unpadded)];
  for (const offset of [0, 1, 2] as const) {
    const core = base64Core(secret, offset);
    spellings.push(core, urlSafe(core));
  }
  return spellings;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Replaces known secrets in text and in parsed JSON. Immutable; cheap when there is nothing to find. */
export class Redactor {
  readonly #pattern: RegExp | undefined;
  /** The length of the shortest spelling: a shorter string cannot hold a secret. */
  readonly #shortest: number = 0;

  constructor(secrets: Iterable<string | undefined>) {
    const spellings = new Set<string>();
    for (const secret of secrets) {
      if (typeof secret !== 'string' || secret.length < MIN_SECRET_LENGTH) continue;
      for (const spelling of secretSpellings(secret)) {
        if (spelling.length >= MIN_SECRET_LENGTH) spellings.add(spelling);
      }
    }
    // Longest first, so a secret is replaced whole before a shorter spelling inside it.
    const sorted = [...spellings].sort((a, b) => b.length - a.length);
    this.#pattern = sorted.length === 0 ? undefined : new RegExp(sorted.map(escapeRegExp).join('|'), 'gi');
    // Case-insensitive matching (without the `u` flag) maps each UTF-16 unit to one unit, so a
    // match is exactly as long as the spelling it matches.
    if (sorted.length > 0) this.#shortest = sorted[sorted.length - 1].length;
  }

  get empty(): boolean {
    return this.#pattern === undefined;
  }

  /** `text` with every secret replaced by `[redacted]`. */
  text(text: string): string {
    if (this.#pattern === undefined || text.length < this.#shortest) return text;
    this.#pattern.lastIndex = 0;
    return text.replace(this.#pattern, REPLACEMENT);
  }

  has(text: string): boolean {
    if (this.#pattern === undefined || text.length < this.#shortest) return false;
    this.#pattern.lastIndex = 0;
    return this.#pattern.test(text);
  }

  /**
   * `value` (parsed JSON) with every string and key that holds a secret redacted. Copies only the
   * containers on the way to a redacted string and returns `value` itself when nothing matched,
   * which is every call against an honest server.
   */
  value<T>(value: T): T {
    if (this.#pattern === undefined) return value;
    return this.#walk(value, new Set());
  }

  /**
   * Whether every string that `JSON.parse(json)` yields (values and keys) is free of secrets, so
   * `value()` of the parsed result would return it unchanged: true when `json` holds no secret and
   * no backslash. Without escapes each parsed string is a substring of `json`; with them a string
   * can spell a secret that `json` does not (`\u0041`, `\/`), so a document with a backslash is
   * not vouched for and gets the walk.
   */
  cleanJson(json: string): boolean {
    if (this.#pattern === undefined) return true;
    return !json.includes('\\') && !this.has(json);
  }

  #walk<T>(value: T, seen: Set<object>): T {
    if (typeof value === 'string') return (this.has(value) ? this.text(value) : value) as T;
    if (typeof value !== 'object' || value === null || seen.has(value)) return value;
    seen.add(value);
    if (Array.isArray(value)) {
      let copy: unknown[] | undefined;
      for (let i = 0; i < value.length; i++) {
        const item = this.#walk(value[i], seen);
        if (item !== value[i]) {
          copy ??= value.slice();
          copy[i] = item;
        }
      }
      return (copy ?? value) as T;
    }
    let copy: Record<string, unknown> | undefined;
    const entries = value as Record<string, unknown>;
    for (const key of Object.keys(entries)) {
      const item = this.#walk(entries[key], seen);
      const safeKey = this.has(key) ? this.text(key) : key;
      if (item !== entries[key] || safeKey !== key) {
        copy ??= { ...entries };
        if (safeKey !== key) delete copy[key];
        copy[safeKey] = item;
      }
    }
    return (copy ?? value) as T;
  }
}

/** The secret of a basic-auth token (base64 of `user:password`): the password, else the user. */
function basicSecret(token: string): string | undefined {
  let decoded: string;
  try {
    decoded = new TextDecoder().decode(Uint8Array.from(atob(token.trim()), (c) => c.charCodeAt(0)));
  } catch {
    return undefined;
  }
  const colon = decoded.indexOf(':');
  if (colon < 0) return undefined;
  const password = decoded.slice(colon + 1);
  // `key:` (the key as the user, no password) is how some APIs take a key over basic auth.
  return password !== '' ? password : decoded.slice(0, colon);
}

/**
 * Header names that carry credentials: `authorization`, `x-api-key`, and the headers a caller
 * adds through the `headers` setting under such a name (`x-tenant-token`, `cookie`, …).
 */
const CREDENTIAL_HEADER = /auth|key|token|secret|password|cookie|session/i;

/**
 * The credentials a request carries: the whole value of each credential header, the token after a
 * scheme, and for basic auth the password (or the user, when there is no password) the token
 * encodes.
 */
export function secretsOf(headers: Headers, extraHeaderNames: readonly string[] = []): string[] {
  const secrets: string[] = [];
  const names: string[] = [];
  headers.forEach((_, name) => {
    if (CREDENTIAL_HEADER.test(name)) names.push(name);
  });
  for (const name of extraHeaderNames) if (!names.includes(name.toLowerCase())) names.push(name);
  for (const name of names) {
    const value = headers.get(name);
    if (!value) continue;
    secrets.push(value);
    const space = value.indexOf(' ');
    if (space <= 0) continue;
    const token = value.slice(space + 1);
    secrets.push(token);
    if (value.slice(0, space).toLowerCase() === 'basic') {
      const secret = basicSecret(token);
      if (secret !== undefined) secrets.push(secret);
    }
  }
  return secrets;
}
