// `anyjob doctor <provider> …`: the provider's live conformance check. It calls the provider's
// read operations (the plan in the provider package: never a trigger or anything with a side
// effect) with the user's key, checks every answer against the spec, and prints where they
// disagree: a table, or one JSON document with --json. The commands are built from the descriptors'
// `conformance` field, so nothing here names a provider.
import type { AnyJobProviderDescriptor, CliFlag, ConformanceReport } from '@anyjob/core';
import { AbortError, InvalidRequestError } from '@anyjob/core';
import { Redactor } from '@anyjob/core/internal';
import { parseCommandArgs, stringValue } from '../args.js';
import { type CommandDef, envNotes } from '../commands.js';
import { EXIT } from '../exit-codes.js';
import { exitCodeFor, exitCodeForSignalOf, formatFailure, keysInEnv } from '../failures.js';
import { formatHelp } from '../help.js';
import { readApiKeyFile } from '../inputs.js';
import { COMMON, type OptionDef, optionsOfFlag } from '../options.js';
import { formatTable } from '../output.js';
import { proxyFetch } from '../proxy.js';
import { asUsageError, fieldsFromFlags, settingsFromFlags } from '../requests.js';
import { durationOption } from '../session.js';
import { UsageError } from '../usage-error.js';
import type { CommandContext } from './context.js';

/** Exit 1 of the CLI's table ("the job failed") is, for doctor, "the API and the spec disagree". */
const DISAGREES = EXIT.jobFailed;

const JSON_OPTION: OptionDef = {
  name: 'json',
  type: 'boolean',
  help: 'print the report as one JSON document on stdout: {provider, conforms, checks, findings}',
};

const DOCTOR_NOTES = `Read-only: only operations the spec documents as reads are called (at most one request each,
plus the transport's retries of transient failures); no key, and no string the API sent, is printed.`;

/** doctor's codes, shown by its --help instead of the CLI's (where 1 means a failed job). */
const DOCTOR_EXIT_CODES = `Exit codes of doctor:
  0  every answer conforms to the spec
  1  findings: the API and the spec disagree (the report lists them)
  2  usage error (the message shows the line of help that fixes it)
  3  config or auth error (missing API key, bad base URL or region), also a documented 401/403 answer
  4  network or provider error, also another documented error answer (the checks after it are skipped)
  129, 130, 143  stopped by SIGHUP, SIGINT (Ctrl-C) or SIGTERM`;

function unique(options: OptionDef[]): OptionDef[] {
  const seen = new Map<string, OptionDef>();
  for (const option of options) if (!seen.has(option.name)) seen.set(option.name, option);
  return [...seen.values()];
}

const flagOptions = (flags: readonly CliFlag[] | undefined) => (flags ?? []).flatMap(optionsOfFlag);
const flagUsage = (flags: readonly CliFlag[]) =>
  flags.map((flag) => `--${flag.name}${flag.value ? ` ${flag.value}` : ''}`).join(' ');

export interface DoctorCommands {
  overview: CommandDef;
  byName: ReadonlyMap<string, CommandDef>;
}

/** The `doctor <name>` commands of the providers that have a conformance check. */
export function doctorCommands(providers: readonly AnyJobProviderDescriptor[]): DoctorCommands {
  const checked = providers.filter((provider) => provider.conformance !== undefined);
  const byName = new Map(
    checked.map((provider) => {
      const flags = provider.conformance?.flags ?? [];
      const command: CommandDef = {
        path: `doctor ${provider.name}`,
        usage: [`anyjob doctor ${provider.name} ${flagUsage(flags)} [--json]`.replace('  ', ' ')],
        summary: `Check ${provider.displayName}'s live API against our spec of it: call its read operations with your key and report where the answers and the spec disagree (missing or extra fields, wrong types, unknown enum words, undocumented statuses).`,
        options: unique([
          ...flagOptions(flags),
          JSON_OPTION,
          ...flagOptions(provider.cli.settingFlags),
          COMMON['base-url'],
          COMMON['api-key-file'],
          COMMON['request-timeout'],
        ]),
        notes: `${envNotes(provider)}\n${DOCTOR_NOTES}`,
        exitCodes: DOCTOR_EXIT_CODES,
        provider,
      };
      return [provider.name, command] as const;
    }),
  );
  const overview: CommandDef = {
    path: 'doctor',
    usage: [`anyjob doctor <${[...byName.keys()].join(' | ')}> [options] [--json]`],
    summary:
      "Check a provider's live API against our spec of it (read-only). Run `anyjob doctor <provider> --help` for its options.",
    options: [],
    exitCodes: DOCTOR_EXIT_CODES,
  };
  return { overview, byName };
}

/** The exit code of a finished check: findings first, then an error answer that stopped the plan. */
export function doctorExitCode(report: ConformanceReport): number {
  if (!report.conforms) return DISAGREES;
  const failed = report.checks.find((check) => check.status !== undefined && check.status >= 400);
  if (failed === undefined) return EXIT.ok;
  return failed.status === 401 || failed.status === 403 ? EXIT.config : EXIT.provider;
}

