// @anyjob/databricks: the typed Databricks Jobs API (generated SDK functions and their client) and the
// Databricks Jobs provider for the anyjob facade.
export type { Client } from '@anyjob/core/fetch-client';
export { createDatabricksClient, DATABRICKS_SERVERS, resolveDatabricksBaseUrl } from './client.js';
export * from './generated/sdk.gen.js';
export type * as DatabricksApi from './generated/types.gen.js';
export * from './provider.js';
export * from './validation.js';
