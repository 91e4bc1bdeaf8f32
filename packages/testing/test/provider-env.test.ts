// providerEnv(): each registered provider's own env vars pointed at a stand-in, and the check that
// leaves out a base URL variable the provider would read otherwise than the `baseUrl` setting.
// The providers come from the registry; the one reading its variable as an origin is made up here
// by wrapping a registered descriptor, so no provider is named.
import { type AnyJobProviderDescriptor, defaultProviders } from 'anyjob';
import { expect, it } from 'vitest';
import { exampleTriggerRequest } from '../../../scripts/test-harness/trigger-requests.mjs';
import { createFakeProviders, providerEnv } from '../src/index.js';

const exampleRequest = (descriptor: AnyJobProviderDescriptor) => exampleTriggerRequest(descriptor);

it('points every registered provider’s own variables at the fake, and its check sends nothing', async () => {
  const fake = await createFakeProviders();
  const server = await fake.listen();
  try {
    const { env, exportLine, needsBaseUrl } = await providerEnv(defaultProviders, {
      baseUrl: (name) => server.baseUrls[name] as string,
      apiKey: (name) => fake.apiKey(name),
      exampleRequest,
    });
    // The fake serves each provider under its API path: every base URL variable can lead there.
    expect(needsBaseUrl).toEqual([]);
    for (const descriptor of defaultProviders) {
      expect(env[descriptor.env.baseUrl[0] as string]).toBe(server.baseUrls[descriptor.name]);
      expect(env[descriptor.env.apiKey[0] as string]).toBe(fake.apiKey(descriptor.name));
    }
    expect(exportLine).toBe(
      `export ${Object.entries(env)
        .map(([name, value]) => `${name}=${value}`)
        .join(' ')}`,
    );
    expect(fake.requests()).toEqual([]);
  } finally {
    await server.close();
  }
});

it('leaves out a base URL variable the provider reads as an origin it adds a path to, and names the provider', async () => {
  const [plain, wrapped] = defaultProviders as readonly AnyJobProviderDescriptor[];
  if (!plain || !wrapped) throw new Error('the registry needs two providers for this test');
  const baseUrlVar = wrapped.env.baseUrl[0] as string;
  // Reads its variable as an origin and adds `/api/v9`, as a provider whose official CLI does so.
  const readsOrigin: AnyJobProviderDescriptor = {
    ...wrapped,
    create: (settings = {}) => {
      const fromEnv = settings.env?.[baseUrlVar];
      return wrapped.create(
        settings.baseUrl === undefined && fromEnv ? { ...settings, baseUrl: `${fromEnv}/api/v9` } : settings,
      );
    },
  };
  const { env, needsBaseUrl } = await providerEnv([plain, readsOrigin], {
    baseUrl: (name) => `http://127.0.0.1:4567/${name}`,
    apiKey: () => 'key-not-a-secret',
    exampleRequest,
  });
  expect(needsBaseUrl).toEqual([readsOrigin.name]);
  expect(env).not.toHaveProperty(baseUrlVar);
  expect(env[plain.env.baseUrl[0] as string]).toBe(`http://127.0.0.1:4567/${plain.name}`);
  // Its key still goes in the env: only the base URL has to be passed as a setting.
  expect(env[readsOrigin.env.apiKey[0] as string]).toBe('key-not-a-secret');
});
