import {
  type CommonClientSettings,
  ConfigError,
  createProviderClient,
  installValidation,
  loadApiKey,
  loadOptionalSetting,
  loadSetting,
  normalizeBaseUrl,
  type ValidationSettings,
} from '@anyjob/core';
import type { Client } from '@anyjob/core/fetch-client';
import { operations } from './generated/operations.gen.js';

export * from './validation.js';

/** Kognitos REST API v2 regional servers (the `servers` of specs/kognitos.yaml). */
export const KOGNITOS_REGION_BASE_URLS = {
  us: 'https://rest-api.app.kognitos.com/v2',
  eu: 'https://rest-api.eu.kognitos.com/v2',
  uk: 'https://rest-api.uk.kognitos.com/v2',
} as const;

export type KognitosRegion = keyof typeof KOGNITOS_REGION_BASE_URLS;

// Kognitos documents no env var names and ships no official SDK or CLI; these follow the
// `<PROVIDER>_API_KEY` convention and are anyjob's own.
export interface KognitosSettings extends CommonClientSettings, ValidationSettings {
  /** Kognitos API key, sent as `x-api-key`. Defaults to `KOGNITOS_API_KEY`. */
  apiKey?: string;
  /**
   * Region of your Kognitos account: `us` (default), `eu` or `uk`. Beats `KOGNITOS_BASE_URL` and
   * `KOGNITOS_REGION`; only `baseUrl` beats it.
   */
  region?: KognitosRegion;
  /**
   * Overrides the region's URL (proxies, mocks). Without `baseUrl` or `region`, `KOGNITOS_BASE_URL`
   * is used, then `KOGNITOS_REGION`.
   */
  baseUrl?: string;
}

const urlSource = {
  optionName: 'baseUrl',
  envVarNames: ['KOGNITOS_BASE_URL'],
  description: 'Kognitos base URL',
};
const regionSource = {
  optionName: 'region',
  envVarNames: ['KOGNITOS_REGION'],
  description: 'Kognitos region',
};

function regionBaseUrl(value: string): string {
  const region = value.toLowerCase();
  if (!Object.hasOwn(KOGNITOS_REGION_BASE_URLS, region)) {
    throw new ConfigError(
      `Kognitos region "${region}" is not one of ${Object.keys(KOGNITOS_REGION_BASE_URLS).join(', ')}. Set the \`region\` option or \`KOGNITOS_REGION\` to one of them.`,
    );
  }
  return KOGNITOS_REGION_BASE_URLS[region as KognitosRegion];
}

// `baseUrl`, else `region`, else `KOGNITOS_BASE_URL`, else `KOGNITOS_REGION`, else `us`. What the
// caller passes beats the env as a whole: a `region` chosen in code (or with the CLI's --region)
// must not be overridden by a proxy URL left in the environment.
export function resolveKognitosBaseUrl(settings: KognitosSettings = {}): string {
  const { env } = settings;
  if (settings.baseUrl !== undefined) {
    return normalizeBaseUrl(loadSetting({ ...urlSource, value: settings.baseUrl }), urlSource);
  }
  if (settings.region !== undefined) {
    return regionBaseUrl(loadSetting({ ...regionSource, value: settings.region }));
  }
  const envUrl = loadOptionalSetting({ ...urlSource, value: undefined, env });
  if (envUrl !== undefined) return normalizeBaseUrl(envUrl, urlSource);
  return regionBaseUrl(loadOptionalSetting({ ...regionSource, value: undefined, env }) ?? 'us');
}

/**
 * Creates a client for the generated Kognitos SDK functions: `startRun({ client, body })`. Requests
 * are validated against the spec before sending (InvalidRequestError); `validateResponses: true`
 * also checks 2xx bodies (ResponseValidationError).
 */
export function createKognitosClient(settings: KognitosSettings = {}): Client {
  const client = createProviderClient({
    baseUrl: resolveKognitosBaseUrl(settings),
    apiKey: () =>
      loadApiKey({
        optionName: 'apiKey',
        envVarNames: ['KOGNITOS_API_KEY'],
        description: 'Kognitos API key',
        value: settings.apiKey,
        env: settings.env,
      }),
    headers: settings.headers,
    fetch: settings.fetch,
  });
  installValidation(client, 'kognitos', operations, settings);
  return client;
}
