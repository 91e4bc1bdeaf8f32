#!/usr/bin/env node
// `pnpm demo`: the project's main job on a fresh machine, with no credentials and no network.
// Builds the CLI (quietly), starts the Prism mocks from specs/, triggers one job per provider through the
// `anyjob` CLI, waits for each, prints a table and stops the mocks (also on failure or Ctrl-C).
//
// `pnpm demo --live` sends a provider's job to its real API instead, but only for providers whose
// credentials are in the env; without --live the env's credentials are never read or passed on.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { startMockServers } from './lib/prism.mjs';
import { repoRoot } from './lib/providers.mjs';
import { buildQuietly } from './lib/quiet-build.mjs';
import { exampleTriggerRequest, triggerArgs } from './test-harness/trigger-requests.mjs';

const CLI = join(repoRoot, 'packages', 'cli', 'dist', 'bin.js');
const MOCK_KEY = 'demo-key-not-a-secret';
const live = process.argv.includes('--live');
const unknownArgs = process.argv.slice(2).filter((arg) => arg !== '--live');
if (unknownArgs.length > 0) {
  console.error(`usage: pnpm demo [--live]   (unknown: ${unknownArgs.join(' ')})`);
  process.exit(2);
}

// One job per provider of anyjob's registry (packages/anyjob/src/providers.ts), its arguments
// derived from the provider's descriptor: against the mock, an example of each flag its CLI usage
// requires; with --live, the same flags from `ANYJOB_DEMO_<PROVIDER>_<FLAG>` (e.g.
// ANYJOB_DEMO_KOGNITOS_AGENT), and the key from the provider's own env vars.
async function demos() {
  const { defaultProviders } = await import(
    pathToFileURL(join(repoRoot, 'packages', 'anyjob', 'dist', 'index.js')).href
  );
  return defaultProviders.map((descriptor) => {
    const example = exampleTriggerRequest(descriptor);
    return {
      provider: descriptor.name,
      keyVars: descriptor.env.apiKey,
      mockArgs: triggerArgs(descriptor, example),
      liveArgs: (env) =>
        triggerArgs(
          descriptor,
          Object.fromEntries(
            Object.keys(example).map((field) => {
              if (field === 'provider') return [field, descriptor.name];
              const flag = descriptor.cli.flags.find((f) => f.field === field);
              return [field, need(env, liveVar(descriptor.name, flag.name))];
            }),
          ),
        ),
    };
  });
}

/** The env var naming a real job's value of a flag for --live: ANYJOB_DEMO_GITHUB_REPO. */
const liveVar = (provider, flag) => `ANYJOB_DEMO_${provider}_${flag}`.toUpperCase().replaceAll('-', '_');

function need(env, name) {
  if (!env[name]) throw new Error(`--live needs ${name}: the id of a job you may run.`);
  return env[name];
}

const isLive = (demo) => live && demo.keyVars.some((name) => process.env[name]);

const children = new Set();

/** Runs the CLI; resolves with its exit code, the JSON it printed and how long it took. */
function runCli(args, env) {
  return new Promise((resolve) => {
    const started = Date.now();
    const child = spawn(process.execPath, [CLI, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    children.add(child);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
    });
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
    });
    child.on('close', (code) => {
      children.delete(child);
      let run;
      try {
        run = JSON.parse(stdout);
      } catch {}
      resolve({ code, run, stderr, ms: Date.now() - started });
    });
  });
}

async function runDemo(demo, mockUrls) {
  const common = ['trigger', demo.provider, '--wait', '--json', '--poll-interval', '250ms'];
  if (isLive(demo)) {
    try {
      return {
        mode: 'live',
        ...(await runCli([...common, ...demo.liveArgs(process.env), '--timeout', '10m'], process.env)),
      };
    } catch (error) {
      return { mode: 'live', code: 2, setupError: error.message, stderr: '', ms: 0 };
    }
  }
  // Only PATH and a dummy key reach the CLI: real keys, hosts and regions in the env stay unused.
  const env = { PATH: process.env.PATH ?? '', [demo.keyVars[0]]: MOCK_KEY };
  // Every mock run is final at its first poll; the bound only keeps a broken mock from hanging the demo.
  const args = [...common, ...demo.mockArgs, '--base-url', mockUrls[demo.provider], '--timeout', '3s'];
  return { mode: 'mock', ...(await runCli(args, env)) };
}

