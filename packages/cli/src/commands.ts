// One table describes every option and which command accepts it. The argument parser, the help
// pages and the usage errors (which quote the help line that fixes them) are all built from it, so
// they cannot disagree.

export const PROVIDERS = ['runchat', 'truefoundry', 'kognitos'] as const;
export type ProviderName = (typeof PROVIDERS)[number];

export function isProviderName(value: unknown): value is ProviderName {
  return typeof value === 'string' && (PROVIDERS as readonly string[]).includes(value);
}

export interface OptionDef {
  type: 'string' | 'boolean';
  multiple?: boolean;
  short?: string;
  /** Placeholder shown after the flag in help, e.g. `<duration>`. */
  value?: string;
  help: string;
}

export const OPTIONS = {
  // runchat
  job: {
    type: 'string',
    value: '<id>',
    help: 'Runchat job to run (GET /job/{id}, or POST with --message/--payload)',
  },
  message: {
    type: 'string',
    value: '<text>',
    help: 'message for an agent-backed job (sent as {"message": …})',
  },
  payload: {
    type: 'string',
    value: '<json | @file | ->',
    help: 'raw JSON request body: inline JSON, @path to a JSON file, or - for stdin',
  },
  flow: { type: 'string', value: '<id>', help: 'Runchat flow to run (POST /{runchat_id})' },
  instance: {
    type: 'string',
    value: '<id>',
    help: 'continue an existing flow instance (runchat_instance_id)',
  },
  // truefoundry
  application: { type: 'string', value: '<id>', help: 'TrueFoundry application id of the job' },
  deployment: { type: 'string', value: '<id>', help: 'TrueFoundry deployment id (instead of --application)' },
  command: { type: 'string', value: '<cmd>', help: 'command to run instead of the deployed one' },
  param: {
    type: 'string',
    multiple: true,
    value: 'key=value',
    help: 'job parameter, repeatable (cannot be combined with --command)',
  },
  alias: { type: 'string', value: '<name>', help: 'run name alias (metadata.job_run_name_alias)' },
  // kognitos
  agent: { type: 'string', value: '<id>', help: 'Kognitos agent id' },
  process: { type: 'string', value: '<id>', help: 'Kognitos process id' },
  stage: { type: 'string', value: 'Draft|Published', help: 'process stage to run (default: Published)' },
  name: { type: 'string', value: '<text>', help: 'run name (default: chosen by anyjob)' },
  'file-id': { type: 'string', multiple: true, value: '<id>', help: 'id of an uploaded file, repeatable' },
  region: {
    type: 'string',
    value: 'us|eu|uk',
    help: 'Kognitos region; beats KOGNITOS_BASE_URL (default: KOGNITOS_REGION, then us)',
  },
  // runchat flows and kognitos
  input: { type: 'string', multiple: true, value: 'key=value', help: 'input value (a string), repeatable' },
  // common
  wait: { type: 'boolean', help: 'wait until the job finishes and print its outputs' },
  timeout: {
    type: 'string',
    value: '<duration>',
    help: 'give up waiting after this long, e.g. 30s, 5m, 1h30m (exit 1)',
  },
  'poll-interval': {
    type: 'string',
    value: '<duration>',
    help: 'time between status checks, e.g. 2s, 500ms',
  },
  json: { type: 'boolean', help: 'print the run (with its ref) as one JSON document on stdout' },
  'base-url': {
    type: 'string',
    value: '<url>',
    help: "override the provider's API base URL (proxies, mocks)",
  },
  'api-key-file': {
    type: 'string',
    value: '<path>',
    help: "read the API key from this file instead of the provider's env var",
  },
  help: { type: 'boolean', short: 'h', help: 'show this help' },
  version: { type: 'boolean', short: 'v', help: 'print the version' },
} as const satisfies Record<string, OptionDef>;

export type OptionName = keyof typeof OPTIONS;

export interface CommandDef {
  /** As typed: `trigger truefoundry`, `wait`. */
  path: string;
  usage: string[];
  summary: string;
  options: OptionName[];
  /** Help text overrides for options whose meaning depends on the command. */
  optionHelp?: Partial<Record<OptionName, string>>;
  notes?: string;
}

const CONNECTION: OptionName[] = ['base-url', 'api-key-file'];
const WAITING: OptionName[] = ['timeout', 'poll-interval'];

