#!/usr/bin/env node
// `pnpm bench`: measures per-call overhead, bundle size, codegen, suite time, import cost and
// memory, and waiting for fleets of runs (fleet.mjs, against the provider emulator), and writes
// BENCHMARKS.md. A benchmark, not a test: nothing here fails on a slow number; the targets are
// reported as met or not.
//
//   pnpm bench           # everything but the suite run: about 5 minutes on the 2-core dev VM,
//                        # half of it the fleet section (fleet.mjs)
//   pnpm bench --suite   # also time one `pnpm test` in a fresh worktree of HEAD (~90 s more),
//                        # recorded in suite-time.json
//   pnpm bench --control # also run raw fetch a second time as a client, to show the noise
//   pnpm bench --quick   # 5 rounds of 500 calls, fleet time compressed ×0.1 and a short budget
//                        # case: for trying the script, not for numbers
//   pnpm bench --render  # rewrite BENCHMARKS.md from the last run (.generated/last-run.json), measuring nothing
//
// Without --suite the suite figure is the one recorded by the last --suite run, shown with its
// date and commit: one `pnpm test` is as long as the rest of the bench together.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { repoRoot } from '../lib/providers.mjs';
import { measureBundles } from './bundle.mjs';
import { availableClients } from './clients.mjs';
import { measureCodegen, measureSuite } from './codegen.mjs';
import { measureFleet } from './fleet.mjs';
import { measureImports } from './import-cost.mjs';
import { benchDir } from './paths.mjs';
import { preparePeer } from './prepare.mjs';
import { renderReport } from './report.mjs';

const args = new Set(process.argv.slice(2));
// Rewrites BENCHMARKS.md from the last run's figures (after a change to the report's text).
if (args.has('--render')) {
  const last = JSON.parse(readFileSync(join(benchDir, '.generated', 'last-run.json'), 'utf8'));
  writeFileSync(join(repoRoot, 'BENCHMARKS.md'), renderReport(last));
  process.exit(0);
}
const config = {
  rounds: 5,
  calls: args.has('--quick') ? 500 : 2000, // a multiple of percall.mjs's 4 slices
  concurrency: 32,
};

const benchStarted = performance.now();
const sections = [];
// Logs progress and records when each section starts, for the time breakdown in BENCHMARKS.md.
const log = (message, section) => {
  const at = performance.now() - benchStarted;
  if (section) sections.push({ section, at });
  process.stderr.write(`bench ${(at / 1000).toFixed(1)}s: ${message}\n`);
};

function startServer() {
  const child = spawn(process.execPath, [join(benchDir, 'server.mjs')], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`bench server exited early (${code})`)));
    createInterface({ input: child.stdout }).once('line', (line) => {
      const { port } = JSON.parse(line);
      resolve({
        port,
        stop: () =>
          new Promise((done) => {
            child.removeAllListeners('exit');
            child.once('exit', done);
            child.stdin.end();
          }),
      });
    });
  });
}

function nodeJson(script, scriptArgs) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--expose-gc', join(benchDir, script), ...scriptArgs], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (chunk) => {
      out += chunk;
    });
    child.once('error', reject);
    child.once('exit', (code) =>
      code === 0 ? resolve(JSON.parse(out)) : reject(new Error(`${script} exited with ${code}`)),
    );
  });
}

function machine() {
  const cpus = os.cpus();
  const git = (...gitArgs) => execFileSync('git', gitArgs, { cwd: repoRoot, encoding: 'utf8' }).trim();
  return {
    cpu: cpus[0]?.model ?? 'unknown',
    cores: cpus.length,
    ramGiB: os.totalmem() / 2 ** 30,
    node: process.version,
    platform: `${os.type()} ${os.release()} ${os.arch()}`,
    date: new Date().toISOString(),
    commit: git('rev-parse', '--short', 'HEAD'),
    // The bench's own outputs do not make the measured code dirty.
    dirty:
      git(
        'status',
        '--porcelain',
        '--untracked-files=no',
        '--',
        '.',
        ':!BENCHMARKS.md',
        ':!scripts/bench/suite-time.json',
      ) !== '',
    loadBefore: os.loadavg(),
  };
}

const report = { config, machine: machine() };

log('building the packages (pnpm build, turbo-cached)', 'build and prepare');
execFileSync('pnpm', ['build'], { cwd: repoRoot, stdio: ['ignore', 'ignore', 'inherit'] });
log('generating openapi-typescript types for the openapi-fetch peer');
await preparePeer();

const names = availableClients().filter((n) => n !== 'raw fetch (control)' || args.has('--control'));
const server = await startServer();
try {
  log(
    `per-call: ${names.join(', ')}; ${config.rounds} rounds × ${config.calls} calls, sequential and ${config.concurrency}-way`,
    'per-call',
  );
  report.perCall = await nodeJson('percall.mjs', [
    server.port,
    config.rounds,
    config.calls,
    config.concurrency,
    ...names,
  ]);
  report.memory = {};
  for (const name of names.filter((n) => n !== 'raw fetch (control)')) {
    log(`memory: ${name} alone in its own process`, name === names[0] ? 'memory' : undefined);
    // Peak RSS follows the concurrency, not the number of calls: a quarter of the calls suffices.
    const alone = await nodeJson('percall.mjs', [server.port, 1, config.calls / 4, config.concurrency, name]);
    report.memory[name] = { rssAfterLoadKb: alone.rssAfterLoadKb, maxRssKb: alone.maxRssKb };
  }
  report.memory.idleNodeKb = Number(
    execFileSync(process.execPath, ['-e', 'process.stdout.write(String(process.resourceUsage().maxRSS))'], {
      encoding: 'utf8',
    }),
  );
} finally {
  await server.stop();
}

log('bundle sizes (esbuild)', 'bundle sizes');
report.bundles = await measureBundles();
log('cold import, fresh process per sample', 'cold import');
report.imports = measureImports();
log('codegen: pnpm generate --force, then cached', 'codegen');
report.codegen = measureCodegen();
log('fleet: waiting for many runs against the provider emulator', 'fleet');
report.fleet = await measureFleet({ quick: args.has('--quick'), log });
const suiteRecord = join(benchDir, 'suite-time.json');
if (args.has('--suite')) {
  log('suite: pnpm test', 'suite');
  const measured = measureSuite(join(benchDir, '.generated', 'suite.log'));
  report.suite = { ...measured, date: report.machine.date, commit: report.machine.commit };
  writeFileSync(suiteRecord, `${JSON.stringify(report.suite, null, 2)}\n`);
} else if (existsSync(suiteRecord)) {
  report.suite = { ...JSON.parse(readFileSync(suiteRecord, 'utf8')), reused: true };
}
report.machine.loadAfter = os.loadavg();
report.totalMs = performance.now() - benchStarted;
report.sections = sections.map(({ section, at }, i) => ({
  section,
  ms: (sections[i + 1]?.at ?? report.totalMs) - at,
}));

writeFileSync(join(repoRoot, 'BENCHMARKS.md'), renderReport(report));
writeFileSync(join(benchDir, '.generated', 'last-run.json'), `${JSON.stringify(report, null, 1)}\n`);
log('wrote BENCHMARKS.md');
