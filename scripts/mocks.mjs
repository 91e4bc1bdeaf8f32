#!/usr/bin/env node
// `pnpm mocks [--emulator]`: local stand-ins for the providers' APIs for a session at the shell,
// with no account and no network. Prints their URLs and an `export …` line to paste into another
// shell (base URLs and mock keys in the providers' own env vars), then serves until Ctrl-C.
//
// - default: Prism mocks of specs/*.yaml (every provider), as `pnpm demo` and the contract
//   tests use. They answer with the specs' examples, so every run is final at its first poll.
// - --emulator: @anyjob/testing's fake of every provider that has one, served over HTTP by
//   `fake.listen()`: runs are queued, run for a few seconds, end (Runchat's inside the trigger
//   request, as the real one), and are listed. A provider without a fake stays on Prism.
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { startMockServers } from './lib/prism.mjs';
import { listProviders, repoRoot } from './lib/providers.mjs';
import { buildQuietly } from './lib/quiet-build.mjs';

const MOCK_KEY = 'mock-key-not-a-secret';
const args = process.argv.slice(2);
const emulated = args.includes('--emulator');
const unknown = args.filter((arg) => arg !== '--emulator');
if (unknown.length > 0) {
  console.error(`usage: pnpm mocks [--emulator]   (unknown: ${unknown.join(' ')})`);
  process.exit(2);
}

const stops = [];
let stopping = false;
async function stop() {
  if (stopping) return;
  stopping = true;
  await Promise.allSettled(stops.map((fn) => fn()));
}
// Prism runs in its own process group, out of reach of the terminal's Ctrl-C: stop it here.
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.once(signal, () => {
    console.error('\nStopping the mocks.');
    void stop().finally(() => process.exit(0));
  });
}

try {
  console.error(emulated ? 'Starting the fake providers …' : 'Starting Prism mocks …');
  const fake = emulated ? await startFake() : undefined;
  if (fake) stops.push(() => fake.server.close());
  const faked = new Set(fake?.providers.map((provider) => provider.name));
  // Every provider with a spec; with --emulator, those without a fake.
  const mocks = await startMockServers({
    providers: listProviders()
      .map((provider) => provider.name)
      .filter((name) => !faked.has(name)),
  });
  stops.push(() => mocks.stop());

  /** @type {Record<string, string>} */
  const urls = { ...mocks.urls, ...fake?.server.baseUrls };
  // No RUNCHAT_BASE_URL for Prism: like Runchat's own CLI, anyjob reads it as an origin and adds
  // /api/v1, a path Prism does not serve. The `--base-url` flag (and `baseUrl` setting) take the
  // whole base. The fake serves each provider under its own path, so its base URLs go in the env.
  const env = fake?.env ?? {
    RUNCHAT_API_KEY: MOCK_KEY,
    TFY_HOST: urls.truefoundry,
    TFY_API_KEY: MOCK_KEY,
    KOGNITOS_BASE_URL: urls.kognitos,
    KOGNITOS_API_KEY: MOCK_KEY,
  };
  const kind = (provider) => (faked.has(provider) ? 'fake' : 'Prism');
  const lines = [
    '',
    ...listProviders().map(
      ({ name: provider }) => `  ${provider.padEnd(12)} ${urls[provider].padEnd(40)} ${kind(provider)}`,
    ),
    '',
    'Paste into another shell (the keys are placeholders the mocks accept, not secrets):',
    '',
    `export ${Object.entries(env)
      .map(([name, value]) => `${name}=${value}`)
      .join(' ')}`,
    '',
    'then, for example:',
    '  pnpm anyjob trigger truefoundry --application app --wait',
    '  pnpm anyjob trigger kognitos --agent a1 --process p1 --input invoice=42 --wait',
    `  pnpm anyjob trigger runchat --flow f9Xk2Lq7Vb3N --input prompt_xyz123=hello --base-url ${urls.runchat}`,
    '  pnpm example trigger-and-wait',
    '',
    fake
      ? 'The fake’s runs take a few seconds and show up in `pnpm anyjob list truefoundry --application app`.'
      : 'Prism answers with the specs’ examples: every run is final at its first poll (`--emulator`: runs that take time).',
    'Ctrl-C stops the mocks.',
  ];
  console.log(lines.join('\n'));
} catch (error) {
  console.error(`pnpm mocks: ${error.message}`);
  await stop();
  process.exit(1);
}

/**
 * @anyjob/testing's fake of every provider of anyjob's registry, on a loopback port, with its env
 * line (`serveFakeProviders`, which `anyjob mocks --fake` prints from too). Built first (quietly)
 * and loaded from the package's dist, as `pnpm anyjob` loads the CLI.
 */
async function startFake() {
  buildQuietly('@anyjob/testing...');
  const { serveFakeProviders } = await import(
    pathToFileURL(join(repoRoot, 'packages', 'testing', 'dist', 'index.js')).href
  );
  return serveFakeProviders();
}
