// The CLI honours HTTPS_PROXY / HTTP_PROXY / NO_PROXY like curl. Node's built-in fetch ignores
// them, so when one is set the CLI sends through undici's EnvHttpProxyAgent (undici is the
// library behind Node's fetch; its agent implements curl's rules, NO_PROXY included).
import { EnvHttpProxyAgent, fetch as undiciFetch } from 'undici';

const PROXY_VARS = ['HTTPS_PROXY', 'https_proxy', 'HTTP_PROXY', 'http_proxy'];

/** A fetch through the env's proxy, or undefined when no proxy is set. */
export function proxyFetch(env: Record<string, string | undefined>): typeof globalThis.fetch | undefined {
  if (!PROXY_VARS.some((name) => env[name])) return undefined;
  const agent = new EnvHttpProxyAgent({
    httpProxy: env.HTTP_PROXY ?? env.http_proxy,
    httpsProxy: env.HTTPS_PROXY ?? env.https_proxy ?? env.HTTP_PROXY ?? env.http_proxy,
    noProxy: env.NO_PROXY ?? env.no_proxy,
  });
  return ((input: RequestInfo | URL, init?: RequestInit) =>
    undiciFetch(
      input as never,
      { ...(init as object), dispatcher: agent } as never,
    )) as unknown as typeof globalThis.fetch;
}
