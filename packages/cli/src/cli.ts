// The command dispatcher: parse, run one command, print, return the exit code. It never calls
// process.exit, so it can be driven in-process; bin.ts wires it to the real process.
import { readFileSync } from 'node:fs';
import {
  AbortError,
  InvalidRequestError,
  isTerminal,
  isUnsuccessful,
  JobCanceledError,
  JobFailedError,
  type JobRun,
  TimeoutError,
  WaitTimeoutError,
} from 'anyjob';
import { type ParsedArgs, type ParsedValues, parseCommandArgs } from './args.js';
import {
  type CommandDef,
  isProviderName,
  PROVIDERS,
  REF_COMMANDS,
  type RefCommandName,
  ROOT,
  TRIGGER_COMMANDS,
  TRIGGER_OVERVIEW,
} from './commands.js';
import { type Connection, connect } from './connection.js';
import { parseDuration } from './duration.js';
import { EXIT } from './exit-codes.js';
import { exitCodeFor, formatFailure, KEY_ENV_VARS, RunchatWaitTimeoutError } from './failures.js';
import { formatHelp } from './help.js';
import { type ReadStdin, readProcessStdin, readRef } from './inputs.js';
import { formatHuman, formatJson } from './output.js';
import { createProgress, type ProgressStream } from './progress.js';
import { asUsageError, buildTriggerRequest } from './requests.js';
import { UsageError } from './usage-error.js';

/** Where the CLI reads and writes; bin.ts passes the real process's streams and env. */
export interface CliIo {
  /** Results: the run summary, or the JSON document with `--json`. */
  stdout: ProgressStream;
  /** Diagnostics, progress and errors. A spinner is drawn only when `isTTY` is true. */
  stderr: ProgressStream;
  /** Env the provider settings are read from (API keys, base URLs, region). */
  env: Record<string, string | undefined>;
  /** Reads all of stdin, for `-` as a ref or payload. Default: the process's stdin. */
  readStdin?: ReadStdin;
  /** Aborts a running command (bin.ts fires it on Ctrl-C). */
  signal?: AbortSignal;
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

interface Timing {
  timeoutMs?: number;
  pollIntervalMs?: number;
}

function durationOption(command: CommandDef, values: ParsedValues, name: 'timeout' | 'poll-interval') {
  const text = values[name];
  if (typeof text !== 'string') return undefined;
  const ms = parseDuration(text);
  if (ms === undefined || ms <= 0) {
    throw new UsageError(
      `--${name} "${text}" is not a duration; use a number with a unit, e.g. 30s, 5m, 1h30m, 500ms.`,
      command,
      [name],
    );
  }
  return ms;
}

function timing(command: CommandDef, values: ParsedValues): Timing {
  return {
    timeoutMs: durationOption(command, values, 'timeout'),
    pollIntervalMs: durationOption(command, values, 'poll-interval'),
  };
}

class Session {
  private secrets: string[];
  /** The latest state seen, reported when the command is interrupted. */
  lastRun: JobRun | undefined;

  constructor(
    private readonly io: CliIo,
    private readonly json: boolean,
  ) {
    this.secrets = KEY_ENV_VARS.map((name) => io.env[name]).filter((v): v is string => !!v);
  }

  addSecrets(connection: Connection): void {
    this.secrets.push(...connection.secrets);
  }

  printRun(run: JobRun, options: { elapsedMs?: number; showRef: boolean }): void {
    this.io.stdout.write(this.json ? formatJson(run) : formatHuman(run, options));
  }

  fail(error: unknown): number {
    // A wait that ended badly still reports the last state of the run, so scripts can read it.
    if (
      JobFailedError.isInstance(error) ||
      JobCanceledError.isInstance(error) ||
      WaitTimeoutError.isInstance(error)
    ) {
      this.printRun(error.run as JobRun, { showRef: WaitTimeoutError.isInstance(error) });
    } else if (AbortError.isInstance(error) && this.lastRun) {
      this.printRun(this.lastRun, { showRef: true });
      this.io.stderr.write('Interrupted; the run itself keeps going. Follow it with `anyjob wait`.\n');
      return exitCodeFor(error);
    }
    this.io.stderr.write(formatFailure(error, this.secrets));
    return exitCodeFor(error);
  }

