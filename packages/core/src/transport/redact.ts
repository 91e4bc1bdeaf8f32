// The one redactor: every place that could show text a server sent back (error messages, error
// bodies, response headers, run outputs, log lines, the CLI's stderr) scrubs the credentials the
// request carried through this module.
//
// A server can echo a key in another spelling, so each secret is matched case-insensitively and
// also in its URL-encoded and base64 (standard and URL-safe) forms.

/** Shorter values would blank out ordinary words; real keys are much longer. */
const MIN_SECRET_LENGTH = 6;

const REPLACEMENT = '[redacted]';

function base64(text: string): string {
  const bytes = new TextEncoder().encode(text);
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
}

/** The spellings of `secret` a server might echo. */
export function secretSpellings(secret: string): string[] {
  const standard = base64(secret);
  const unpadded = standard.replace(/=+$/, '');
  return [secret, encodeURIComponent(secret), unpadded, unpadded.replaceAll('+', '-').replaceAll('/', '_')];
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

/** The credentials a request carries: the whole auth headers and the token after a scheme. */
export function secretsOf(headers: Headers, extraHeaderNames: readonly string[] = []): string[] {
  const secrets: string[] = [];
  for (const name of ['authorization', 'x-api-key', 'api-key', ...extraHeaderNames]) {
    const value = headers.get(name);
    if (!value) continue;
    secrets.push(value);
    const space = value.indexOf(' ');
    if (space > 0) secrets.push(value.slice(space + 1));
  }
  return secrets;
}
