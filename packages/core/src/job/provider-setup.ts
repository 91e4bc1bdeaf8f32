// What every provider implementation sets up from its settings: the operation pipeline over its
// generated client, the connection (base URL and origin) read on first use, and the logger. One
// place, so the three providers and the scaffold's template do not each restate it.
import type { Client } from '../fetch-client/index.js';
import { type LevelLogger, type LogSettings, resolveLogger } from '../transport/logger.js';
import type { FieldNames } from '../validation/facade-names.js';
import type { OperationTable } from '../validation/schemas.js';
import { createProviderApi, type ProviderApi } from './operation.js';
import { originOf } from './origin.js';

export interface ProviderConnection {
  baseUrl: string;
  /** The base URL's origin: what a ref records and is checked against. */
  origin: string;
}

export interface ProviderSetupConfig<Settings extends LogSettings & { validateRequests?: boolean }> {
  provider: string;
  settings: Settings;
  /** The package's client factory (`create<Provider>Client`). */
  createClient: (settings: Settings & { validateRequests: false }) => Client;
  /** The base URL the settings (or their env vars) name; throws a ConfigError when there is none. */
  resolveBaseUrl: (settings: Settings) => string;
  operations: OperationTable;
  /** Wire paths → the caller's field names, for request errors. */
  fieldNames: FieldNames;
}

export interface ProviderSetup {
  api: ProviderApi;
  /** The base URL and its origin, resolved on first use and then kept. */
  connection(): ProviderConnection;
  logger: LevelLogger | undefined;
}

export function setUpProvider<Settings extends LogSettings & { validateRequests?: boolean }>(
  config: ProviderSetupConfig<Settings>,
): ProviderSetup {
  const { settings } = config;
  // Settings are read when a request gets past its checks, so a bad request is reported before a
  // missing base URL or key.
  let connection: ProviderConnection | undefined;
  return {
    api: createProviderApi({
      provider: config.provider,
      // The pipeline validates each request first (naming the caller's fields), so the client's
      // own check would only repeat it.
      client: () => config.createClient({ ...settings, validateRequests: false }),
      operations: config.operations,
      validateRequests: settings.validateRequests !== false,
      fieldNames: config.fieldNames,
    }),
    connection() {
      if (!connection) {
        const baseUrl = config.resolveBaseUrl(settings);
        connection = { baseUrl, origin: originOf(baseUrl) };
      }
      return connection;
    },
    logger: resolveLogger(settings),
  };
}
