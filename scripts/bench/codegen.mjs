// Codegen and suite wall time, measured around the same commands a developer types.
//
// Cold: `pnpm generate --force` — turbo ignores its cache and runs scripts/generate.mjs, which
// regenerates every provider and the shared runtime (the same as with `.turbo` removed, without
// deleting a cache other people's runs are using). Cached: `pnpm generate` right after, nothing
// changed, so turbo replays the task from its cache. Both include pnpm's and turbo's own start-up,
// as a developer sees them; `turbo` alone and the generator alone are timed too, to show where
// the time goes.
import { execFileSync, spawnSync } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { join, relative } from 'node:path';
import { repoRoot } from '../lib/providers.mjs';

const turbo = join(repoRoot, 'node_modules', '.bin', 'turbo');

function time(command, args) {
  const started = performance.now();
  execFileSync(command, args, { cwd: repoRoot, stdio: ['ignore', 'ignore', 'inherit'] });
  return performance.now() - started;
}

function medianOf(count, fn) {
  const samples = Array.from({ length: count }, fn).sort((a, b) => a - b);
  return { medianMs: samples[samples.length >> 1], samplesMs: samples };
}

export function measureCodegen(samples = 3) {
  const cold = medianOf(samples, () => time('pnpm', ['generate', '--force']));
  const generatorAlone = medianOf(1, () =>
    time(process.execPath, [join(repoRoot, 'scripts', 'generate.mjs')]),
  );
  // The generator just rewrote identical files; one turbo run re-primes the cache before timing hits.
  time('pnpm', ['generate']);
  const cached = medianOf(samples, () => time('pnpm', ['generate']));
  const cachedTurboOnly = medianOf(2, () =>
    time(turbo, ['run', 'generate:run', '--output-logs=errors-only']),
  );
  const pnpmStartup = medianOf(2, () => time('pnpm', ['--version']));
  return { cold, generatorAlone, cached, cachedTurboOnly, pnpmStartup };
}

/**
 * The README's test command, once: lint, generate, drift check, build, typecheck, Prism + vitest.
 * Its output goes to `logPath`; a failing suite is reported with its exit code, not thrown, since
 * the time up to the failure is still worth knowing.
 */
export function measureSuite(logPath) {
  const log = openSync(logPath, 'w');
  const started = performance.now();
  const result = spawnSync('pnpm', ['test'], { cwd: repoRoot, stdio: ['ignore', log, log] });
  closeSync(log);
  return {
    wallMs: performance.now() - started,
    exitCode: result.status,
    logPath: relative(repoRoot, logPath),
  };
}

if (process.argv[1] === new URL(import.meta.url).pathname)
  console.log(JSON.stringify(measureCodegen(), null, 1));
