#!/usr/bin/env node
import { runCli } from './cli.js';

// First Ctrl-C aborts the running call, so the CLI can report the run's last state; a second one
// leaves at once.
const controller = new AbortController();
process.once('SIGINT', () => {
  controller.abort();
  process.once('SIGINT', () => process.exit(130));
});

const code = await runCli(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
  signal: controller.signal,
});
process.exitCode = code;
