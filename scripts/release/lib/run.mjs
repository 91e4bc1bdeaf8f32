// Runs a command without a shell and collects its output, so several can run in parallel and a
// failure can show exactly what the tool printed.
import { spawn } from 'node:child_process';

/** @returns {Promise<{ code: number, output: string }>} */
export function run(command, args, options = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk) => {
      output += chunk;
    });
    child.stderr.on('data', (chunk) => {
      output += chunk;
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? 1, output }));
  });
}

/** Like `run`, but a non-zero exit is an error carrying the command's output. */
export async function runOrThrow(command, args, options = {}) {
  const result = await run(command, args, options);
  if (result.code !== 0) {
    throw new Error(`\`${[command, ...args].join(' ')}\` exited with ${result.code}:\n${result.output}`);
  }
  return result.output;
}
