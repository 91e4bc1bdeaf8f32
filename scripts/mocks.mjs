#!/usr/bin/env node
// `pnpm mocks [--emulator]`: local stand-ins for the providers' APIs for a session at the shell,
// with no account and no network. Prints their URLs and an `export …` line to paste into another
// shell (base URLs and mock keys in the providers' own env vars), then serves until Ctrl-C.
//
// - default: Prism mocks of specs/*.yaml (every provider), as `pnpm demo` and the contract
//   tests use. They answer with the specs' examples, so every run is final at its first poll.
// - --emulator: @anyjob/testing's fake of every provider that has one, served over HTTP by
//   `fake.listen()`: runs are queued, run for a few seconds, end (a synchronous provider's inside the trigger
//   request, as the real one), and are listed. A provider without a fake stays on Prism.
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { startMockServers } from './lib/prism.mjs';
import { repoRoot } from './lib/providers.mjs';
import { buildQuietly } from './lib/quiet-build.mjs';
import { exampleTriggerRequest, triggerArgs } from './test-harness/trigger-requests.mjs';

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
  const { defaultProviders, serveFakeProviders, providerEnv } = await loadPackages();
  const fake = emulated ? await serveFakeProviders() : undefined;
  if (fake) stops.push(() => fake.server.close());
  const faked = new Set(fake?.providers.map((provider) => provider.name));
  // Every provider of the registry; with --emulator, those without a fake.
  const mocks = await startMockServers({
    providers: defaultProviders.map((provider) => provider.name).filter((name) => !faked.has(name)),
  });
  stops.push(() => mocks.stop());

  /** @type {Record<string, string>} */
  const urls = { ...mocks.urls, ...fake?.server.baseUrls };
  // Each provider's own env vars, from its descriptor (@anyjob/testing's providerEnv, as the
  // fake's own line). A base URL variable the provider reads otherwise than the `--base-url` flag
  // (an origin it adds its API path to, which Prism, serving the spec's paths at its root, does not
  // serve) is left out: that provider's example passes --base-url instead.
  const { exportLine, needsBaseUrl } = await providerEnv(defaultProviders, {
    baseUrl: (name) => urls[name],
    apiKey: (name) => (faked.has(name) ? fake.fake.apiKey(name) : MOCK_KEY),
    exampleRequest: (descriptor) => exampleTriggerRequest(descriptor),
  });
  const examples = defaultProviders.map((descriptor) => exampleCommands(descriptor, urls, needsBaseUrl));
  const listed = examples.find((example) => example.list);
  const kind = (provider) => (faked.has(provider) ? 'fake' : 'Prism');
  const width = Math.max(...defaultProviders.map(({ name }) => name.length)) + 1;
  const lines = [
    '',
    ...defaultProviders.map(
      ({ name: provider }) => `  ${provider.padEnd(width)} ${urls[provider].padEnd(40)} ${kind(provider)}`,
    ),
    '',
    'Paste into another shell (the keys are placeholders the mocks accept, not secrets):',
    '',
    exportLine,
    '',
    'then, for example:',
    ...examples.map((example) => `  ${example.trigger}`),
    '  pnpm example trigger-and-wait',
    '',
    fake && listed
      ? `The fake’s runs take a few seconds and show up in their list: \`${listed.list}\`.`
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
 * The registry's descriptors (the facade) and @anyjob/testing's fake and env line, built first
 * (quietly) and loaded from the packages' dist, as `pnpm anyjob` loads the CLI.
 */
async function loadPackages() {
  buildQuietly('@anyjob/testing...');
  const dist = (name) => pathToFileURL(join(repoRoot, 'packages', name, 'dist', 'index.js')).href;
  const [{ defaultProviders }, { serveFakeProviders, providerEnv }] = await Promise.all([
    import(dist('anyjob')),
    import(dist('testing')),
  ]);
  return { defaultProviders, serveFakeProviders, providerEnv };
}

/**
 * A provider's example commands, from its descriptor's CLI data: a trigger of the example request
 * (`--base-url` where the env line cannot carry the base URL), and where the provider lists runs,
 * the list of that trigger's job (the trigger's flags the list also takes).
 * @param {{ name: string, capabilities: { list: boolean }, cli: { usage: readonly string[], flags: readonly { name: string, kind: string, field?: string, value?: string }[], listFlags?: readonly { name: string }[] } }} descriptor
 * @param {Record<string, string>} urls
 * @param {readonly string[]} needsBaseUrl
 */
function exampleCommands(descriptor, urls, needsBaseUrl) {
  const args = triggerArgs(descriptor, exampleTriggerRequest(descriptor));
  const baseUrl = needsBaseUrl.includes(descriptor.name) ? ['--base-url', urls[descriptor.name]] : [];
  const trigger = ['pnpm', 'anyjob', 'trigger', descriptor.name, ...args, ...baseUrl, '--wait'];
  const listFlags = new Set(descriptor.cli.listFlags?.map((flag) => flag.name));
  const listArgs = [];
  for (let i = 0; i < args.length; i += 2)
    if (listFlags.has(args[i].slice(2))) listArgs.push(args[i], args[i + 1]);
  const list = descriptor.capabilities.list
    ? ['pnpm', 'anyjob', 'list', descriptor.name, ...listArgs, ...baseUrl]
    : undefined;
  return { trigger: shellLine(trigger), list: list && shellLine(list) };
}

/** The words as one shell command line: quoted where the shell would read them otherwise. */
function shellLine(words) {
  return words
    .map((word) => (/^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replaceAll("'", "'\\''")}'`))
    .join(' ');
}
