// Runs a node script the way a shell would, for end-to-end tests of the CLI and the demo. The child
// gets only the env a test passes (plus PATH), never the developer's, so real credentials can
// neither leak in nor be required.
import { spawn } from 'node:child_process';

export interface NodeResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface SpawnOptions {
  env?: Record<string, string>;
  stdin?: string;
  cwd?: string;
}

export interface RunningNode {
  /** Sends a signal to the child, as Ctrl-C in a terminal would. */
  kill(signal: NodeJS.Signals): void;
  /** Resolves with the first stderr output matching `pattern`. */
  stderrMatching(pattern: RegExp): Promise<string>;
  done: Promise<NodeResult>;
}

export function startNode(script: string, args: readonly string[], options: SpawnOptions = {}): RunningNode {
  const child = spawn(process.execPath, [script, ...args], {
    env: { PATH: process.env.PATH ?? '', ...options.env },
    cwd: options.cwd,
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
  const done = new Promise<NodeResult>((resolve, reject) => {
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
