// @anyjob/runchat: the typed Runchat API (generated SDK functions and their client) and the Runchat
// provider for the anyjob facade.
export type { Client } from '@anyjob/core/fetch-client';
export { createRunchatClient, RUNCHAT_DEFAULT_BASE_URL, resolveRunchatBaseUrl } from './client.js';
export * from './generated/sdk.gen.js';
export type * as RunchatApi from './generated/types.gen.js';
export * from './provider.js';
export * from './validation.js';
