import { type Client, createClient, createConfig } from './fetch-client/index.js';

/** Options every provider client accepts besides its own auth and base URL settings. */
export interface CommonClientSettings {
  /** Extra headers sent with every request. */
  headers?: Record<string, string>;
  /** A `fetch` implementation to use instead of the global one (proxies, tracing, tests). */
  fetch?: typeof globalThis.fetch;
  /** Env to read settings from; defaults to `process.env`. Useful in tests and edge runtimes. */
  env?: Record<string, string | undefined>;
}

export interface ProviderClientOptions extends Omit<CommonClientSettings, 'env'> {
  baseUrl: string;
  /**
   * Returns the API key. Called per request, only by operations that need auth, so a client can
   * be created before the key is known and a missing key fails the first call, not the import.
   */
  apiKey: () => string;
}

/**
 * Creates a generated-SDK client. The key is handed to hey-api's `auth` hook, which applies it the
 * way each operation's security scheme says (bearer header, `x-api-key` header, …): the spec, not
 * this function, decides where the key goes.
 */
export function createProviderClient(options: ProviderClientOptions): Client {
  return createClient(
    createConfig({
      baseUrl: options.baseUrl,
      auth: () => options.apiKey(),
      ...(options.headers ? { headers: options.headers } : {}),
      ...(options.fetch ? { fetch: options.fetch } : {}),
    }),
  );
}
