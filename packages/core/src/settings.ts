import { ConfigError } from './errors.js';

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

function defaultEnv(): Record<string, string | undefined> {
  return typeof process === 'undefined' ? {} : process.env;
}

/** Returns the setting from the option or the env, or `undefined` when neither is set. */
export function loadOptionalSetting(source: SettingSource): string | undefined {
  if (source.value !== undefined) {
    if (typeof source.value !== 'string' || source.value.trim() === '') {
      throw new ConfigError(
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

function whereToSet(source: SettingSource): string {
  const vars = source.envVarNames.map((name) => `\`${name}\``);
  const envPart = vars.length === 0 ? '' : ` or set the ${vars.join(' or ')} environment variable`;
  return `Pass the \`${source.optionName}\` option${envPart}.`;
}

/** Like `loadOptionalSetting`, but a missing value is a ConfigError naming the option and env vars. */
export function loadSetting(source: SettingSource): string {
  const value = loadOptionalSetting(source);
  if (value === undefined) throw new ConfigError(`${source.description} is missing. ${whereToSet(source)}`);
  return value;
}

/**
 * Loads an API key. The key itself never appears in an error: only where it was looked for.
 * Keys pasted with a scheme prefix ("Bearer …") are rejected because the client adds the scheme.
 */
export function loadApiKey(source: SettingSource): string {
  const key = loadSetting(source);
  if (/^bearer\s/i.test(key)) {
    throw new ConfigError(
      `${source.description} must be the raw key without a "Bearer " prefix; the client adds the scheme. ${whereToSet(source)}`,
    );
  }
  if (/\s/.test(key)) {
    throw new ConfigError(
      `${source.description} contains whitespace; check for a stray newline or space. ${whereToSet(source)}`,
    );
  }
  return key;
}

/**
 * Validates and normalises a base URL: absolute http(s), no query or fragment, no trailing slash
 * (the generated paths start with "/").
 */
export function normalizeBaseUrl(
  raw: string,
  source: Pick<SettingSource, 'optionName' | 'envVarNames' | 'description'>,
): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError(
      // The raw value is not echoed: a misplaced secret must not end up in a log.
      `${source.description} is not an absolute URL (from \`${source.optionName}\`${source.envVarNames.length ? ` or ${source.envVarNames.map((n) => `\`${n}\``).join(' / ')}` : ''}). Use e.g. "https://example.com".`,
    );
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new ConfigError(
      `${source.description} must use http or https, got "${url.protocol}" (from \`${source.optionName}\`).`,
    );
  }
  if (url.username || url.password) {
    throw new ConfigError(`${source.description} must not contain credentials; pass the API key separately.`);
  }
  if (url.search || url.hash) {
    throw new ConfigError(
      `${source.description} must not contain a query string or fragment (from \`${source.optionName}\`).`,
    );
  }
  return url.toString().replace(/\/+$/, '');
}
