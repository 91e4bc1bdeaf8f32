// What one command invocation shares: where it writes, the secrets to scrub, the last run seen
// (reported when a signal stops the command), and the facade client for a provider.
import {
  AbortError,
  type AnyJob,
  type AnyJobProviderDescriptor,
  ConfigError,
  composeAnyJob,
  JobCanceledError,
  JobFailedError,
  type JobRun,
  TriggerUnconfirmedError,
  WaitTimeoutError,
} from 'anyjob';
import { type ParsedValues, stringValue } from './args.js';
import type { CliIo } from './cli.js';
import type { CommandDef } from './commands.js';
import { parseDuration } from './duration.js';
import { exitCodeFor, exitCodeForSignalOf, formatFailure, keysInEnv } from './failures.js';
import { readApiKeyFile } from './inputs.js';
import { formatHuman, formatJson } from './output.js';
import { createProgress } from './progress.js';
import { proxyFetch } from './proxy.js';
import { settingsFromFlags } from './requests.js';
import { UsageError } from './usage-error.js';

export interface Timing {
  timeoutMs?: number;
  pollIntervalMs?: number;
}

export function durationOption(command: CommandDef, values: ParsedValues, name: string): number | undefined {
  const text = stringValue(values, name);
  if (text === undefined) return undefined;
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

export function timing(command: CommandDef, values: ParsedValues): Timing {
  return {
    timeoutMs: durationOption(command, values, 'timeout'),
    pollIntervalMs: durationOption(command, values, 'poll-interval'),
  };
}

export class Session {
  private readonly secrets: string[];
  /** The latest state seen, reported when the command is stopped. */
  lastRun: JobRun | undefined;
  /** Settings given by flags (setting → flag), so a setting the provider rejects is a usage error. */
  private readonly flagOfSetting = new Map<string, string>();
  private command: CommandDef | undefined;

  constructor(
    readonly io: CliIo,
    readonly providers: readonly AnyJobProviderDescriptor[],
    readonly json: boolean,
  ) {
    this.secrets = keysInEnv(providers, io.env);
  }

  /**
   * The facade for `providers` (usually one), with the connection flags of the command line:
   * --base-url and --api-key-file belong to one provider, so they need the runs of one.
   */
  async connect(
    command: CommandDef,
    providers: AnyJobProviderDescriptor | readonly AnyJobProviderDescriptor[],
    values: ParsedValues,
  ): Promise<AnyJob<AnyJobProviderDescriptor>> {
    const list = Array.isArray(providers) ? [...new Set(providers)] : [providers as AnyJobProviderDescriptor];
    const keyFile = stringValue(values, 'api-key-file');
    const baseUrl = stringValue(values, 'base-url');
    if (list.length > 1 && (keyFile !== undefined || baseUrl !== undefined)) {
      throw new UsageError(
        `--base-url and --api-key-file configure one provider, but these runs are on ${list.map((p) => p.name).join(', ')}; wait for each provider's runs separately, or use the env vars.`,
        command,
        ['base-url', 'api-key-file'],
      );
    }
    this.command = command;
    if (baseUrl !== undefined) this.flagOfSetting.set('baseUrl', 'base-url');
    for (const provider of list) {
      for (const flag of provider.cli.settingFlags ?? []) {
        if (flag.setting !== undefined && values[flag.name] !== undefined)
          this.flagOfSetting.set(flag.setting, flag.name);
      }
    }
    const apiKey = keyFile === undefined ? undefined : await readApiKeyFile(keyFile);
    if (apiKey !== undefined) this.secrets.push(apiKey);
    const requestTimeoutMs = durationOption(command, values, 'request-timeout');
    const fetch = proxyFetch(this.io.env);
    const config: Record<string, unknown> = {
      env: this.io.env,
      ...(requestTimeoutMs !== undefined ? { timeoutMs: requestTimeoutMs } : {}),
      ...(fetch !== undefined ? { fetch } : {}),
    };
    for (const provider of list) {
      config[provider.name] = {
        ...(baseUrl !== undefined ? { baseUrl } : {}),
        ...(apiKey !== undefined ? { apiKey } : {}),
        ...settingsFromFlags(provider, values),
      };
    }
    return composeAnyJob(this.providers, config as never);
  }

  /** Secrets to scrub from what this session writes. */
  get scrubbed(): readonly string[] {
    return this.secrets;
  }

  write(text: string): void {
    this.io.stdout.write(text);
  }

  printRun(run: JobRun, options: { elapsedMs?: number; showRef: boolean }): void {
    this.io.stdout.write(this.json ? formatJson(run) : formatHuman(run, options));
  }

  /** Writes what the error leaves the user (the run's last state, how to find it) and returns the exit code. */
  fail(error: unknown): number {
    // A value given on the command line that the provider refuses (e.g. --region): fix the flag.
    const flag =
      ConfigError.isInstance(error) && error.setting ? this.flagOfSetting.get(error.setting) : undefined;
    if (flag !== undefined && this.command) {
      const usage = new UsageError(`--${flag}: ${(error as Error).message}`, this.command, [flag]);
      this.io.stderr.write(formatFailure(usage, this.secrets));
      return exitCodeFor(usage);
    }
    // A wait that ended badly still reports the last state of the run, so scripts can read it.
    if (
      JobFailedError.isInstance(error) ||
      JobCanceledError.isInstance(error) ||
      WaitTimeoutError.isInstance(error)
    ) {
      this.printRun(error.run as JobRun, { showRef: WaitTimeoutError.isInstance(error) });
    } else if (AbortError.isInstance(error)) {
      if (this.lastRun) this.printRun(this.lastRun, { showRef: true });
      const signal = this.io.signal?.reason;
      this.io.stderr.write(
        `Stopped${typeof signal === 'string' ? ` by ${signal}` : ''}; the run itself keeps going.${this.lastRun ? ' Follow it with `anyjob wait`.' : ''}\n`,
      );
      return exitCodeForSignalOf(this.io.signal);
    } else if (TriggerUnconfirmedError.isInstance(error) && this.json) {
      this.io.stdout.write(
        formatJson({
          status: 'unconfirmed',
          provider: error.provider,
          request: error.request,
          window: error.window,
          reconciliation: { outcome: error.reconciliation.outcome, searched: error.reconciliation.searched },
          candidates: error.candidates,
          hint: error.hint,
        }),
      );
    }
    this.io.stderr.write(formatFailure(error, this.secrets));
    return exitCodeFor(error);
  }

  async wait(
    client: AnyJob<AnyJobProviderDescriptor>,
    run: JobRun | JobRun['ref'],
    time: Timing,
  ): Promise<JobRun> {
    const initial = 'ref' in run ? (run as JobRun) : `${run.provider} run`;
    const progress = createProgress(this.io.stderr, initial);
    try {
      return (await client.waitForJob(run, {
        ...(time.timeoutMs !== undefined ? { timeoutMs: time.timeoutMs } : {}),
        ...(time.pollIntervalMs !== undefined ? { pollIntervalMs: time.pollIntervalMs } : {}),
        ...(this.io.signal ? { signal: this.io.signal } : {}),
        onUpdate: (update: JobRun) => {
          this.lastRun = update;
          progress.update(update);
        },
      })) as JobRun;
    } finally {
      progress.stop();
    }
  }
}
