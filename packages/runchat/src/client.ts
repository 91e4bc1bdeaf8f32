// The client for the generated Runchat SDK functions: base URL, key and transport.
import type { Client } from '@anyjob/core/fetch-client';
import {
  apiKeyLoader,
  createProviderClient,
  loadOptionalSetting,
  normalizeBaseUrl,
  settingNames,
  settingSource,
} from '@anyjob/core/internal';
import { RUNCHAT_ENV, type RunchatSettings } from './provider.js';
import { runchatOperations } from './validation.js';

export const RUNCHAT_DEFAULT_BASE_URL = 'https://runchat.com/api/v1';
const API_PATH = '/api/v1';

const baseUrlSource = settingSource('baseUrl', RUNCHAT_ENV.baseUrl, 'Runchat base URL');

export function resolveRunchatBaseUrl(settings: RunchatSettings = {}): string {
  if (settings.baseUrl !== undefined) return normalizeBaseUrl(settings.baseUrl, baseUrlSource);
  const fromEnv = loadOptionalSetting({ ...baseUrlSource, value: undefined, env: settings.env });
  if (fromEnv === undefined) return RUNCHAT_DEFAULT_BASE_URL;
  // RUNCHAT_BASE_URL follows the official CLI, where it names the origin without the API path.
  const origin = normalizeBaseUrl(fromEnv, baseUrlSource);
  return origin.endsWith(API_PATH) ? origin : `${origin}${API_PATH}`;
}

/** Creates a client for the generated Runchat SDK functions: `runchatRunFlow({ client, path, body })`. */
export function createRunchatClient(settings: RunchatSettings = {}): Client {
  return createProviderClient({
    provider: 'runchat',
    displayName: 'Runchat',
    baseUrl: resolveRunchatBaseUrl(settings),
    apiKey: apiKeyLoader(settings, RUNCHAT_ENV.apiKey, 'Runchat API key'),
    operations: runchatOperations,
    settings,
    baseUrlSetting: settingNames(baseUrlSource),
    // Runchat answers only when the run is done; community clients allow it five minutes.
    defaultTimeoutMs: 300_000,
  });
}
