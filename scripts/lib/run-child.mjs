// Runs a node program in the foreground for a root script (`pnpm anyjob`, `pnpm example`) and ends
// this process the way the program ended.
import { spawn } from 'node:child_process';
import { constants } from 'node:os';

/**
 * Runs `node <script> <args>` with the terminal's stdin, stdout and stderr, in the directory pnpm
 * was started from (INIT_CWD), so relative paths in the args mean what the user meant.
 */
export function runInForeground(script, args) {
  const child = spawn(process.execPath, [script, ...args], {
    stdio: 'inherit',
    // biome-ignore lint/suspicious/noUndeclaredEnvVars: pnpm sets it for scripts; no turbo task reads it
    cwd: process.env.INIT_CWD ?? process.cwd(),
  });
  // Ctrl-C in a terminal reaches the child too (same process group): let it finish its own way
  // (the CLI prints the run's last state and exits 130) rather than dying first. A signal sent to
  // this process alone is passed on.
  process.on('SIGINT', () => {});
  for (const signal of /** @type {const} */ (['SIGTERM', 'SIGHUP']))
    process.on(signal, () => child.kill(signal));
  child.on('error', (error) => {
    console.error(error.message);
    process.exitCode = 1;
  });
  child.on('exit', (code, signal) => {
    process.exitCode = code ?? 128 + (signal ? constants.signals[signal] : 0);
  });
}
