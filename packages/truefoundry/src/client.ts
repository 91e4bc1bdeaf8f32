// The client for the generated TrueFoundry SDK functions: base URL, key and transport.

import type { Client } from '@anyjob/core/fetch-client';
import {
  apiKeyLoader,
  createProviderClient,
  loadSetting,
  normalizeBaseUrl,
  settingNames,
  settingSource,
} from '@anyjob/core/internal';
import { TRUEFOUNDRY_ENV, type TrueFoundrySettings } from './provider.js';
import { truefoundryOperations } from './validation.js';

const baseUrlSource = settingSource('baseUrl', TRUEFOUNDRY_ENV.baseUrl, 'TrueFoundry control-plane URL');

/** Where the base URL is set, for errors that tell the caller to change it. */
export const TRUEFOUNDRY_BASE_URL_SETTING = settingNames(baseUrlSource);

export function resolveTrueFoundryBaseUrl(settings: TrueFoundrySettings = {}): string {
  const baseUrl = loadSetting({ ...baseUrlSource, value: settings.baseUrl, env: settings.env });
  return normalizeBaseUrl(baseUrl, baseUrlSource);
}

/**
 * Creates a client for the generated TrueFoundry SDK functions: `truefoundryTriggerJob({ client,
 * body })`. Requests are validated against the spec before sending and go through anyjob's
 * transport (retries by side effect, timeouts, same-origin redirects only, size limits).
 */
export function createTrueFoundryClient(settings: TrueFoundrySettings = {}): Client {
  return createProviderClient({
    provider: 'truefoundry',
    displayName: 'TrueFoundry',
    baseUrl: resolveTrueFoundryBaseUrl(settings),
    apiKey: apiKeyLoader(settings, TRUEFOUNDRY_ENV.apiKey, 'TrueFoundry API key'),
    operations: truefoundryOperations,
    settings,
    baseUrlSetting: TRUEFOUNDRY_BASE_URL_SETTING,
  });
}
