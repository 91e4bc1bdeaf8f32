import {
  type CommonClientSettings,
  createProviderClient,
  installValidation,
  loadApiKey,
  loadSetting,
  normalizeBaseUrl,
  type ValidationSettings,
} from '@anyjob/core';
import type { Client } from '@anyjob/core/fetch-client';
import { truefoundryOperations } from './validation.js';

export * from './validation.js';

export interface TrueFoundrySettings extends CommonClientSettings, ValidationSettings {
  /** TrueFoundry API key (raw, without "Bearer "). Defaults to `TFY_API_KEY`. */
  apiKey?: string;
  /**
   * Your tenant's control-plane URL, e.g. `https://acme.truefoundry.cloud`. TrueFoundry has no
   * shared default. Defaults to `TFY_HOST`, then `TFY_BASE_URL`.
   */
  baseUrl?: string;
}

export function resolveTrueFoundryBaseUrl(settings: TrueFoundrySettings = {}): string {
  const source = {
    optionName: 'baseUrl',
    envVarNames: ['TFY_HOST', 'TFY_BASE_URL'],
    description: 'TrueFoundry control-plane URL',
  };
  return normalizeBaseUrl(loadSetting({ ...source, value: settings.baseUrl, env: settings.env }), source);
}

/** Creates a client for the generated TrueFoundry SDK functions: `triggerJob({ client, body })`. */
export function createTrueFoundryClient(settings: TrueFoundrySettings = {}): Client {
  const client = createProviderClient({
    baseUrl: resolveTrueFoundryBaseUrl(settings),
    apiKey: () =>
      loadApiKey({
        optionName: 'apiKey',
        envVarNames: ['TFY_API_KEY'],
        description: 'TrueFoundry API key',
        value: settings.apiKey,
        env: settings.env,
      }),
    headers: settings.headers,
    fetch: settings.fetch,
  });
  installValidation(client, 'truefoundry', truefoundryOperations, settings);
  return client;
}
