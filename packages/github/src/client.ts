// The client for the generated GitHub SDK functions: base URL, token, GitHub's headers, transport.
import type { Client } from '@anyjob/core/fetch-client';
import {
  apiKeyLoader,
  createProviderClient,
  loadOptionalSetting,
  normalizeBaseUrl,
  settingNames,
} from '@anyjob/core/internal';
import { GITHUB_ENV, type GithubSettings } from './provider.js';
import { githubOperations } from './validation.js';

const urlSource = { optionName: 'baseUrl', envVarNames: GITHUB_ENV.baseUrl, description: 'GitHub API URL' };

/** Where the server is set, for errors that tell the caller to change it. */
export const GITHUB_BASE_URL_SETTING = settingNames(urlSource);

/**
 * The headers GitHub asks every REST client to send (the API version this spec describes). The
 * answers' media type is `application/json` (the spec's); it is accepted too, second, so a server
 * or mock that serves only what the spec says (Prism) does not answer 406.
 */
export const GITHUB_HEADERS = {
  accept: 'application/vnd.github+json, application/json;q=0.9',
  'x-github-api-version': '2022-11-28',
  'user-agent': 'anyjob (@anyjob/github)',
} as const;

/** `baseUrl`, else `GITHUB_API_URL` (Enterprise Server: `https://HOST/api/v3`), else https://api.github.com. */
export function resolveGithubBaseUrl(settings: GithubSettings = {}): string {
  const url = loadOptionalSetting({ ...urlSource, value: settings.baseUrl, env: settings.env });
  return normalizeBaseUrl(url ?? 'https://api.github.com', urlSource);
}

/**
 * Creates a client for the generated GitHub SDK functions: `githubGetWorkflowRun({ client, path })`.
 * Requests are validated against the spec before sending (InvalidRequestError) and go through
 * anyjob's transport; headers given in `settings.headers` beat GitHub's defaults.
 */
export function createGithubClient(settings: GithubSettings = {}): Client {
  return createProviderClient({
    provider: 'github',
    displayName: 'GitHub',
    baseUrl: resolveGithubBaseUrl(settings),
    apiKey: apiKeyLoader(settings, GITHUB_ENV.apiKey, 'GitHub token'),
    operations: githubOperations,
    settings: { ...settings, headers: { ...GITHUB_HEADERS, ...settings.headers } },
    baseUrlSetting: GITHUB_BASE_URL_SETTING,
  });
}
