// Send every request through an HTTP(S) proxy with a custom `fetch`.
//
//   HTTPS_PROXY=http://proxy.internal:3128 TFY_HOST=… TFY_API_KEY=… node proxy-fetch.js
//
// Node's built-in fetch ignores HTTPS_PROXY / HTTP_PROXY. undici (the library behind it, installed
// from npm: `npm install undici`) has agents that use a proxy; its own `fetch` takes one as its
// `dispatcher`. anyjob's `fetch` setting takes any fetch-compatible function.
import { createAnyJob } from 'anyjob';
import { EnvHttpProxyAgent, type RequestInit as UndiciRequestInit, fetch as undiciFetch } from 'undici';

// Reads HTTPS_PROXY, HTTP_PROXY and NO_PROXY (lower case too) like curl. For one fixed proxy:
// `new ProxyAgent('http://proxy.internal:3128')` (with credentials: `new ProxyAgent({ uri, token })`,
// token `Basic <base64 of user:password>`).
const dispatcher = new EnvHttpProxyAgent();

// anyjob calls fetch(url, init) with a URL string. The cast is only for TypeScript: undici's
// fetch declares its own Request and Response classes, which the DOM types do not accept.
const proxiedFetch = ((url: string, init?: UndiciRequestInit) =>
  undiciFetch(url, { ...init, dispatcher })) as unknown as typeof fetch;

// For every provider; `createAnyJob({ truefoundry: { fetch: proxiedFetch } })` sets it for one.
const jobs = createAnyJob({ fetch: proxiedFetch });

const applicationId = process.env.TFY_APPLICATION_ID ?? 'my-application-id';
const run = await jobs.triggerJob({ provider: 'truefoundry', applicationId });
const done = await jobs.waitForJob(run, { pollIntervalMs: 500, timeoutMs: 10 * 60_000 });
const proxy =
  process.env.HTTPS_PROXY ?? process.env.HTTP_PROXY ?? 'none: HTTPS_PROXY and HTTP_PROXY are unset';
console.log(`${done.id} ${done.status} (proxy: ${proxy})`);

// Close the proxy connections, or they keep the process alive until they time out.
await dispatcher.close();
