// Spawns the built CLI the way a shell would. The child gets only the env a test passes (plus
// PATH), never the developer's, so real credentials can neither leak in nor be required.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const CLI_BIN = fileURLToPath(new URL('../dist/bin.js', import.meta.url));

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  env?: Record<string, string>;
  stdin?: string;
}

export interface RunningCli {
  /** Sends a signal to the CLI, as Ctrl-C in a terminal would. */
  kill(signal: NodeJS.Signals): void;
  /** Resolves with the first stderr output matching `pattern`. */
  stderrMatching(pattern: RegExp): Promise<string>;
  done: Promise<CliResult>;
}

export function startCli(args: readonly string[], options: RunOptions = {}): RunningCli {
  const child = spawn(process.execPath, [CLI_BIN, ...args], {
    env: { PATH: process.env.PATH ?? '', ...options.env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  const watchers: { pattern: RegExp; resolve: (text: string) => void }[] = [];
  child.stdout.on('data', (chunk) => {
    stdout += chunk;
  });
  child.stderr.on('data', (chunk) => {
    stderr += chunk;
    for (const watcher of watchers.splice(0)) {
      if (watcher.pattern.test(stderr)) watcher.resolve(stderr);
      else watchers.push(watcher);
    }
  });
  const done = new Promise<CliResult>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
  child.stdin.end(options.stdin ?? '');
  return {
    kill: (signal) => child.kill(signal),
    stderrMatching: (pattern) =>
      pattern.test(stderr)
        ? Promise.resolve(stderr)
        : new Promise((resolve) => watchers.push({ pattern, resolve })),
    done,
  };
}

export function runCli(args: readonly string[], options: RunOptions = {}): Promise<CliResult> {
  return startCli(args, options).done;
}

/** stdout must be exactly one JSON document; returns it. */
export function parseJsonDocument(stdout: string): Record<string, unknown> {
  return JSON.parse(stdout) as Record<string, unknown>;
}