export const TRIGGER_COMMANDS: Record<ProviderName, CommandDef> = {
  runchat: {
    path: 'trigger runchat',
    usage: [
      'anyjob trigger runchat --job <id> [--message <text> | --payload <json | @file | ->]',
      'anyjob trigger runchat --flow <id> [--input key=value ... | --payload <json | @file | ->] [--instance <id>]',
    ],
    summary: 'Run a Runchat job or flow. Runchat answers when the run is done, so the result is final.',
    options: [
      'job',
      'message',
      'payload',
      'flow',
      'input',
      'instance',
      'wait',
      ...WAITING,
      'json',
      ...CONNECTION,
    ],
    optionHelp: {
      input: 'flow input (a string), repeatable',
      // Runchat runs finish inside the trigger request, so --timeout bounds that request.
      timeout:
        'how long the run may take, e.g. 30s, 5m: exit 1 with --wait (it may still finish), else exit 4',
      payload:
        'JSON body for --job, or for --flow instead of --input (--instance is added): inline JSON, @file or - for stdin',
    },
    notes: 'Credentials: RUNCHAT_API_KEY (or RUNCHAT_TOKEN), or --api-key-file. Base URL: RUNCHAT_BASE_URL.',
  },
  truefoundry: {
    path: 'trigger truefoundry',
    usage: [
      'anyjob trigger truefoundry (--application <id> | --deployment <id>) [--command <cmd> | --param key=value ...] [--alias <name>]',
    ],
    summary: 'Start a run of a deployed TrueFoundry job.',
    options: [
      'application',
      'deployment',
      'command',
      'param',
      'alias',
      'wait',
      ...WAITING,
      'json',
      ...CONNECTION,
    ],
    notes:
      'Credentials: TFY_API_KEY, or --api-key-file. Control-plane URL: TFY_HOST (or TFY_BASE_URL), or --base-url.',
  },
  kognitos: {
    path: 'trigger kognitos',
    usage: [
      'anyjob trigger kognitos --agent <id> --process <id> [--stage Draft|Published] [--name <text>] [--input key=value ...] [--file-id <id> ...]',
    ],
    summary: 'Start a run of a Kognitos process.',
    options: [
      'agent',
      'process',
      'stage',
      'name',
      'input',
      'file-id',
      'wait',
      ...WAITING,
      'json',
      'region',
      ...CONNECTION,
    ],
    optionHelp: { input: 'process input (a string), repeatable' },
    notes:
      'Credentials: KOGNITOS_API_KEY, or --api-key-file. Server: --base-url, else --region, else KOGNITOS_BASE_URL, else KOGNITOS_REGION, else us.',
  },
};

const REF_ARG = '<ref.json | ->';
const REF_NOTE = `The ref is what \`anyjob trigger … --json\` prints (the whole document or its "ref" field), read from a file or, with -, from stdin.
It holds ids, not the host: pass the same --region / --base-url (or env) as the trigger did.`;

export const REF_COMMANDS = {
  status: {
    path: 'status',
    usage: [`anyjob status ${REF_ARG}`],
    summary: 'Show the current status of a run.',
    options: ['json', 'region', ...CONNECTION],
    notes: REF_NOTE,
  },
  wait: {
    path: 'wait',
    usage: [`anyjob wait ${REF_ARG} [--timeout <duration>] [--poll-interval <duration>]`],
    summary: 'Wait until a run finishes; exit 0 if it succeeded, 1 if it failed, was canceled or timed out.',
    options: [...WAITING, 'json', 'region', ...CONNECTION],
    notes: REF_NOTE,
  },
  cancel: {
    path: 'cancel',
    usage: [`anyjob cancel ${REF_ARG}`],
    summary: 'Ask the provider to stop a run (TrueFoundry only; Runchat and Kognitos have no cancel).',
    options: ['json', 'region', ...CONNECTION],
    notes: REF_NOTE,
  },
} as const satisfies Record<string, CommandDef>;

export type RefCommandName = keyof typeof REF_COMMANDS;

export const TRIGGER_OVERVIEW: CommandDef = {
  path: 'trigger',
  usage: ['anyjob trigger <runchat | truefoundry | kognitos> [options]'],
  summary: 'Start a job. Run `anyjob trigger <provider> --help` for the options of each provider.',
  options: [],
};

export const ROOT: CommandDef = {
  path: '',
  usage: [
    ...TRIGGER_COMMANDS.runchat.usage,
    ...TRIGGER_COMMANDS.truefoundry.usage,
    ...TRIGGER_COMMANDS.kognitos.usage,
    `anyjob status ${REF_ARG} | anyjob wait ${REF_ARG} | anyjob cancel ${REF_ARG}`,
  ],
  summary: 'Trigger, watch and cancel jobs on Runchat, TrueFoundry and Kognitos.',
  options: [],
  notes: `Common options: --wait, --timeout <duration>, --poll-interval <duration>, --json, --base-url <url>,
--region us|eu|uk (Kognitos), --api-key-file <path>, --help on every command, --version.
API keys come from each provider's env var or --api-key-file, never from an argument
(arguments end up in shell history and process lists).`,
};
