// @anyjob/truefoundry: the typed TrueFoundry job-run API (generated SDK functions and their client)
// and the TrueFoundry provider for the anyjob facade.
export type { Client } from '@anyjob/core/fetch-client';
export { createTrueFoundryClient, resolveTrueFoundryBaseUrl } from './client.js';
export * from './generated/sdk.gen.js';
export type * as TrueFoundryApi from './generated/types.gen.js';
export * from './pagination.js';
export * from './provider.js';
export * from './validation.js';
