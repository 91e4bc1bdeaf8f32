// Testing code on @anyjob/testing's fake: the wall time of a user's test like the README's
// (examples/testing-with-fakes.test.ts: 50 TrueFoundry runs, each queued for a minute and running
// for 10, 3 of them failing and retried: 22 minutes of virtual time under vitest's fake timers).
// Each sample is one `vitest run` of that file (its own process, no Prism global setup: the test
// needs no server); the figure is vitest's duration of the test itself, not vitest's start-up.
//
//   node scripts/bench/fake-time.mjs [--samples 5]   # the targeted path: measures this figure only,
//                                                   # records it in fake-time.json and rewrites its
//                                                   # section of BENCHMARKS.md (and its target row)
//
// A full `pnpm bench` measures it too (section 7 of the report).
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { repoRoot } from '../lib/providers.mjs';
import { benchDir, generatedDir } from './paths.mjs';

export const FAKE_TIME_TEST = 'examples/testing-with-fakes.test.ts';
/** The test's scripted time: two rounds of a minute queued and ten running. */
const VIRTUAL_MS = 22 * 60_000;
export const fakeTimeRecord = join(benchDir, 'fake-time.json');

/** @param {number} samples */
export function measureFakeTime(samples = 5) {
  const dir = join(generatedDir, 'fake-time');
  mkdirSync(dir, { recursive: true });
  const config = join(dir, 'vitest.config.mjs');
  const cpuFile = join(dir, 'cpu.json');
  // The test's CPU time (its hooks included), read in the worker process around it: unlike wall
  // time, it hardly depends on what else the machine is running.
  const setup = join(dir, 'cpu-setup.mjs');
  writeFileSync(
    setup,
    `import { writeFileSync } from 'node:fs';
import { afterEach, beforeEach } from 'vitest';
let start;
beforeEach(() => { start = process.cpuUsage(); });
afterEach(() => {
  const used = process.cpuUsage(start);
  writeFileSync(${JSON.stringify(cpuFile)}, JSON.stringify({ cpuMs: (used.user + used.system) / 1000 }));
});
`,
  );
  writeFileSync(
    config,
    `export default { root: ${JSON.stringify(repoRoot)}, test: { include: [${JSON.stringify(FAKE_TIME_TEST)}], pool: 'forks', setupFiles: [${JSON.stringify(setup)}] } };\n`,
  );
  const vitest = join(repoRoot, 'node_modules', 'vitest', 'vitest.mjs');
  const durations = [];
  const cpu = [];
  for (let i = 0; i < samples; i++) {
    const output = join(dir, `results-${i}.json`);
    execFileSync(
      process.execPath,
      [vitest, 'run', '--config', config, '--reporter=json', `--outputFile=${output}`],
      { cwd: repoRoot, stdio: ['ignore', 'ignore', 'inherit'] },
    );
    const results = JSON.parse(readFileSync(output, 'utf8'));
    const tests = results.testResults.flatMap((file) => file.assertionResults);
    if (tests.length !== 1 || tests[0].status !== 'passed')
      throw new Error(`${FAKE_TIME_TEST}: expected one passing test, got ${JSON.stringify(tests)}`);
    durations.push(tests[0].duration);
    cpu.push(JSON.parse(readFileSync(cpuFile, 'utf8')).cpuMs);
  }
  const sorted = [...durations].sort((a, b) => a - b);
  const cpuSorted = [...cpu].sort((a, b) => a - b);
  return {
    test: FAKE_TIME_TEST,
    virtualMs: VIRTUAL_MS,
    runs: 53,
    samplesMs: durations,
    medianMs: sorted[Math.floor(sorted.length / 2)],
    maxMs: sorted.at(-1),
    cpuSamplesMs: cpu,
    cpuMedianMs: cpuSorted[Math.floor(cpuSorted.length / 2)],
  };
}

/** Writes the record as Biome formats JSON (number arrays on one line), figures to 0.1 ms. */
export function writeFakeTimeRecord(record) {
  const rounded = JSON.parse(
    JSON.stringify(record, (_, v) => (typeof v === 'number' ? Math.round(v * 10) / 10 : v)),
  );
  const text = JSON.stringify(rounded, null, 2).replace(
    /\[\s+([-\d.,\s]+?)\s+\]/g,
    (_, inner) => `[${inner.split(/,\s*/).join(', ')}]`,
  );
  writeFileSync(fakeTimeRecord, `${text}\n`);
}

const secs = (ms) => `${(ms / 1000).toFixed(2)} s`;