  async wait(connection: Connection, run: JobRun | JobRun['ref'], time: Timing): Promise<JobRun> {
    const initial = 'ref' in run ? (run as JobRun) : `${run.provider} run`;
    const progress = createProgress(this.io.stderr, initial);
    try {
      return await connection.client.waitForJob(run, {
        ...(time.timeoutMs !== undefined ? { timeoutMs: time.timeoutMs } : {}),
        ...(time.pollIntervalMs !== undefined ? { pollIntervalMs: time.pollIntervalMs } : {}),
        ...(this.io.signal ? { signal: this.io.signal } : {}),
        onUpdate: (update: JobRun) => {
          this.lastRun = update;
          progress.update(update);
        },
      });
    } finally {
      progress.stop();
    }
  }
}

function parsedOrHelp(io: CliIo, command: CommandDef, parsed: ParsedArgs): boolean {
  if (parsed.values.help) {
    io.stdout.write(formatHelp(command));
    return true;
  }
  return false;
}

async function trigger(io: CliIo, args: string[]): Promise<number> {
  const provider = args[0];
  if (provider === undefined || provider.startsWith('-')) {
    if (args.includes('--help') || args.includes('-h')) {
      io.stdout.write(formatHelp(TRIGGER_OVERVIEW));
      return EXIT.ok;
    }
    throw new UsageError(`name the provider: ${PROVIDERS.join(', ')}.`, TRIGGER_OVERVIEW, [], true);
  }
  if (!isProviderName(provider)) {
    throw new UsageError(
      `unknown provider "${provider}"; use one of ${PROVIDERS.join(', ')}.`,
      TRIGGER_OVERVIEW,
      [],
      true,
    );
  }
  const command = TRIGGER_COMMANDS[provider];
  const parsed = parseCommandArgs(command, args.slice(1), 0);
  if (parsedOrHelp(io, command, parsed)) return EXIT.ok;
  const { values } = parsed;
  const waitFor = values.wait === true;
  const time = timing(command, values);
  // Runchat runs finish inside the trigger request, so there --timeout bounds that request.
  if (provider !== 'runchat' && !waitFor) {
    for (const name of ['timeout', 'poll-interval'] as const) {
      if (values[name] !== undefined) {
        throw new UsageError(`--${name} only applies with --wait.`, command, [name, 'wait']);
      }
    }
  }
  const session = new Session(io, values.json === true);
  const readStdin = io.readStdin ?? readProcessStdin;
  const request = await buildTriggerRequest(provider, values, readStdin);
  let connection: Connection | undefined;
  try {
    connection = await connect(command, provider, values, io.env);
    session.addSecrets(connection);
    const started = Date.now();
    const requestTimeoutMs = provider === 'runchat' ? time.timeoutMs : undefined;
    const triggered = await connection.client
      .triggerJob(request, {
        ...(requestTimeoutMs !== undefined ? { timeoutMs: requestTimeoutMs } : {}),
        ...(io.signal ? { signal: io.signal } : {}),
      })
      .catch((error: unknown) => {
        if (InvalidRequestError.isInstance(error)) throw asUsageError(provider, error);
        // With --wait, running out of --timeout is the wait timing out; the default request
        // timeout, or --timeout without --wait, stays a failed request (exit 4).
        if (waitFor && requestTimeoutMs !== undefined && TimeoutError.isInstance(error)) {
          throw new RunchatWaitTimeoutError(String(values.timeout));
        }
        throw error;
      });
    session.lastRun = triggered;
    if (!waitFor || isTerminal(triggered.status)) {
      session.printRun(triggered, {
        showRef: !isTerminal(triggered.status),
        elapsedMs: Date.now() - started,
      });
      return isUnsuccessful(triggered.status) ? EXIT.jobFailed : EXIT.ok;
    }
    const finished = await session.wait(connection, triggered, time);
    session.printRun(finished, { showRef: false, elapsedMs: Date.now() - started });
    return EXIT.ok;
  } catch (error) {
    return session.fail(error);
  }
}

async function refCommand(io: CliIo, name: RefCommandName, args: string[]): Promise<number> {
  const command: CommandDef = REF_COMMANDS[name];
  const parsed = parseCommandArgs(command, args, 1);
  if (parsedOrHelp(io, command, parsed)) return EXIT.ok;
  const source = parsed.positionals[0];
  if (source === undefined) {
    throw new UsageError('give the file holding the run ref, or - to read it from stdin.', command, [], true);
  }
  const { values } = parsed;
  const time = timing(command, values);
  const ref = await readRef(command, source, io.readStdin ?? readProcessStdin);
  const session = new Session(io, values.json === true);
  try {
    const connection = await connect(command, ref.provider, values, io.env);
    session.addSecrets(connection);
    const call = io.signal ? { signal: io.signal } : {};
    const started = Date.now();
    // The facade validates the rest of the ref's shape for its provider.
    const stored = ref as unknown as JobRun['ref'];
    switch (name) {
      case 'status': {
        const run = await connection.client.getJobRun(stored, call);
        session.printRun(run, { showRef: false });
        return EXIT.ok;
      }
      case 'cancel': {
        const run = await connection.client.cancelJob(stored, call);
        session.printRun(run, { showRef: false });
        return EXIT.ok;
      }
      case 'wait': {
        const run = await session.wait(connection, stored, time);
        session.printRun(run, { showRef: false, elapsedMs: Date.now() - started });
        return EXIT.ok;
      }
    }
  } catch (error) {
    return session.fail(error);
  }
}

async function dispatch(io: CliIo, argv: string[]): Promise<number> {
  const [first, ...rest] = argv;
  if (first === undefined) {
    io.stderr.write(formatHelp(ROOT));
    return EXIT.usage;
  }
  if (first === '--help' || first === '-h' || first === 'help') {
    io.stdout.write(formatHelp(ROOT));
    return EXIT.ok;
  }
  if (first === '--version' || first === '-v') {
    io.stdout.write(`${version()}\n`);
    return EXIT.ok;
  }
  if (first === 'trigger') return trigger(io, rest);
  if (Object.hasOwn(REF_COMMANDS, first)) return refCommand(io, first as RefCommandName, rest);
  throw new UsageError(
    first.startsWith('-')
      ? `${first} must follow a command.`
      : `unknown command "${first}"; use trigger, status, wait or cancel.`,
    ROOT,
    [],
    true,
  );
}

/** Runs the CLI with `argv` (without node and script) and returns the exit code. */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  try {
    return await dispatch(io, argv);
  } catch (error) {
    io.stderr.write(
      formatFailure(
        error,
        KEY_ENV_VARS.map((n) => io.env[n] ?? ''),
      ),
    );
    return exitCodeFor(error);
  }
}
