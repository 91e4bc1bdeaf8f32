// The command dispatcher: parse, run one command, print, return the exit code. It never calls
// process.exit, so it can be driven in-process; bin.ts wires it to the real process. Commands,
// flags and help come from the providers the facade registers: nothing here names a provider.
import { readFileSync } from 'node:fs';
import { type AnyJobProviderDescriptor, defaultProviders } from 'anyjob';
import { completion } from './commands/completion.js';
import type { CommandContext } from './commands/context.js';
import { doctor } from './commands/doctor.js';
import { list } from './commands/list.js';
import { mocks } from './commands/mocks.js';
import { type RefCommandName, refCommand } from './commands/refs.js';
import { trigger } from './commands/trigger.js';
import { buildCommandTable } from './commands.js';
import { EXIT } from './exit-codes.js';
import { exitCodeFor, formatFailure, keysInEnv } from './failures.js';
import { formatHelp } from './help.js';
import { type ReadStdin, readProcessStdin } from './inputs.js';
import type { ProgressStream } from './progress.js';
import { UsageError } from './usage-error.js';

/** Where the CLI reads and writes; bin.ts passes the real process's streams and env. */
export interface CliIo {
  /** Results: the run summary, or the JSON document with `--json`. */
  stdout: ProgressStream;
  /** Diagnostics, progress and errors. A spinner is drawn only when `isTTY` is true. */
  stderr: ProgressStream;
  /** Env the provider settings are read from (API keys, base URLs, region, proxies). */
  env: Record<string, string | undefined>;
  /** Reads all of stdin, for `-` as a ref or payload. Default: the process's stdin. */
  readStdin?: ReadStdin;
  /** Aborts a running command; its reason is the signal's name (`SIGTERM`), for the exit code. */
  signal?: AbortSignal;
  /** The providers to offer. Default: the facade's default providers. */
  providers?: readonly AnyJobProviderDescriptor[];
}

/** The version of @anyjob/cli, as `--version` prints it. */
export function version(): string {
  // The nearest package.json above this module: src/ when run from source, dist/ or a shared
  // chunk in dist/chunks/ when built, so the depth is not fixed.
  for (let dir = new URL('./', import.meta.url); ; dir = new URL('../', dir)) {
    let text: string;
    try {
      text = readFileSync(new URL('package.json', dir), 'utf8');
    } catch {
      if (new URL('../', dir).href === dir.href) throw new Error('@anyjob/cli: package.json not found');
      continue;
    }
    return (JSON.parse(text) as { version: string }).version;
  }
}

const REF_COMMANDS: readonly RefCommandName[] = ['status', 'wait', 'cancel'];

async function dispatch(ctx: CommandContext, argv: string[]): Promise<number> {
  const { io, table } = ctx;
  const [first, ...rest] = argv;
  if (first === undefined) {
    io.stderr.write(formatHelp(table.root));
    return EXIT.usage;
  }
  if (first === '--help' || first === '-h' || first === 'help') {
    io.stdout.write(formatHelp(table.root));
    return EXIT.ok;
  }
  if (first === '--version' || first === '-v') {
    io.stdout.write(`${version()}\n`);
    return EXIT.ok;
  }
  if (first === 'trigger') return trigger(ctx, rest);
  if (first === 'list') return list(ctx, rest);
  if (first === 'completion') return completion(ctx, rest);
  if (first === 'doctor') return doctor(ctx, rest);
  if (first === 'mocks') return mocks(ctx, rest);
  if ((REF_COMMANDS as readonly string[]).includes(first))
    return refCommand(ctx, first as RefCommandName, rest);
  throw new UsageError(
    first.startsWith('-')
      ? `${first} must follow a command.`
      : `unknown command "${first}"; use trigger, list, status, wait, cancel, completion, doctor or mocks.`,
    table.root,
    [],
    true,
  );
}

/** Runs the CLI with `argv` (without node and script) and returns the exit code. */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  const providers = io.providers ?? defaultProviders;
  const ctx: CommandContext = {
    io,
    table: buildCommandTable(providers),
    readStdin: io.readStdin ?? readProcessStdin,
  };
  try {
    return await dispatch(ctx, argv);
  } catch (error) {
    io.stderr.write(formatFailure(error, keysInEnv(providers, io.env)));
    return exitCodeFor(error);
  }
}
