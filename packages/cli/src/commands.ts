// The command table, built from the provider descriptors the facade registers: every command, its
// options, usage lines and notes. The argument parser, the help pages, the usage errors (which
// quote the help lines that fix them) and shell completion are all built from it, so they cannot
// disagree — and a new provider gets its commands without an edit here.
import type { AnyJobProviderDescriptor, CliFlag } from 'anyjob';
import { type DoctorCommands, doctorCommands } from './commands/doctor.js';
import { COMMON, type OptionDef, optionsOfFlag } from './options.js';

export interface CommandDef {
  /** As typed: `trigger truefoundry`, `wait`. */
  path: string;
  usage: string[];
  summary: string;
  options: OptionDef[];
  notes?: string;
  /** The command's own exit-code table for `--help`, where the codes mean something else than the CLI's. */
  exitCodes?: string;
  /** The provider a `trigger <name>` / `list <name>` command acts on. */
  provider?: AnyJobProviderDescriptor;
}

export interface CommandTable {
  providers: readonly AnyJobProviderDescriptor[];
  root: CommandDef;
  triggerOverview: CommandDef;
  trigger: ReadonlyMap<string, CommandDef>;
  listOverview: CommandDef;
  list: ReadonlyMap<string, CommandDef>;
  status: CommandDef;
  wait: CommandDef;
  cancel: CommandDef;
  completion: CommandDef;
  /** `mocks --fake`: the providers' fakes (@anyjob/testing) on a loopback port. */
  mocks: CommandDef;
  /** `doctor <name>`: the providers' live conformance checks. */
  doctor: DoctorCommands;
}

const CONNECTION = [COMMON['base-url'], COMMON['api-key-file'], COMMON['request-timeout']];
const WAITING = [COMMON.timeout, COMMON['poll-interval']];

/** "Credentials: TFY_API_KEY, or --api-key-file. Base URL: TFY_HOST (or TFY_BASE_URL), or --base-url." */
export function envNotes(provider: AnyJobProviderDescriptor): string {
  const [key, ...keyAliases] = provider.env.apiKey;
  const [url, ...urlAliases] = provider.env.baseUrl;
  const alias = (names: readonly string[]) => (names.length > 0 ? ` (or ${names.join(', ')})` : '');
  const lines = [`Credentials: ${key}${alias(keyAliases)}, or --api-key-file.`];
  if (url) lines.push(`Base URL: ${url}${alias(urlAliases)}, or --base-url.`);
  if (provider.cli.notes) lines.push(provider.cli.notes);
  return lines.join(' ');
}

function unique(options: OptionDef[]): OptionDef[] {
  const seen = new Map<string, OptionDef>();
  for (const option of options) if (!seen.has(option.name)) seen.set(option.name, option);
  return [...seen.values()];
}

function flagOptions(flags: readonly CliFlag[] | undefined): OptionDef[] {
  return (flags ?? []).flatMap(optionsOfFlag);
}

function triggerCommand(provider: AnyJobProviderDescriptor): CommandDef {
  return {
    path: `trigger ${provider.name}`,
    usage: provider.cli.usage.map((line) => `anyjob trigger ${provider.name} ${line}`),
    summary: provider.cli.summary,
    options: unique([
      ...flagOptions(provider.cli.flags),
      COMMON.wait,
      ...WAITING,
      COMMON.json,
      ...flagOptions(provider.cli.settingFlags),
      ...CONNECTION,
    ]),
    notes: envNotes(provider),
    provider,
  };
}

function listCommand(provider: AnyJobProviderDescriptor): CommandDef {
  const flags = provider.cli.listFlags ?? [];
  const required = flags
    .map((flag) => {
      const text = `--${flag.name}${flag.value ? ` ${flag.value}` : ''}`;
      return flag.required ? text : `[${text}]`;
    })
    .join(' ');
  return {
    path: `list ${provider.name}`,
    usage: [`anyjob list ${provider.name} ${required} [--limit <n>] [--json]`],
    summary: `List the runs of a ${provider.displayName} job, newest first: a table, or JSON lines with --json.`,
    options: unique([
      ...flagOptions(flags),
      COMMON.limit,
      COMMON['json-lines'],
      ...flagOptions(provider.cli.settingFlags),
      ...CONNECTION,
    ]),
    notes: envNotes(provider),
    provider,
  };
}

const REF_ARG = '<ref.json | ->';

