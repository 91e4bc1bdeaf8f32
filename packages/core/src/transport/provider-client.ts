// The generated-SDK client every provider package creates: base URL, key, and every request going
// through the one transport (sendWithRetry) — retries by the operation's side effect, timeouts,
// same-origin-only redirects, size limits, logging — plus validation against the spec.

import { type Client, createClient, createConfig } from '../fetch-client/index.js';
import type { CommonProviderSettings } from '../job/provider.js';
import { assertNotInBrowser } from '../settings.js';
import { checkProviderSettings } from '../settings-checks.js';
import type { OperationSchemas, OperationTable, RequestParts } from '../validation/schemas.js';
import { assertValidRequest, responseIssuesError } from '../validation/schemas.js';
import { resolveLogger } from './logger.js';
import type { SideEffect } from './retry-policy.js';
import { type OperationInfo, type SendOptions, sendOptionsFrom, sendWithRetry } from './send.js';

export interface ProviderClientOptions {
  /** The provider's name (`truefoundry`), used in errors and logs. */
  provider: string;
  /** The provider's name for people (`TrueFoundry`). */
  displayName: string;
  baseUrl: string;
  /**
   * Returns the API key. Called per request, only by operations that need auth, so a client can
   * be created before the key is known and a missing key fails the first call, not the import.
   */
  apiKey: () => string;
  /** The generated operations table: routes, side effects and schemas. */
  operations: OperationTable;
  settings: CommonProviderSettings;
  /** Where the base URL is set, for errors: "the `baseUrl` option or `TFY_HOST`". */
  baseUrlSetting?: string;
  /** Timeout of every operation when neither settings nor call set one (e.g. synchronous runs). */
  defaultTimeoutMs?: number;
}

interface ClientTransport {
  base: SendOptions;
  operation(name: string): OperationInfo;
}

const transports = new WeakMap<Client, ClientTransport>();

/** The transport options of a client from createProviderClient (retries, logger, secrets). */
export function transportOf(client: Client): ClientTransport {
  const transport = transports.get(client);
  if (!transport) throw new TypeError('transportOf: not a client from createProviderClient');
  return transport;
}

function sideEffectByMethod(method: string): SideEffect {
  if (method === 'GET' || method === 'HEAD' || method === 'OPTIONS') return 'read';
  return method === 'PUT' || method === 'DELETE' ? 'idempotent' : 'trigger';
}

/**
 * Creates a generated-SDK client. The key is handed to hey-api's `auth` hook, which applies it the
 * way each operation's security scheme says (bearer header, `x-api-key` header, …): the spec, not
 * this function, decides where the key goes. Raw SDK calls get the transport too: an HTTP error
 * answer is handed back to the SDK (its `{ error }` result) after any retries, while network
 * failures, timeouts, refused redirects and oversized bodies reject with anyjob's typed errors.
 */
export function createProviderClient(options: ProviderClientOptions): Client {
  const { settings, provider } = options;
  assertNotInBrowser(`${options.displayName} client`, settings.dangerouslyAllowBrowser);
  // A key passed in code is checked now, with the provider's own message naming its env vars; a
  // key from the env is read (and checked) by the first call that needs it.
  if (settings.apiKey !== undefined) options.apiKey();
  checkProviderSettings(settings, options);
  const secrets: string[] = [];
  const base: SendOptions = {
    ...sendOptionsFrom({ ...settings, logger: resolveLogger(settings) }),
    secrets,
  };
  const operationInfo = (operation: string, schemas?: OperationSchemas, method = 'GET'): OperationInfo => ({
    provider,
    operation,
    sideEffect: schemas?.sideEffect ?? sideEffectByMethod(method),
    defaultTimeoutMs: options.defaultTimeoutMs,
    baseUrlSetting: options.baseUrlSetting,
  });
  const rawFetch =
    (op: OperationInfo): typeof globalThis.fetch =>
    (input, init) =>
      sendWithRetry(input instanceof Request && init === undefined ? input : new Request(input, init), op, {
        ...base,
        httpErrors: 'return',
      });

  const validateRequests = settings.validateRequests ?? true;
  const validateResponses = settings.validateResponses ?? false;
  interface Route {
    operation: string;
    schemas: OperationSchemas;
    fetch: typeof globalThis.fetch;
    validateResponse: ((data: unknown) => Promise<void>) | undefined;
  }
  const routes = new Map<string, Route>();
  const byName = new Map<string, OperationInfo>();
  for (const [operation, schemas] of Object.entries(options.operations)) {
    const info = operationInfo(operation, schemas, schemas.method);
    byName.set(operation, info);
    const { response } = schemas;
    routes.set(`${schemas.method} ${schemas.url}`, {
      operation,
      schemas,
      fetch: rawFetch(info),
      validateResponse:
        validateResponses && response
          ? async (data: unknown) => {
              const error = responseIssuesError(provider, operation, response, data);
              if (error) throw error;
            }
          : undefined,
    });
  }
  const unknownRoute = rawFetch(operationInfo('request'));

  const client = createClient(
    createConfig({
      baseUrl: options.baseUrl,
      auth: () => {
        const key = options.apiKey();
        if (!secrets.includes(key)) secrets.push(key);
        return key;
      },
      // The transport sends with `settings.fetch` (in `base`); this is the client's default, which
      // the validator hook swaps for the route's transport.
      fetch: unknownRoute,
      ...(settings.headers ? { headers: settings.headers } : {}),
      // hey-api calls this with the resolved options of each call (method, url template, body,
      // path, query) before serialising anything; the same object then drives the request, so
      // the route's transport and response check are attached to it here.
      requestValidator: async (data: unknown) => {
        const call = data as RequestParts & {
          method?: string;
          url?: string;
          fetch?: unknown;
          responseValidator?: unknown;
        };
        const route = routes.get(`${call.method ?? 'GET'} ${call.url ?? ''}`);
        if (!route) return;
        if (validateRequests) assertValidRequest(provider, route.operation, route.schemas, call);
        if (route.validateResponse) call.responseValidator = route.validateResponse;
        // A per-call fetch (the facade's) is kept; the client's default becomes the route's.
        if (call.fetch === unknownRoute) call.fetch = route.fetch;
      },
    }),
  );
  transports.set(client, {
    base,
    operation: (name) => byName.get(name) ?? operationInfo(name),
  });
  return client;
}
