#!/usr/bin/env node
// `pnpm mocks [--emulator]`: local stand-ins for the providers' APIs for a session at the shell,
// with no account and no network. Prints their URLs and an `export …` line to paste into another
// shell (base URLs and mock keys in the providers' own env vars), then serves until Ctrl-C.
//
// - default: Prism mocks of specs/*.yaml (every provider), as `pnpm demo` and the contract
//   tests use. They answer with the specs' examples, so every run is final at its first poll.
// - --emulator: the stateful emulator (scripts/lib/provider-emulator.mjs) for TrueFoundry and
//   Kognitos: runs are queued, run for a few seconds, end, and are listed; Runchat stays on Prism
//   (its runs finish inside the trigger request anyway).
import { startMockServers } from './lib/prism.mjs';
import { PROVIDERS as EMULATED, startEmulator } from './lib/provider-emulator.mjs';
import { listProviders } from './lib/providers.mjs';

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
  console.error(emulated ? 'Starting the emulator and Prism …' : 'Starting Prism mocks …');
  // Every provider with a spec; with --emulator, those the emulator does not serve.
  /** @type {readonly string[]} */
  const emulatedNames = EMULATED;
  const prism = startMockServers({
    providers: listProviders()
      .map((provider) => provider.name)
      .filter((name) => !(emulated && emulatedNames.includes(name))),
  });
  const emulator = emulated ? await startEmulator() : undefined;
  if (emulator) stops.push(() => emulator.close());
  const mocks = await prism;
  stops.push(() => mocks.stop());

  /** @type {Record<string, string>} */
  const urls = { ...mocks.urls, ...emulator?.urls };
  // No RUNCHAT_BASE_URL: like Runchat's own CLI, anyjob reads it as an origin and adds /api/v1,
  // a path Prism does not serve. The `--base-url` flag (and `baseUrl` setting) take the whole base.
  const env = {
    RUNCHAT_API_KEY: MOCK_KEY,
    TFY_HOST: urls.truefoundry,
    TFY_API_KEY: emulator?.keys.truefoundry ?? MOCK_KEY,
    KOGNITOS_BASE_URL: urls.kognitos,
    KOGNITOS_API_KEY: emulator?.keys.kognitos ?? MOCK_KEY,
  };
  const kind = (provider) => (emulator && EMULATED.includes(provider) ? 'emulator' : 'Prism');
  const lines = [
    '',
    ...listProviders().map(
      ({ name: provider }) => `  ${provider.padEnd(12)} ${urls[provider].padEnd(32)} ${kind(provider)}`,
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
    emulator
      ? 'Emulated runs take a few seconds and show up in `pnpm anyjob list truefoundry --application app`.'
      : 'Prism answers with the specs’ examples: every run is final at its first poll (`--emulator`: runs that take time).',
    'Ctrl-C stops the mocks.',
  ];
  console.log(lines.join('\n'));
} catch (error) {
  console.error(`pnpm mocks: ${error.message}`);
  await stop();
  process.exit(1);
}