export function buildCommandTable(providers: readonly AnyJobProviderDescriptor[]): CommandTable {
  const trigger = new Map(providers.map((provider) => [provider.name, triggerCommand(provider)]));
  const listable = providers.filter((provider) => provider.capabilities.list && provider.cli.listFlags);
  const list = new Map(listable.map((provider) => [provider.name, listCommand(provider)]));
  const names = providers.map((provider) => provider.name);
  const settingOptions = unique(providers.flatMap((provider) => flagOptions(provider.cli.settingFlags)));
  const refOptions = [COMMON.json, ...settingOptions, ...CONNECTION];
  const cancelable = providers.filter((provider) => provider.capabilities.cancel).map((p) => p.displayName);
  const refNote = `The ref is what \`anyjob trigger … --json\` prints (the whole document or its "ref" field), read from a file or, with -, from stdin.
It records the origin of the API the run lives on; pass the same base URL (or env) as the trigger did.`;

  const triggerOverview: CommandDef = {
    path: 'trigger',
    usage: [`anyjob trigger <${names.join(' | ')}> [options]`],
    summary: 'Start a job. Run `anyjob trigger <provider> --help` for the options of each provider.',
    options: [],
  };
  const listOverview: CommandDef = {
    path: 'list',
    usage: [`anyjob list <${[...list.keys()].join(' | ')}> [options]`],
    summary: 'List the runs of a job. Run `anyjob list <provider> --help` for the options of each provider.',
    options: [],
  };
  const status: CommandDef = {
    path: 'status',
    usage: [`anyjob status ${REF_ARG}`],
    summary: 'Show the current status of a run.',
    options: refOptions,
    notes: refNote,
  };
  const wait: CommandDef = {
    path: 'wait',
    usage: [`anyjob wait ${REF_ARG} [more refs …] [--timeout <duration>] [--poll-interval <duration>]`],
    summary:
      'Wait until runs finish: exit 0 when all succeeded, 1 if one failed, was canceled or timed out. Several refs (or JSON lines on stdin) are watched together, with one line per change and a summary table.',
    options: [...WAITING, ...refOptions],
    notes: refNote,
  };
  const cancel: CommandDef = {
    path: 'cancel',
    usage: [`anyjob cancel ${REF_ARG}`],
    summary: `Ask the provider to stop a run (${cancelable.length > 0 ? `${cancelable.join(', ')} only` : 'no provider here can'}).`,
    options: refOptions,
    notes: refNote,
  };
  const completion: CommandDef = {
    path: 'completion',
    usage: ['anyjob completion <bash | zsh | fish>'],
    summary:
      'Print a shell completion script: e.g. `anyjob completion bash > /etc/bash_completion.d/anyjob`.',
    options: [],
  };
  const mocks: CommandDef = {
    path: 'mocks',
    usage: ['anyjob mocks --fake [--port <n>]'],
    summary:
      "Serve fakes of every provider on 127.0.0.1 (runs that are queued, run and end; lists; no account, no network) and print an export line for the providers' env vars; Ctrl-C stops them.",
    options: [
      {
        name: 'fake',
        type: 'boolean',
        help: 'serve the fakes of @anyjob/testing (required; install it beside the CLI)',
      },
      { name: 'port', type: 'string', value: '<n>', help: 'the port to listen on (default: a free one)' },
    ],
    notes: 'Every provider is served on the one port, under its own path; the keys printed are placeholders.',
    exitCodes: `Exit codes:
  0  stopped by Ctrl-C (SIGINT), SIGTERM or SIGHUP
  2  usage error (no --fake, a bad --port)
  3  @anyjob/testing is not installed`,
  };
  const doctor = doctorCommands(providers);
  const root: CommandDef = {
    path: '',
    usage: [
      ...[...trigger.values()].flatMap((command) => command.usage),
      ...[...list.values()].flatMap((command) => command.usage),
      `anyjob status ${REF_ARG} | anyjob wait ${REF_ARG} [more …] | anyjob cancel ${REF_ARG}`,
      'anyjob completion <bash | zsh | fish>',
      ...mocks.usage,
      ...doctor.overview.usage,
    ],
    summary: `Trigger, watch, list and cancel jobs on ${providers.map((p) => p.displayName).join(', ')}.`,
    options: [],
    notes: `Common options: --wait, --timeout <duration>, --poll-interval <duration>, --json, --base-url <url>,
--api-key-file <path>, --request-timeout <duration>, --help on every command, --version.
API keys come from each provider's env var or --api-key-file, never from an argument
(arguments end up in shell history and process lists).`,
  };
  return {
    providers,
    root,
    triggerOverview,
    trigger,
    listOverview,
    list,
    status,
    wait,
    cancel,
    completion,
    mocks,
    doctor,
  };
}

/** The option of a command by name. */
export function optionOf(command: CommandDef, name: string): OptionDef | undefined {
  if (name === 'help') return COMMON.help;
  if (name === 'version') return COMMON.version;
  return command.options.find((option) => option.name === name);
}
