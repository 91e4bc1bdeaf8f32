// The checks every setting a client is created with goes through, before any request: a bad one
// is a ConfigError naming the setting and the rule it breaks, not a TypeError from `Headers.set`
// or a timer firing at once on the first call. Values are never quoted, since a header value (or
// a key pasted into the wrong field) may be a secret; header names are, as they are not secret.
//
// Only what the caller passed is checked here: env vars are read (and checked) on first use, so a
// missing TrueFoundry host does not stop a Runchat call.
import { ConfigError, InvalidRequestError, type ValidationIssue } from './errors/index.js';
import type { CommonProviderSettings } from './job/provider.js';
import { checkApiKey, normalizeBaseUrl } from './settings.js';
import { isLogLevel } from './transport/logger.js';
import { MAX_TIMER_MS } from './transport/timers.js';

/** Who the settings are for, for messages: the provider's name and where its key and URL may be set. */
export interface SettingsOwner {
  /** `TrueFoundry` */
  displayName: string;
  /** The env vars of the key and base URL, named in messages as the other place to set them. */
  env?: { readonly apiKey?: readonly string[]; readonly baseUrl?: readonly string[] };
}

/** More retries than this are a loop, not a retry policy. */
export const MAX_RETRIES_LIMIT = 100;

// RFC 9110 §5.1: a field name is a token.
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
// RFC 9110 §5.5: field-vchar, obs-text, space and tab; no CR, LF, NUL or other control character.
// Latin-1 only: fetch's Headers refuses anything above U+00FF.
const HEADER_VALUE = /^[\t\x20-\x7e\x80-\xff]*$/;

type Rule = (value: unknown) => boolean;

const isNumber = (value: unknown): value is number => typeof value === 'number' && !Number.isNaN(value);

/** Each numeric setting or option: its rule and how the rule reads in a message. */
const NUMBER_RULES = {
  maxRetries: {
    ok: (v) => Number.isInteger(v) && (v as number) >= 0 && (v as number) <= MAX_RETRIES_LIMIT,
    rule: `a whole number from 0 to ${MAX_RETRIES_LIMIT}`,
  },
  timeoutMs: {
    ok: (v) => isNumber(v) && v > 0,
    rule: 'a number of milliseconds > 0 (Infinity for no limit)',
  },
  retryDelayMs: {
    ok: (v) => isNumber(v) && v >= 0 && v <= MAX_TIMER_MS,
    rule: `a number of milliseconds from 0 to ${MAX_TIMER_MS}`,
  },
  maxRetryDelayMs: {
    ok: (v) => isNumber(v) && v >= 0 && v <= MAX_TIMER_MS,
    rule: `a number of milliseconds from 0 to ${MAX_TIMER_MS}`,
  },
  maxRetryAfterMs: {
    ok: (v) => isNumber(v) && v >= 0,
    rule: 'a number of milliseconds ≥ 0 (Infinity to honour any wait)',
  },
  maxResponseBytes: {
    ok: (v) => (Number.isInteger(v) && (v as number) > 0) || v === Number.POSITIVE_INFINITY,
    rule: 'a whole number of bytes > 0 (Infinity for no limit)',
  },
  // Options of waits, not settings: a poll interval of 0 would poll without pause.
  pollIntervalMs: {
    ok: (v) => isNumber(v) && v > 0,
    rule: 'a number of milliseconds > 0',
  },
  concurrency: {
    ok: (v) => (Number.isInteger(v) && (v as number) >= 1) || v === Number.POSITIVE_INFINITY,
    rule: 'a whole number ≥ 1 (Infinity for no limit)',
  },
} satisfies Record<string, { ok: Rule; rule: string }>;

const SETTING_NUMBERS = [
  'maxRetries',
  'timeoutMs',
  'retryDelayMs',
  'maxRetryDelayMs',
  'maxRetryAfterMs',
  'maxResponseBytes',
] as const;

/**
 * Throws InvalidRequestError, before any request, unless each named option of a call (or a wait)
 * that is set keeps its rule: the call-time twin of the settings' ConfigError.
 */
export function checkCallNumbers(options: object, names: readonly (keyof typeof NUMBER_RULES)[]): void {
  const issues: ValidationIssue[] = [];
  for (const name of names) {
    const value = (options as Record<string, unknown>)[name];
    if (value === undefined || NUMBER_RULES[name].ok(value)) continue;
    issues.push({ path: name, rule: 'type', message: `\`${name}\` must be ${NUMBER_RULES[name].rule}.` });
  }
  if (issues.length > 0) {
    throw new InvalidRequestError(issues.map((issue) => issue.message).join(' '), { issues });
  }
}

