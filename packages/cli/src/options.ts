// The options the CLI itself owns (waiting, output, connection), and how a provider's declared
// flags become options. Every command's parser, help page and usage errors are built from these.
import type { CliFlag } from 'anyjob';

export interface OptionDef {
  /** Without dashes: `timeout` for `--timeout`. */
  name: string;
  type: 'string' | 'boolean';
  multiple?: boolean;
  short?: string;
  /** Placeholder shown after the flag in help, e.g. `<duration>`. */
  value?: string;
  help: string;
  /** The provider flag behind this option, when it is one. */
  flag?: CliFlag;
  /** For `--<name>s` of a `pairs` flag: the whole object at once. */
  objectOf?: CliFlag;
}

const option = (def: OptionDef): OptionDef => def;

export const COMMON = {
  wait: option({ name: 'wait', type: 'boolean', help: 'wait until the job finishes and print its outputs' }),
  timeout: option({
    name: 'timeout',
    type: 'string',
    value: '<duration>',
    help: 'give up waiting after this long, e.g. 30s, 5m, 1h30m (exit 1)',
  }),
  'poll-interval': option({
    name: 'poll-interval',
    type: 'string',
    value: '<duration>',
    help: 'first delay between status checks, e.g. 2s, 500ms',
  }),
  'request-timeout': option({
    name: 'request-timeout',
    type: 'string',
    value: '<duration>',
    help: 'timeout of each HTTP request (default 60s; a run that answers when done: 5m)',
  }),
  json: option({
    name: 'json',
    type: 'boolean',
    help: 'print the run (with its ref) as one JSON document on stdout',
  }),
  'json-lines': option({
    name: 'json',
    type: 'boolean',
    help: 'print one JSON document per run, one per line (JSON lines)',
  }),
  'base-url': option({
    name: 'base-url',
    type: 'string',
    value: '<url>',
    help: "override the provider's API base URL (proxies, mocks)",
  }),
  'api-key-file': option({
    name: 'api-key-file',
    type: 'string',
    value: '<path>',
    help: "read the API key from this file instead of the provider's env var",
  }),
  limit: option({
    name: 'limit',
    type: 'string',
    value: '<n>',
    help: 'list at most this many runs (default: all)',
  }),
  help: option({ name: 'help', type: 'boolean', short: 'h', help: 'show this help' }),
  version: option({ name: 'version', type: 'boolean', short: 'v', help: 'print the version' }),
} as const;

export type CommonOption = keyof typeof COMMON;

/** The option that gives a `pairs` flag's whole object: `--inputs` for `--input`, `--params-json` for `--params`. */
export function wholeObjectOption(name: string): string {
  return name.endsWith('s') ? `${name}-json` : `${name}s`;
}

/** The options a provider flag stands for: itself, and for `pairs` the whole-object form `--<name>s`. */
export function optionsOfFlag(flag: CliFlag): OptionDef[] {
  const help = flag.required ? `${flag.help} (required)` : flag.help;
  const base = { name: flag.name, help, flag, ...(flag.value ? { value: flag.value } : {}) };
  switch (flag.kind) {
    case 'boolean':
      return [{ ...base, type: 'boolean' }];
    case 'string':
    case 'json':
    case 'integer':
    case 'number':
      return [{ ...base, type: 'string' }];
    case 'list':
      return [{ ...base, type: 'string', multiple: true }];
    case 'pairs':
      return [
        { ...base, type: 'string', multiple: true },
        {
          name: wholeObjectOption(flag.name),
          type: 'string',
          value: '<json | @file | ->',
          help: `all ${flag.name}s as one JSON object: inline JSON, @file or - for stdin (combines with --${flag.name})`,
          objectOf: flag,
        },
      ];
  }
}
