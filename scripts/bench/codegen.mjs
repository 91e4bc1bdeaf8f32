// Codegen and suite wall time, measured around the same commands a developer types.
//
// Cold: `pnpm generate --force` — turbo ignores its cache and runs scripts/generate.mjs, which
// regenerates every provider and the shared runtime (the same as with `.turbo` removed, without
// deleting a cache other people's runs are using). Cached: `pnpm generate` right after, nothing
// changed, so turbo replays the task from its cache. Both include pnpm's and turbo's own start-up,
// as a developer sees them; `turbo` alone and the generator alone are timed too, to show where
// the time goes.
import { execFileSync, spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
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
 * The README's test command, once, the way CI runs it: in a fresh git worktree of HEAD (so neither
 * uncommitted files nor turbo's cache of this checkout count), after a `pnpm install` from the
 * local store that is timed apart. Output goes to `logPath`; a failing suite is reported with its
 * exit code, not thrown, since the time up to the failure is still worth knowing.
 */
export function measureSuite(logPath) {
  const tree = mkdtempSync(join(tmpdir(), 'anyjob-suite-'));
  const log = openSync(logPath, 'w');
  const run = (command, args, cwd) => {
    const started = performance.now();
    const { status } = spawnSync(command, args, { cwd, stdio: ['ignore', log, log] });
    return { ms: performance.now() - started, status };
  };
  try {
    execFileSync('git', ['worktree', 'add', '--detach', tree, 'HEAD'], { cwd: repoRoot, stdio: 'ignore' });
    const install = run('pnpm', ['install', '--frozen-lockfile', '--prefer-offline'], tree);
    const suite = install.status === 0 ? run('pnpm', ['test'], tree) : { ms: 0, status: install.status };
    return {
      wallMs: suite.ms,
      installMs: install.ms,
      exitCode: suite.status,
      logPath: relative(repoRoot, logPath),
    };
  } finally {
    closeSync(log);
    execFileSync('git', ['worktree', 'remove', '--force', tree], { cwd: repoRoot, stdio: 'ignore' });
    rmSync(tree, { recursive: true, force: true });
  }
}

if (process.argv[1] === new URL(import.meta.url).pathname)
  console.log(JSON.stringify(measureCodegen(), null, 1));
