#!/usr/bin/env node
import { runCli } from './cli.js';
import { exitCodeForSignal } from './exit-codes.js';

// SIGINT (Ctrl-C), SIGTERM (a CI cancellation, Kubernetes) and SIGHUP (the terminal went away)
// abort the running call, so the CLI can report the run's last state and its ref (or, for a
// trigger in flight, that the run may have started) before it exits 130, 143 or 129. A second
// signal leaves at once.
const controller = new AbortController();
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.once(signal, () => {
    if (controller.signal.aborted) process.exit(exitCodeForSignal(signal));
    controller.abort(signal);
    for (const again of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
      process.once(again, () => process.exit(exitCodeForSignal(again)));
    }
  });
}

const code = await runCli(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
  signal: controller.signal,
});
process.exitCode = code;
