import { describe, expect, it } from 'vitest';
import { ConfigError } from './errors/index.js';
import { apiKeyLoader } from './settings.js';

describe('apiKeyLoader', () => {
  it('reads the apiKey setting, else the first env var set, on each call', () => {
    const env: Record<string, string | undefined> = { ACME_TOKEN: 'env-key-2' };
    expect(apiKeyLoader({ apiKey: 'set-key-1', env }, ['ACME_API_KEY', 'ACME_TOKEN'], 'Acme API key')()).toBe(
      'set-key-1',
    );
    const fromEnv = apiKeyLoader({ env }, ['ACME_API_KEY', 'ACME_TOKEN'], 'Acme API key');
    expect(fromEnv()).toBe('env-key-2');
    env.ACME_API_KEY = 'env-key-1';
    expect(fromEnv()).toBe('env-key-1');
  });

  it('names where to set a missing or malformed key, never the key', () => {
    const missing = apiKeyLoader({ env: {} }, ['ACME_API_KEY'], 'Acme API key');
    expect(missing).toThrow(ConfigError);
    expect(missing).toThrow(/ACME_API_KEY/);
    const pasted = apiKeyLoader(
      { apiKey: 'Bearer sk-secret-0123456789', env: {} },
      ['ACME_API_KEY'],
      'Acme API key',
    );
    expect(pasted).toThrow(/without a "Bearer " prefix/);
    expect(pasted).not.toThrow(/sk-secret/);
  });
});
