// @anyjob/github: the typed GitHub Actions workflow-run API (generated SDK functions and their
// client) and the GitHub Actions provider for the anyjob facade.
export type { Client } from '@anyjob/core/fetch-client';
export { createGithubClient, GITHUB_HEADERS, resolveGithubBaseUrl } from './client.js';
export * from './generated/sdk.gen.js';
export type * as GithubApi from './generated/types.gen.js';
export * from './provider.js';
export * from './validation.js';