/** The report for people: the checks, the findings, one verdict line. */
export function formatReport(report: ConformanceReport): string {
  const checks = formatTable(
    ['OPERATION', 'REQUEST', 'STATUS', 'RESULT'],
    report.checks.map((check) => [
      check.operation,
      `${check.method} ${check.url}`,
      check.status === undefined ? '-' : String(check.status),
      check.skipped !== undefined
        ? `skipped: ${check.skipped}`
        : check.findings === 0
          ? 'conforms'
          : `${check.findings} finding${check.findings === 1 ? '' : 's'}`,
    ]),
  );
  const parts = [`${report.provider}: live answers checked against ${report.spec}\n\n${checks}`];
  if (report.findings.length > 0) {
    parts.push(
      formatTable(
        ['OPERATION', 'STATUS', 'KIND', 'PATH', 'EXPECTED', 'GOT'],
        report.findings.map((f) => [f.operation, String(f.status), f.kind, f.path, f.expected, f.got]),
      ),
    );
  }
  const called = report.checks.filter((check) => check.skipped === undefined).length;
  const skipped = report.checks.length - called;
  const scope = `${called} answer${called === 1 ? '' : 's'} checked${skipped > 0 ? `, ${skipped} skipped` : ''}`;
  parts.push(
    report.conforms
      ? `${report.provider}: no disagreement with ${report.spec} (${scope}).\n`
      : `${report.provider}: ${report.findings.length} finding${report.findings.length === 1 ? '' : 's'}: the API and ${report.spec} disagree (${scope}).\n`,
  );
  return parts.join('\n');
}

/** Why an error answer that the spec documents ended the check early, for stderr. */
function stoppedNote(report: ConformanceReport): string {
  const failed = report.checks.find((check) => check.status !== undefined && check.status >= 400);
  if (failed === undefined) return '';
  const auth = failed.status === 401 || failed.status === 403;
  const hint = auth
    ? "check the API key (the provider's env var or --api-key-file) and its permissions"
    : 'check the ids given on the command line and the base URL';
  const skipped = report.checks.some((check) => check.skipped !== undefined)
    ? ' The checks after it were skipped.'
    : '';
  return `error: ${report.provider} ${failed.operation} answered ${failed.status}: ${hint}.${skipped}\n`;
}

export async function doctor({ io, table, readStdin }: CommandContext, args: string[]): Promise<number> {
  const commands = table.doctor;
  const name = args[0];
  const names = [...commands.byName.keys()].join(', ');
  if (name === undefined || name.startsWith('-')) {
    if (args.includes('--help') || args.includes('-h')) {
      io.stdout.write(formatHelp(commands.overview));
      return EXIT.ok;
    }
    throw new UsageError(`name the provider: ${names}.`, commands.overview, [], true);
  }
  const command = commands.byName.get(name);
  const conformance = command?.provider?.conformance;
  if (!command?.provider || !conformance) {
    const known = table.providers.find((provider) => provider.name === name);
    throw new UsageError(
      known
        ? `${known.displayName} has no conformance check; providers with one: ${names}.`
        : `unknown provider "${name}"; use one of ${names}.`,
      commands.overview,
      [],
      true,
    );
  }
  const { provider } = command;
  const { values } = parseCommandArgs(command, args.slice(1), 0, table);
  if (values.help) {
    io.stdout.write(formatHelp(command));
    return EXIT.ok;
  }
  const input = await fieldsFromFlags(command, conformance.flags, values, readStdin);
  const requestTimeoutMs = durationOption(command, values, 'request-timeout');
  const secrets = keysInEnv(table.providers, io.env);
  try {
    const keyFile = stringValue(values, 'api-key-file');
    const apiKey = keyFile === undefined ? undefined : await readApiKeyFile(keyFile);
    if (apiKey !== undefined) secrets.push(apiKey);
    const baseUrl = stringValue(values, 'base-url');
    const fetch = proxyFetch(io.env);
    const settings = {
      env: io.env,
      ...(baseUrl !== undefined ? { baseUrl } : {}),
      ...(apiKey !== undefined ? { apiKey } : {}),
      ...(requestTimeoutMs !== undefined ? { timeoutMs: requestTimeoutMs } : {}),
      ...(fetch !== undefined ? { fetch } : {}),
      ...settingsFromFlags(provider, values),
    };
    const module = await conformance.load();
    let report: ConformanceReport;
    try {
      report = await module.checkConformance(settings, input, io.signal ? { signal: io.signal } : {});
    } catch (error) {
      if (InvalidRequestError.isInstance(error)) throw asUsageError(command, conformance.flags, error);
      throw error;
    }
    const redactor = new Redactor(secrets);
    io.stdout.write(
      redactor.text(values.json === true ? `${JSON.stringify(report, null, 2)}\n` : formatReport(report)),
    );
    const code = doctorExitCode(report);
    if (report.conforms && code !== EXIT.ok) io.stderr.write(redactor.text(stoppedNote(report)));
    return code;
  } catch (error) {
    if (error instanceof UsageError) throw error;
    io.stderr.write(formatFailure(error, secrets));
    return AbortError.isInstance(error) ? exitCodeForSignalOf(io.signal) : exitCodeFor(error);
  }
}
