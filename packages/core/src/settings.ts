// Loading settings from options and env vars. Every error names where the setting was looked for
// and how to fix it, and never echoes the value: a secret pasted into the wrong variable must not
// end up in a log.
import { ConfigError } from './errors/index.js';

/** Where a setting may come from: an explicit option, else the first env var that is set. */
export interface SettingSource {
  /** The value passed in code, if any. */
  value: string | undefined;
  /** Name of the option in the settings object, used in error messages. */
  optionName: string;
  /** Env vars to read, in order of preference. */
  envVarNames: readonly string[];
  /** Human name of the setting, e.g. "TrueFoundry API key". */
  description: string;
  /** Env to read from; defaults to `process.env` when a `process` global exists. */
  env?: Record<string, string | undefined>;
}

type SourceNames = Pick<SettingSource, 'optionName' | 'envVarNames' | 'description'>;

function defaultEnv(): Record<string, string | undefined> {
  return typeof process === 'undefined' ? {} : process.env;
}

function configError(source: SourceNames, message: string): ConfigError {
  return new ConfigError(message, { setting: source.optionName });
}

/** "Pass the `apiKey` option or set the `X_API_KEY` environment variable." */
export function whereToSet(source: SourceNames): string {
  const vars = source.envVarNames.map((name) => `\`${name}\``);
  const envPart = vars.length === 0 ? '' : ` or set the ${vars.join(' or ')} environment variable`;
  return `Pass the \`${source.optionName}\` option${envPart}.`;
}

/** "the `baseUrl` option or `TFY_HOST` / `TFY_BASE_URL`": where a setting is set, for messages. */
export function settingNames(source: Pick<SettingSource, 'optionName' | 'envVarNames'>): string {
  const vars = source.envVarNames.map((name) => `\`${name}\``).join(' / ');
  return `the \`${source.optionName}\` option${vars ? ` or ${vars}` : ''}`;
}

function fromWhere(source: SourceNames): string {
  const vars = source.envVarNames.map((name) => `\`${name}\``).join(' / ');
  return `from \`${source.optionName}\`${vars ? ` or ${vars}` : ''}`;
}

/** Returns the setting from the option or the env, or `undefined` when neither is set. */
export function loadOptionalSetting(source: SettingSource): string | undefined {
  if (source.value !== undefined) {
    if (typeof source.value !== 'string' || source.value.trim() === '') {
      throw configError(
        source,
        `${source.description}: option \`${source.optionName}\` must be a non-empty string.`,
      );
    }
    return source.value;
  }
  const env = source.env ?? defaultEnv();
  for (const name of source.envVarNames) {
    const fromEnv = env[name];
    if (fromEnv !== undefined && fromEnv.trim() !== '') return fromEnv.trim();
  }
  return undefined;
}

/** Like `loadOptionalSetting`, but a missing value is a ConfigError naming the option and env vars. */
export function loadSetting(source: SettingSource): string {
  const value = loadOptionalSetting(source);
  if (value === undefined)
    throw configError(source, `${source.description} is missing. ${whereToSet(source)}`);
  return value;
}

// Visible ASCII and Latin-1 (RFC 9110 field-vchar / obs-text), no control characters.
const HEADER_SAFE = /^[\x21-\x7e\x80-\xff]+$/;

/**
 * Loads an API key. The key itself never appears in an error: only where it was looked for.
 * See `checkApiKey` for what a key may hold.
 */
export function loadApiKey(source: SettingSource): string {
  const key = loadSetting(source);
  checkApiKey(key, source);
  return key;
}

/**
 * The API key loader a provider's client takes: the `apiKey` setting, else the first of the
 * provider's env vars that is set (`settings.env`, else `process.env`), read on each request.
 */
export function apiKeyLoader(
  settings: { apiKey?: string; env?: Record<string, string | undefined> },
  envVarNames: readonly string[],
  description: string,
): () => string {
  return () =>
    loadApiKey({ optionName: 'apiKey', envVarNames, description, value: settings.apiKey, env: settings.env });
}

/**
 * Throws a ConfigError unless `key` can be sent as the key. Keys pasted with a scheme prefix
 * ("Bearer …") are rejected because the client adds the scheme; keys that cannot travel in an
 * HTTP header are rejected before fetch would throw a TypeError quoting the header.
 */
export function checkApiKey(key: string, source: SourceNames): void {
  if (/^bearer\s/i.test(key)) {
    throw configError(
      source,
      `${source.description} must be the raw key without a "Bearer " prefix; the client adds the scheme. ${whereToSet(source)}`,
    );
  }
  if (/\s/.test(key)) {
    throw configError(
      source,
      `${source.description} contains whitespace; check for a stray newline or space. ${whereToSet(source)}`,
    );
  }
  if (!HEADER_SAFE.test(key)) {
    throw configError(
      source,
      `${source.description} contains a character that cannot be sent in an HTTP header (a control character, or one outside Latin-1); check for a pasted invisible character. ${whereToSet(source)}`,
    );
  }
}

/** A setting that must be one of a few words (e.g. a region), case-insensitive; `fallback` when unset. */
export function loadChoice<T extends string>(source: SettingSource, choices: readonly T[], fallback: T): T {
  const value = loadOptionalSetting(source);
  if (value === undefined) return fallback;
  const word = value.toLowerCase();
  if ((choices as readonly string[]).includes(word)) return word as T;
  throw configError(
    source,
    `${source.description} (${fromWhere(source)}) is not one of ${choices.join(', ')}; set it to one of them.`,
  );
}

/**
 * Validates and normalises a base URL: absolute http(s), no credentials, query or fragment, no
 * trailing slash (the generated paths start with "/").
 */
export function normalizeBaseUrl(raw: string, source: SourceNames): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw configError(
      source,
      `${source.description} is not an absolute URL (${fromWhere(source)}). Use e.g. "https://example.com".`,
    );
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw configError(source, `${source.description} must use http or https (${fromWhere(source)}).`);
  }
  if (url.username || url.password) {
    throw configError(
      source,
      `${source.description} must not contain credentials (${fromWhere(source)}); pass the API key separately.`,
    );
  }
  if (url.search || url.hash) {
    throw configError(
      source,
      `${source.description} must not contain a query string or fragment (${fromWhere(source)}).`,
    );
  }
  return url.toString().replace(/\/+$/, '');
}

/** True in a browser page (not in Node, Deno, Bun or a worker runtime without a DOM). */
export function isBrowser(): boolean {
  const g = globalThis as { window?: { document?: unknown }; navigator?: unknown };
  return (
    typeof g.window === 'object' &&
    typeof g.window?.document !== 'undefined' &&
    typeof g.navigator !== 'undefined'
  );
}

/** Refuses to run in a browser unless the caller opted in, before any key is read. */
export function assertNotInBrowser(description: string, allowed: boolean | undefined): void {
  if (!isBrowser() || allowed === true) return;
  throw new ConfigError(
    `${description}: anyjob refuses to run in a browser by default, because an API key in a browser page is readable by everyone who loads it. Call the provider from your server instead; if the key is meant to be public, pass \`dangerouslyAllowBrowser: true\`.`,
    { setting: 'dangerouslyAllowBrowser' },
  );
}