/** The target row: a test of runs scripted to take 10 minutes runs in under a second of wall time. */
export function fakeTimeTargets(fakeTime) {
  if (!fakeTime) return [];
  return [
    [
      'a test like the README’s (runs scripted to take 10 min) on the fake: < 1 s wall',
      `${secs(fakeTime.medianMs)} median, ${secs(fakeTime.maxMs)} max (CPU ${secs(fakeTime.cpuMedianMs)})`,
      fakeTime.medianMs < 1000 ? '**met**' : '**not met**',
    ],
  ];
}

export function fakeTimeSection(fakeTime) {
  if (!fakeTime) return 'Not measured in this run (`node scripts/bench/fake-time.mjs` measures it).';
  const when = fakeTime.date
    ? `Measured ${fakeTime.date} at ${fakeTime.commit}, load average before ${fakeTime.loadBefore.map((v) => v.toFixed(2)).join(', ')}.`
    : '';
  return `\`${fakeTime.test}\`, the README's example of a user's test on \`@anyjob/testing\`: a
nightly batch of ${fakeTime.runs - 3} TrueFoundry runs, each queued for 1 minute and running for 10,
3 failing and triggered again (${fakeTime.runs} runs, ${fakeTime.virtualMs / 60_000} minutes of virtual time
under vitest's fake timers), on the fake's in-process fetch. Each sample is one \`vitest run\` of the
file; the figure is vitest's duration of the test (not vitest's start-up), and the CPU time of
the worker process over the test and its hooks (\`process.cpuUsage()\`).

| samples (wall) | median | max | virtual time per wall second | CPU samples | CPU median |
|---|---|---|---|---|---|
| ${fakeTime.samplesMs.map((v) => `${Math.round(v)} ms`).join(', ')} | ${Math.round(fakeTime.medianMs)} ms | ${Math.round(fakeTime.maxMs)} ms | ${Math.round(fakeTime.virtualMs / fakeTime.medianMs).toLocaleString('en-US')} × | ${fakeTime.cpuSamplesMs.map((v) => `${Math.round(v)} ms`).join(', ')} | ${Math.round(fakeTime.cpuMedianMs)} ms |

${when} The figure is wall time: with a load average above the core count it measures the machine
as much as the fake.`;
}

const HEADING = '## 7. Testing code on the fake (virtual time)';
const TARGET_PREFIX = '| a test like the README’s';

/** Rewrites section 7 and the target row of BENCHMARKS.md from a record, leaving the rest as it is. */
export function patchReport(markdown, fakeTime) {
  const section = `${HEADING}\n\n${fakeTimeSection(fakeTime)}\n`;
  const at = markdown.indexOf(HEADING);
  // Up to the next section (a later one, such as the queue's, stays as it is).
  const next = at >= 0 ? markdown.indexOf('\n## ', at + HEADING.length) : -1;
  const rest = next >= 0 ? `\n${markdown.slice(next + 1)}` : '';
  let out =
    at >= 0
      ? `${markdown.slice(0, at).trimEnd()}\n\n${section}${rest}`
      : `${markdown.trimEnd()}\n\n${section}`;
  const [row] = fakeTimeTargets(fakeTime);
  const line = `| ${row.join(' | ')} |`;
  const lines = out.split('\n');
  const existing = lines.findIndex((l) => l.startsWith(TARGET_PREFIX));
  if (existing >= 0) lines[existing] = line;
  else {
    // After the last row of the targets table.
    const start = lines.indexOf('## Targets');
    let end = start + 1;
    while (end < lines.length && !lines[end].startsWith('| ') && !lines[end].startsWith('|---')) end++;
    while (end < lines.length && lines[end].startsWith('|')) end++;
    lines.splice(end, 0, line);
  }
  out = lines.join('\n');
  return out;
}

if (process.argv[1] === new URL(import.meta.url).pathname) {
  const args = process.argv.slice(2);
  const i = args.indexOf('--samples');
  const samples = i >= 0 ? Number(args[i + 1]) : 5;
  execFileSync('pnpm', ['build'], { cwd: repoRoot, stdio: ['ignore', 'ignore', 'inherit'] });
  const git = (...gitArgs) => execFileSync('git', gitArgs, { cwd: repoRoot, encoding: 'utf8' }).trim();
  const loadBefore = os.loadavg();
  const measured = measureFakeTime(samples);
  const record = {
    ...measured,
    date: new Date().toISOString(),
    commit: git('rev-parse', '--short', 'HEAD'),
    loadBefore,
  };
  writeFakeTimeRecord(record);
  const report = join(repoRoot, 'BENCHMARKS.md');
  writeFileSync(report, patchReport(readFileSync(report, 'utf8'), record));
  process.stdout.write(`${JSON.stringify(record)}\n`);
}
