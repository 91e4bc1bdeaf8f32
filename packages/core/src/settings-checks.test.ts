import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { ConfigError } from './errors/index.js';
import { checkProviderSettings } from './settings-checks.js';
import { badPortOf } from './transport/bad-ports.js';

const OWNER = { displayName: 'Acme', env: { apiKey: ['ACME_API_KEY'], baseUrl: ['ACME_BASE_URL'] } };
const SECRET = 'acme-SECRET-value-7d1f';

function errorOf(settings: unknown): ConfigError {
  try {
    checkProviderSettings(settings, OWNER);
  } catch (error) {
    if (ConfigError.isInstance(error)) return error;
    throw error;
  }
  throw new Error(`no ConfigError for ${inspect(settings)}`);
}

const console4 = { debug() {}, info() {}, warn() {}, error() {} };

describe('checkProviderSettings', () => {
  it('accepts every setting at its documented values, and no settings at all', () => {
    for (const settings of [
      undefined,
      {},
      {
        apiKey: SECRET,
        baseUrl: 'https://api.acme.example/v1/',
        headers: { 'x-team': 'ml ops', 'x-latin1': 'café\tbar' },
        maxRetries: 0,
        timeoutMs: Number.POSITIVE_INFINITY,
        retryDelayMs: 0,
        maxRetryDelayMs: 8_000,
        maxRetryAfterMs: Number.POSITIVE_INFINITY,
        maxResponseBytes: Number.POSITIVE_INFINITY,
        fetch: globalThis.fetch,
        env: {},
        logger: console4,
        logLevel: 'off',
        dangerouslyAllowBrowser: false,
        validateRequests: true,
        validateResponses: false,
      },
      { headers: new Headers({ 'x-team': 'a' }), maxRetries: 100, maxResponseBytes: 1 },
    ]) {
      expect(() => checkProviderSettings(settings, OWNER)).not.toThrow();
    }
  });

  it.each([
    ['settings', 'not an object'],
    ['apiKey', { apiKey: '' }],
    ['apiKey', { apiKey: 42 }],
    ['apiKey', { apiKey: `Bearer ${SECRET}` }],
    ['apiKey', { apiKey: `${SECRET}\n` }],
    ['apiKey', { apiKey: `${SECRET}\u0000` }],
    ['baseUrl', { baseUrl: 'acme.example' }],
    ['baseUrl', { baseUrl: 'file:///etc/passwd' }],
    ['baseUrl', { baseUrl: `https://me:${SECRET}@acme.example` }],
    ['baseUrl', { baseUrl: `https://acme.example/?token=${SECRET}` }],
    ['headers', { headers: 'x-team: a' }],
    ['headers', { headers: [['x-team', SECRET]] }],
    ['headers', { headers: { 'x:team': SECRET } }],
    ['headers', { headers: { 'x-team\r\nx-evil': SECRET } }],
    ['headers.x-token', { headers: { 'x-token': `${SECRET}\r\nX-Evil: 1` } }],
    ['headers.x-token', { headers: { 'x-token': `${SECRET}\n` } }],
    ['headers.x-token', { headers: { 'x-token': `${SECRET}\u0000` } }],
    ['headers.x-token', { headers: { 'x-token': `${SECRET}\u0007` } }],
    ['headers.x-token', { headers: { 'x-token': `${SECRET}\u20ac` } }],
    ['headers.x-token', { headers: { 'x-token': null } }],
    ['maxRetries', { maxRetries: -1 }],
    ['maxRetries', { maxRetries: 2.5 }],
    ['maxRetries', { maxRetries: 101 }],
    ['maxRetries', { maxRetries: Number.NaN }],
    ['timeoutMs', { timeoutMs: 0 }],
    ['timeoutMs', { timeoutMs: -1 }],
    ['timeoutMs', { timeoutMs: Number.NaN }],
    ['timeoutMs', { timeoutMs: '5000' }],
    ['retryDelayMs', { retryDelayMs: -1 }],
    ['retryDelayMs', { retryDelayMs: Number.POSITIVE_INFINITY }],
    ['maxRetryDelayMs', { maxRetryDelayMs: 2 ** 31 }],
    ['maxRetryAfterMs', { maxRetryAfterMs: -1 }],
    ['maxResponseBytes', { maxResponseBytes: 0 }],
    ['maxResponseBytes', { maxResponseBytes: 1.5 }],
    ['maxResponseBytes', { maxResponseBytes: Number.NaN }],
    ['fetch', { fetch: {} }],
    ['env', { env: 'FOO=1' }],
    ['logger', { logger: { log() {} } }],
    ['logger', { logger: null }],
    ['logLevel', { logLevel: 'trace' }],
    ['dangerouslyAllowBrowser', { dangerouslyAllowBrowser: 'yes' }],
    ['validateRequests', { validateRequests: 0 }],
    ['validateResponses', { validateResponses: 'false' }],
  ])('%s: %o is a ConfigError naming the setting, never quoting a secret', (setting, settings) => {
    const error = errorOf(settings);
    expect(error.setting).toBe(setting);
    expect(error.message).toContain(
      setting === 'settings' ? 'settings must be' : `\`${setting.split('.')[0]}`,
    );
    expect(error.message).toMatch(/^Acme /);
    for (const view of [error.message, JSON.stringify(error), inspect(error, { depth: 5 })]) {
      expect(view).not.toContain(SECRET);
    }
  });

  it('names the env var of a key passed in code, as loading it from the env would', () => {
    expect(errorOf({ apiKey: `Bearer ${SECRET}` }).message).toContain('`ACME_API_KEY`');
  });
});

describe("badPortOf (the Fetch standard's bad ports)", () => {
  it('finds the listed ports of http and https URLs, and nothing else', () => {
    for (const port of [0, 1, 9, 25, 6000, 6665, 6669, 6679, 6697, 10080]) {
      expect(badPortOf(new URL(`http://127.0.0.1:${port}`)), String(port)).toBe(port);
      expect(badPortOf(new URL(`https://api.example:${port}/v1`)), String(port)).toBe(port);
    }
    for (const url of [
      'http://127.0.0.1',
      'https://api.example',
      'http://127.0.0.1:80',
      'https://api.example:443',
      'http://127.0.0.1:8080',
      'http://127.0.0.1:6670',
      'http://127.0.0.1:10081',
    ]) {
      expect(badPortOf(new URL(url)), url).toBeUndefined();
    }
  });
});
