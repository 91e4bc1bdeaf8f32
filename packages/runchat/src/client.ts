import {
  type CommonClientSettings,
  createProviderClient,
  installValidation,
  loadApiKey,
  loadOptionalSetting,
  normalizeBaseUrl,
  type ValidationSettings,
} from '@anyjob/core';
import type { Client } from '@anyjob/core/fetch-client';
import { operations } from './generated/operations.gen.js';

export * from './validation.js';

export const RUNCHAT_DEFAULT_BASE_URL = 'https://runchat.com/api/v1';
const API_PATH = '/api/v1';

export interface RunchatSettings extends CommonClientSettings, ValidationSettings {
  /** Runchat API key (`rc_…`). Defaults to `RUNCHAT_API_KEY`, then `RUNCHAT_TOKEN`. */
  apiKey?: string;
  /**
   * Full API base URL, including `/api/v1`. Defaults to `RUNCHAT_BASE_URL` (which, as in Runchat's
   * own CLI, is the site origin such as `https://runchat.com`; `/api/v1` is appended) and then to
   * `https://runchat.com/api/v1`.
   */
  baseUrl?: string;
}

const apiKeySource = {
  optionName: 'apiKey',
  envVarNames: ['RUNCHAT_API_KEY', 'RUNCHAT_TOKEN'],
  description: 'Runchat API key',
} as const;

export function resolveRunchatBaseUrl(settings: RunchatSettings = {}): string {
  const source = {
    optionName: 'baseUrl',
    envVarNames: ['RUNCHAT_BASE_URL'],
    description: 'Runchat base URL',
  };
  if (settings.baseUrl !== undefined) return normalizeBaseUrl(settings.baseUrl, source);
  const fromEnv = loadOptionalSetting({ ...source, value: undefined, env: settings.env });
  if (fromEnv === undefined) return RUNCHAT_DEFAULT_BASE_URL;
  // RUNCHAT_BASE_URL follows the official CLI, where it names the origin without the API path.
  const origin = normalizeBaseUrl(fromEnv, source);
  return origin.endsWith(API_PATH) ? origin : `${origin}${API_PATH}`;
}

/** Creates a client for the generated Runchat SDK functions: `runFlow({ client, path, body })`. */
export function createRunchatClient(settings: RunchatSettings = {}): Client {
  const client = createProviderClient({
    baseUrl: resolveRunchatBaseUrl(settings),
    apiKey: () => loadApiKey({ ...apiKeySource, value: settings.apiKey, env: settings.env }),
    headers: settings.headers,
    fetch: settings.fetch,
  });
  installValidation(client, 'runchat', operations, settings);
  return client;
}
