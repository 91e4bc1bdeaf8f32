// The client for the generated Kognitos SDK functions: region or base URL, key and transport.
import type { Client } from '@anyjob/core/fetch-client';
import {
  apiKeyLoader,
  createProviderClient,
  loadChoice,
  loadOptionalSetting,
  normalizeBaseUrl,
  settingNames,
  settingSource,
} from '@anyjob/core/internal';
import type { KognitosRegion, KognitosSettings } from './provider.js';
import { KOGNITOS_ENV, KOGNITOS_REGION_BASE_URLS } from './provider.js';
import { kognitosOperations } from './validation.js';

const urlSource = settingSource('baseUrl', KOGNITOS_ENV.baseUrl, 'Kognitos base URL');
const regionSource = settingSource('region', KOGNITOS_ENV.settings.region, 'Kognitos region');
const REGIONS = Object.keys(KOGNITOS_REGION_BASE_URLS) as KognitosRegion[];

/** Where the server is set, for errors that tell the caller to change it. */
export const KOGNITOS_BASE_URL_SETTING = `${settingNames(urlSource)} (or ${settingNames(regionSource)})`;

// `baseUrl`, else `region`, else `KOGNITOS_BASE_URL`, else `KOGNITOS_REGION`, else `us`. What the
// caller passes beats the env as a whole: a `region` chosen in code (or with the CLI's --region)
// must not be overridden by a proxy URL left in the environment.
export function resolveKognitosBaseUrl(settings: KognitosSettings = {}): string {
  const { baseUrl, region, env } = settings;
  const url =
    baseUrl !== undefined || region === undefined
      ? loadOptionalSetting({ ...urlSource, value: baseUrl, env })
      : undefined;
  if (url !== undefined) return normalizeBaseUrl(url, urlSource);
  const choice = region === undefined ? { value: undefined, env } : { envVarNames: [], value: region };
  return KOGNITOS_REGION_BASE_URLS[loadChoice({ ...regionSource, ...choice }, REGIONS, 'us')];
}

/**
 * Creates a client for the generated Kognitos SDK functions: `kognitosStartRun({ client, body })`.
 * Requests are validated against the spec before sending (InvalidRequestError) and go through
 * anyjob's transport; `validateResponses: true` also checks 2xx bodies (ResponseValidationError).
 */
export function createKognitosClient(settings: KognitosSettings = {}): Client {
  return createProviderClient({
    provider: 'kognitos',
    displayName: 'Kognitos',
    baseUrl: resolveKognitosBaseUrl(settings),
    apiKey: apiKeyLoader(settings, KOGNITOS_ENV.apiKey, 'Kognitos API key'),
    operations: kognitosOperations,
    settings,
    baseUrlSetting: KOGNITOS_BASE_URL_SETTING,
  });
}
