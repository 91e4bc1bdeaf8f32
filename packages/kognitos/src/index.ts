// @anyjob/kognitos: the typed Kognitos REST API v2 (generated SDK functions and their client) and
// the Kognitos provider for the anyjob facade.
export type { Client } from '@anyjob/core/fetch-client';
export { createKognitosClient, resolveKognitosBaseUrl } from './client.js';
export * from './generated/sdk.gen.js';
export type * as KognitosApi from './generated/types.gen.js';
export * from './pagination.js';
export * from './provider.js';
export * from './validation.js';