/** Throws InvalidRequestError unless `requestsPerMinute` is a record of provider names to numbers > 0. */
export function checkRequestBudgets(requestsPerMinute: unknown): void {
  if (requestsPerMinute === undefined) return;
  const bad = !isRecord(requestsPerMinute)
    ? 'requestsPerMinute'
    : Object.keys(requestsPerMinute).find((name) => {
        const value = requestsPerMinute[name];
        return !(isNumber(value) && value > 0);
      });
  if (bad === undefined) return;
  const path = bad === 'requestsPerMinute' ? bad : `requestsPerMinute.${bad}`;
  const message = `\`requestsPerMinute\` must map provider names to requests per minute > 0 (Infinity for no budget)${path === bad ? '' : `; \`${path}\` is not one`}.`;
  throw new InvalidRequestError(message, { issues: [{ path, rule: 'type', message }] });
}

const BOOLEAN_SETTINGS = ['dangerouslyAllowBrowser', 'validateRequests', 'validateResponses'] as const;
const LOGGER_METHODS = ['debug', 'info', 'warn', 'error'] as const;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function fail(owner: SettingsOwner, setting: string, rule: string): never {
  throw new ConfigError(`${owner.displayName} settings: \`${setting}\` ${rule}.`, { setting });
}

/**
 * Throws a ConfigError naming the setting and its rule unless every header name is a token and
 * every value is a string that can travel in an HTTP header. The value is never quoted.
 */
export function checkHeaders(headers: unknown, owner: SettingsOwner): void {
  if (typeof Headers !== 'undefined' && headers instanceof Headers) return; // checked when built
  if (!isRecord(headers)) fail(owner, 'headers', 'must be an object of header names to string values');
  for (const [name, value] of Object.entries(headers)) {
    if (!HEADER_NAME.test(name)) {
      fail(
        owner,
        'headers',
        `has an invalid header name ${JSON.stringify(name)}: a name is letters, digits and !#$%&'*+-.^_\`|~ only`,
      );
    }
    if (typeof value !== 'string') fail(owner, `headers.${name}`, 'must be a string');
    if (!HEADER_VALUE.test(value)) {
      fail(
        owner,
        `headers.${name}`,
        'holds a character that cannot be sent in an HTTP header (a line break, NUL or other control character, or one outside Latin-1); the value is not shown, as it may be a secret',
      );
    }
  }
}

/**
 * Checks every setting of `CommonProviderSettings` that `settings` sets, when a client or
 * provider is created. Provider-specific settings (a region) are checked by the provider.
 */
export function checkProviderSettings(settings: unknown, owner: SettingsOwner): void {
  if (settings === undefined) return;
  if (!isRecord(settings)) {
    throw new ConfigError(`${owner.displayName} settings must be an object.`, { setting: 'settings' });
  }
  const given = settings as Partial<Record<keyof CommonProviderSettings, unknown>>;
  if (given.apiKey !== undefined) {
    const source = {
      optionName: 'apiKey',
      envVarNames: owner.env?.apiKey ?? [],
      description: `${owner.displayName} API key`,
    };
    if (typeof given.apiKey !== 'string' || given.apiKey.trim() === '')
      fail(owner, 'apiKey', 'must be a non-empty string');
    checkApiKey(given.apiKey, source);
  }
  if (given.baseUrl !== undefined) {
    if (typeof given.baseUrl !== 'string' || given.baseUrl.trim() === '')
      fail(owner, 'baseUrl', 'must be a non-empty string');
    normalizeBaseUrl(given.baseUrl, {
      optionName: 'baseUrl',
      envVarNames: owner.env?.baseUrl ?? [],
      description: `${owner.displayName} base URL`,
    });
  }
  if (given.headers !== undefined) checkHeaders(given.headers, owner);
  for (const name of SETTING_NUMBERS) {
    const value = settings[name];
    if (value !== undefined && !NUMBER_RULES[name].ok(value))
      fail(owner, name, `must be ${NUMBER_RULES[name].rule}`);
  }
  for (const name of BOOLEAN_SETTINGS) {
    const value = settings[name];
    if (value !== undefined && typeof value !== 'boolean') fail(owner, name, 'must be true or false');
  }
  if (given.fetch !== undefined && typeof given.fetch !== 'function')
    fail(owner, 'fetch', 'must be a fetch function');
  if (given.env !== undefined && !isRecord(given.env))
    fail(owner, 'env', 'must be an object of env var names to strings');
  if (given.logLevel !== undefined && !isLogLevel(given.logLevel))
    fail(owner, 'logLevel', 'must be one of debug, info, warn, error, off');
  if (given.logger !== undefined) {
    const logger = given.logger as Record<string, unknown> | null;
    if (
      typeof logger !== 'object' ||
      logger === null ||
      LOGGER_METHODS.some((m) => typeof logger[m] !== 'function')
    )
      fail(owner, 'logger', `must have the methods ${LOGGER_METHODS.join(', ')} (console does)`);
  }
}
