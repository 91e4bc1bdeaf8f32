// The client for the generated Databricks Jobs API SDK functions: base URL, key and anyjob's transport.
import type { Client } from '@anyjob/core/fetch-client';
import {
  apiKeyLoader,
  createProviderClient,
  loadSetting,
  normalizeBaseUrl,
  settingNames,
  settingSource,
} from '@anyjob/core/internal';
import { DATABRICKS_ENV, type DatabricksSettings } from './provider.js';
import { databricksOperations } from './validation.js';

/** The `servers` of specs/databricks.yaml. */
export const DATABRICKS_SERVERS = ['https://{workspace}'] as const;

const baseUrlSource = settingSource('baseUrl', DATABRICKS_ENV.baseUrl, 'Databricks workspace URL');

/** Where the base URL is set, for errors that tell the caller to change it. */
export const DATABRICKS_BASE_URL_SETTING = settingNames(baseUrlSource);

/**
 * The workspace URL: `baseUrl`, else `DATABRICKS_HOST`. Like Databricks' CLI and SDKs, a host
 * without a scheme (`dbc-a1b2345c-d6e7.cloud.databricks.com`) means https. There is no default.
 */
export function resolveDatabricksBaseUrl(settings: DatabricksSettings = {}): string {
  const url = loadSetting({ ...baseUrlSource, value: settings.baseUrl, env: settings.env }).trim();
  return normalizeBaseUrl(/^[a-z][a-z0-9+.-]*:\/\//i.test(url) ? url : `https://${url}`, baseUrlSource);
}

/**
 * Creates a client for the generated Databricks Jobs API SDK functions. The key is read on the first call
 * that needs it, and the spec's security scheme decides where it goes (`Authorization: Bearer <key>`).
 * Requests are validated against the spec before sending (InvalidRequestError).
 */
export function createDatabricksClient(settings: DatabricksSettings = {}): Client {
  return createProviderClient({
    provider: 'databricks',
    displayName: 'Databricks',
    baseUrl: resolveDatabricksBaseUrl(settings),
    apiKey: apiKeyLoader(settings, DATABRICKS_ENV.apiKey, 'Databricks token'),
    operations: databricksOperations,
    settings,
    baseUrlSetting: DATABRICKS_BASE_URL_SETTING,
  });
}
