export type { Client } from '@anyjob/core/fetch-client';
export * from './adapter.js';
export * from './client.js';
export * from './generated/sdk.gen.js';
export type * from './generated/types.gen.js';
