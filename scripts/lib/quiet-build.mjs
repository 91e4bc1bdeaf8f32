// `turbo run build` for part of the workspace, silent when it works: the scripts a newcomer runs
// from a clone (`pnpm anyjob`, `pnpm example`, `pnpm demo`) build what they need first, and their
// own output should not drown in turbo's. On failure turbo's whole output is printed.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { repoRoot } from './providers.mjs';

/**
 * Builds the packages `filter` selects (turbo's `--filter` syntax, e.g. `@anyjob/cli...` for the
 * CLI and everything it depends on). A cache hit takes about a second. Throws, after writing
 * turbo's output to stderr, when the build fails.
 * @param {string} filter
 * @returns {void}
 */
export function buildQuietly(filter) {
  const turbo = join(repoRoot, 'node_modules', '.bin', 'turbo');
  const result = spawnSync(turbo, ['run', 'build', `--filter=${filter}`, '--output-logs=errors-only'], {
    cwd: repoRoot,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (result.error || result.status !== 0) {
    process.stderr.write(`${result.stdout ?? ''}${result.stderr ?? ''}`);
    throw new Error(
      `building ${filter} failed${result.error ? `: ${result.error.message}` : ' (turbo’s output is above)'}`,
    );
  }
}
