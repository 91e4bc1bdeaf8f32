// Spawns the built CLI the way a shell would (see scripts/test-harness/spawn-node.ts).
import { fileURLToPath } from 'node:url';
import {
  type NodeResult,
  type RunningNode,
  type SpawnOptions,
  startNode,
} from '../../../scripts/test-harness/spawn-node.js';

export const CLI_BIN = fileURLToPath(new URL('../dist/bin.js', import.meta.url));

export type CliResult = NodeResult;
export type RunOptions = Omit<SpawnOptions, 'cwd'>;
export type RunningCli = RunningNode;

export function startCli(args: readonly string[], options: RunOptions = {}): RunningCli {
  return startNode(CLI_BIN, args, options);
}

/** `bin`: another copy of the built CLI (default: this package's). */
export function runCli(args: readonly string[], options: RunOptions = {}, bin = CLI_BIN): Promise<CliResult> {
  return startNode(bin, args, options).done;
}

/** stdout must be exactly one JSON document; returns it. */
export function parseJsonDocument(stdout: string): Record<string, unknown> {
  return JSON.parse(stdout) as Record<string, unknown>;
}
