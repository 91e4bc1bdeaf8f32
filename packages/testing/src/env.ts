// `providerEnv()`: each provider's own env vars pointed at a stand-in of its API (the fake, or a
// Prism mock of its spec), from its descriptor alone. `serveFakeProviders()` (so `anyjob mocks
// --fake`) and the repository's `pnpm mocks` print their `export …` lines from it.
import type { AnyJobProviderDescriptor } from '@anyjob/core';

/** Where `providerEnv` points each provider, and how it checks that the provider reads its variables so. */
export interface ProviderEnvOptions {
  /** The whole base URL of the provider's stand-in, as the `baseUrl` setting takes it. */
  baseUrl(name: string): string;
  /** A key the stand-in accepts. */
  apiKey(name: string): string;
  /**
   * A valid trigger request for the provider. With it, each base URL variable is checked: the
   * provider is asked (without sending anything) where its first request would go, once with the
   * variable and once with the `baseUrl` setting, and a variable it reads otherwise (an origin
   * the provider adds its API path to, which a mock serving the spec's paths at its root does not
   * serve) is left out of the env; the provider is then in `needsBaseUrl`. Without it, every base
   * URL variable is set (right for the fake, which serves each provider under its API path).
   */
  exampleRequest?(descriptor: AnyJobProviderDescriptor): { provider: string };
}

/** What `providerEnv` gives: the env, its `export …` line, and the providers it cannot point. */
export interface ProviderEnvLine {
  /**
   * Each provider's own env vars: the first name of its API key variables set to `apiKey(name)`,
   * the first of its base URL variables to `baseUrl(name)` (unless the provider is in `needsBaseUrl`).
   */
  readonly env: Readonly<Record<string, string>>;
  /** `export NAME=value …` of `env`, to paste into another shell. */
  readonly exportLine: string;
  /** The providers whose base URL the env cannot carry: pass it as the `baseUrl` setting (`--base-url`). */
  readonly needsBaseUrl: readonly string[];
}

/**
 * Each provider's own env vars (from its descriptor's `env`) set to point it at a stand-in of its
 * API, with the `export …` line to paste into a shell. The names and their order come from the
 * descriptors alone; what a provider does with a variable is asked of the provider itself.
 */
export async function providerEnv(
  descriptors: readonly AnyJobProviderDescriptor[],
  options: ProviderEnvOptions,
): Promise<ProviderEnvLine> {
  const env: Record<string, string> = {};
  const needsBaseUrl: string[] = [];
  for (const descriptor of descriptors) {
    const [baseUrlVar] = descriptor.env.baseUrl;
    const [apiKeyVar] = descriptor.env.apiKey;
    const baseUrl = options.baseUrl(descriptor.name);
    if (baseUrlVar && (await readsAsSetting(descriptor, baseUrlVar, baseUrl, options)))
      env[baseUrlVar] = baseUrl;
    else needsBaseUrl.push(descriptor.name);
    if (apiKeyVar) env[apiKeyVar] = options.apiKey(descriptor.name);
  }
  const exportLine = `export ${Object.entries(env)
    .map(([name, value]) => `${name}=${value}`)
    .join(' ')}`;
  return { env, exportLine, needsBaseUrl };
}

/** Whether the provider sends to the same URL with `baseUrlVar` set to `baseUrl` as with the `baseUrl` setting. */
async function readsAsSetting(
  descriptor: AnyJobProviderDescriptor,
  baseUrlVar: string,
  baseUrl: string,
  options: ProviderEnvOptions,
): Promise<boolean> {
  if (!options.exampleRequest) return true;
  const request = options.exampleRequest(descriptor);
  const apiKey = options.apiKey(descriptor.name);
  const [fromEnv, fromSetting] = await Promise.all([
    firstRequestUrl(descriptor, { env: { [baseUrlVar]: baseUrl } }, apiKey, request),
    firstRequestUrl(descriptor, { env: {}, baseUrl }, apiKey, request),
  ]);
  return fromEnv === fromSetting;
}

/**
 * The URL the provider's trigger of `request` would send its first request to. Nothing is sent:
 * the fetch given to the provider notes the URL and fails as an aborted call (so the provider
 * neither retries nor searches for the run).
 */
async function firstRequestUrl(
  descriptor: AnyJobProviderDescriptor,
  settings: { env: Record<string, string>; baseUrl?: string },
  apiKey: string,
  request: { provider: string },
): Promise<string> {
  const abort = new AbortController();
  let url: string | undefined;
  const fetch = async (input: RequestInfo | URL): Promise<Response> => {
    url ??= input instanceof Request ? input.url : String(input);
    abort.abort();
    throw abort.signal.reason;
  };
  const provider = descriptor.create({ ...settings, apiKey, fetch });
  const error = await provider.triggerJob(request, { signal: abort.signal }).then(
    () => undefined,
    (reason: unknown) => reason,
  );
  if (url === undefined)
    throw new Error(`${descriptor.name}: the example trigger sent no request`, { cause: error });
  return url;
}
