#!/usr/bin/env node
// `pnpm bench`: measures per-call overhead, bundle size, codegen, suite time, import cost and
// memory, waiting for fleets of runs (fleet.mjs, against @anyjob/testing's fake), a test on fake
// timers (fake-time.mjs), and queued runs across worker processes on Redis (queue.mjs), and writes
// BENCHMARKS.md. A benchmark, not a test: nothing here fails on a slow number; the targets are
// reported as met or not.
//
//   pnpm bench           # everything but the suite run: about 5 minutes on the 2-core dev VM,
//                        # half of it the fleet section (fleet.mjs)
//   pnpm bench --suite   # also time one `pnpm test` in a fresh worktree of HEAD (~90 s more),
//                        # recorded in suite-time.json
//   pnpm bench --control # also run raw fetch a second time as a client, to show the noise
//   pnpm bench --quick   # every section with tiny sizes (1 round of 40 calls, one sample each,
//                        # fleets of 10 to 50 runs with time compressed ×0.01), the whole report
//                        # rendered to a temp file, never BENCHMARKS.md: a smoke run of the bench's
//                        # code that CI runs (`pnpm test`), not numbers. Fails on any exception.
//   pnpm bench --render  # rewrite BENCHMARKS.md from the last run (.generated/last-run.json), measuring nothing
//   node scripts/bench/fake-time.mjs   # the fake-time figure only (section 7), patched into BENCHMARKS.md
//
// Without --suite the suite figure is the one recorded by the last --suite run, shown with its
// date and commit: one `pnpm test` is as long as the rest of the bench together.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { repoRoot } from '../lib/providers.mjs';
import { measureBundles } from './bundle.mjs';
import { availableClients } from './clients.mjs';
import { measureCodegen, measureSuite } from './codegen.mjs';
import { measureFakeTime, writeFakeTimeRecord } from './fake-time.mjs';
import { measureFleet } from './fleet.mjs';
import { measureImports } from './import-cost.mjs';
import { benchDir } from './paths.mjs';
import { preparePeer } from './prepare.mjs';
import { measureQueue } from './queue.mjs';
import { renderReport } from './report.mjs';

const args = new Set(process.argv.slice(2));
// Rewrites BENCHMARKS.md from the last run's figures (after a change to the report's text).
if (args.has('--render')) {
  const last = JSON.parse(readFileSync(join(benchDir, '.generated', 'last-run.json'), 'utf8'));
  writeFileSync(join(repoRoot, 'BENCHMARKS.md'), renderReport(last));
  process.exit(0);
}
const quick = args.has('--quick');
const config = quick
  ? { quick, rounds: 1, calls: 40, concurrency: 4 } // calls: a multiple of percall.mjs's 4 slices
  : { rounds: 5, calls: 2000, concurrency: 32 };
// A quick run's figures mean nothing: its report and record go to a temp directory, so neither
// BENCHMARKS.md nor the record `--render` reads is overwritten.
const outDir = quick ? mkdtempSync(join(os.tmpdir(), 'anyjob-bench-quick-')) : undefined;
const reportPath = outDir ? join(outDir, 'BENCHMARKS.md') : join(repoRoot, 'BENCHMARKS.md');
const recordPath = join(outDir ?? join(benchDir, '.generated'), 'last-run.json');

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
        ':!scripts/bench/fake-time.json',
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
report.imports = measureImports(quick ? 1 : undefined);
log('codegen: pnpm generate --force, then cached', 'codegen');
report.codegen = measureCodegen(quick ? 1 : undefined);
log('fleet: waiting for many runs against the fake providers', 'fleet');
report.fleet = await measureFleet({ quick, log });
log('fake time: a test like the README’s on @anyjob/testing, fake timers', 'fake time');
report.fakeTime = {
  ...measureFakeTime(quick ? 1 : 5),
  date: new Date().toISOString(),
  commit: report.machine.commit,
  loadBefore: os.loadavg(),
};
if (!quick) writeFakeTimeRecord(report.fakeTime);
log('queue: runs on BullMQ and Redis across worker processes', 'queue');
report.queue = await measureQueue({ quick, log });
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

// The record first: after a failure below, `--render` rewrites the report once the code is fixed.
writeFileSync(recordPath, `${JSON.stringify(report, null, 1)}\n`);
const rendered = renderReport(report);
// A figure the report reads under a name the run no longer records renders as "undefined" or "NaN".
const broken = rendered.split('\n').filter((line) => /\bundefined\b|\bNaN\b|\[object /.test(line));
if (broken.length > 0) throw new Error(`the report renders missing figures:\n${broken.join('\n')}`);
writeFileSync(reportPath, rendered);
log(`wrote ${reportPath}`);
