// `serveFakeProviders()`: the fakes served over HTTP for a shell session, with the env line that
// points each provider's own variables at them. `anyjob mocks --fake` (the CLI) and `pnpm mocks
// --emulator` (this repository) both print from it, so the two say the same.
import type { AnyJobProviderDescriptor } from '@anyjob/core';
import { defaultProviders } from 'anyjob';
import { providerEnv } from './env.js';
import { createFakeProviders } from './fake.js';
import type { FakeProviders, FakeServer, FakeStep } from './types.js';

/** Runs in a shell session: long enough to watch a wait, short enough not to bore. */
export const SESSION_SCRIPT: readonly FakeStep[] = [
  { status: 'queued', ms: 1000 },
  { status: 'running', ms: 3000 },
  { status: 'succeeded' },
];

export interface ServeFakeOptions {
  /** The providers to fake (default anyjob's registry); those without a fake are left out. */
  readonly providers?: readonly AnyJobProviderDescriptor[];
  /** Default a free one. */
  readonly port?: number;
  /** Default `SESSION_SCRIPT`: queued for a second, running for three, then succeeded. */
  readonly script?: readonly FakeStep[];
}

export interface ServedFakeProviders {
  readonly fake: FakeProviders;
  readonly server: FakeServer;
  /** The providers served, in the order given. */
  readonly providers: readonly AnyJobProviderDescriptor[];
  /**
   * Each provider's own env vars (the first name of its base URL and API key variables) set to
   * the server's base URL and the key the fake accepts: what `export …` prints.
   */
  readonly env: Readonly<Record<string, string>>;
  /** `export NAME=value …` of `env`, to paste into another shell. */
  readonly exportLine: string;
}

export async function serveFakeProviders(options: ServeFakeOptions = {}): Promise<ServedFakeProviders> {
  const descriptors = options.providers ?? defaultProviders;
  const fake = await createFakeProviders({
    providers: descriptors,
    script: options.script ?? SESSION_SCRIPT,
  });
  const server = await fake.listen({ port: options.port ?? 0 });
  const providers = descriptors.filter((descriptor) => fake.providers.includes(descriptor.name));
  // The fake serves each provider under its API path, so every base URL variable can point at it.
  const { env, exportLine } = await providerEnv(providers, {
    baseUrl: (name) => server.baseUrls[name] as string,
    apiKey: (name) => fake.apiKey(name),
  });
  return { fake, server, providers, env, exportLine };
}