function outputsText(output) {
  if (!output) return '';
  const text = Object.entries(output)
    .map(([name, value]) => {
      // Runchat outputs are lists of values; most hold one.
      const shown = Array.isArray(value) && value.length === 1 ? value[0] : value;
      return `${name}=${typeof shown === 'string' ? shown : JSON.stringify(shown)}`;
    })
    .join(', ');
  return text.length > 48 ? `${text.slice(0, 47)}…` : text;
}

function statusText(result) {
  if (result.setupError) return 'not run';
  if (!result.run) return `error (exit ${result.code})`;
  const { status, providerStatus } = result.run;
  const word = providerStatus ? `${status} (${providerStatus})` : status;
  return result.code === 1 && !['failed', 'canceled', 'timed_out'].includes(status)
    ? `${word}, gave up waiting`
    : word;
}

function printTable(rows) {
  const header = ['provider', 'mode', 'run id', 'status', 'outputs', 'time'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells) =>
    cells
      .map((c, i) => c.padEnd(widths[i]))
      .join('  ')
      .trimEnd();
  console.log(`\n${line(header)}\n${line(widths.map((w) => '-'.repeat(w)))}`);
  for (const row of rows) console.log(line(row));
}

// Held as a promise so that Ctrl-C during Prism's start-up still stops the servers once they are
// up: they run in their own process group and would not get the terminal's SIGINT.
let mocksStarting;
let stopping = false;
async function shutdown() {
  for (const child of children) child.kill('SIGTERM');
  const mocks = await mocksStarting?.catch(() => undefined);
  await mocks?.stop();
}
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, () => {
    if (stopping) return;
    stopping = true;
    console.error('\nInterrupted; stopping the mocks.');
    void shutdown().finally(() => process.exit(130));
  });
}

let exitCode = 0;
try {
  // Silent unless it fails: the demo's output is its table.
  buildQuietly('@anyjob/cli...');
  const DEMOS = await demos();
  const mocked = DEMOS.filter((demo) => !isLive(demo)).map((demo) => demo.provider);
  if (mocked.length > 0) {
    console.log(`Starting Prism mocks for ${mocked.join(', ')} …`);
    mocksStarting = startMockServers({ providers: mocked });
  }
  const mocks = await mocksStarting;
  const results = await Promise.all(DEMOS.map((demo) => runDemo(demo, mocks?.urls ?? {})));
  const rows = DEMOS.map((demo, i) => {
    const r = results[i];
    return [
      demo.provider,
      r.mode,
      r.run?.id ?? '-',
      statusText(r),
      outputsText(r.run?.output),
      `${(r.ms / 1000).toFixed(1)}s`,
    ];
  });
  printTable(rows);
  for (const [i, r] of results.entries()) {
    // Against the mocks every job succeeds, so anything but exit 0 means the demo is broken. A live
    // job may legitimately fail or run out of time (exit 1); other codes (usage, config, network) may not.
    if (r.code !== 0 && !(r.mode === 'live' && r.code === 1)) {
      exitCode = 1;
      const why = r.setupError ?? `the CLI exited ${r.code}:\n${r.stderr.trimEnd()}`;
      console.error(`\n${DEMOS[i].provider}: ${why}`);
    }
  }
  if (results.some((r) => r.mode === 'mock')) {
    console.log('\nmock = Prism serving specs/*.yaml on 127.0.0.1; no credentials, no network.');
  }
} catch (error) {
  exitCode = 1;
  console.error(`demo failed: ${error.message}`);
} finally {
  if (!stopping) await shutdown();
}
process.exitCode = exitCode;
