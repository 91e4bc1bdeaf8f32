import { parseArgs } from 'node:util';
import { type CommandDef, OPTIONS, type OptionName, TRIGGER_COMMANDS } from './commands.js';
import { UsageError } from './usage-error.js';

export type ParsedValues = Partial<Record<OptionName, string | boolean | string[]>>;

export interface ParsedArgs {
  values: ParsedValues;
  positionals: string[];
}

// Flags people reach for out of habit. A key typed as an argument is already in the shell history
// and visible to every user through `ps`, so it is refused rather than silently used.
const CREDENTIAL_FLAGS = ['--api-key', '--apikey', '--key', '--token', '--api-token'];

function rejectCredentialFlags(command: CommandDef, args: readonly string[]): void {
  for (const arg of args) {
    if (arg === '--') return;
    const flag = arg.split('=', 1)[0].toLowerCase();
    if (CREDENTIAL_FLAGS.includes(flag)) {
      throw new UsageError(
        `${flag} is not accepted: an API key passed as an argument leaks into shell history and process lists. ` +
          "Set the provider's API key env var, or put the key in a file and pass --api-key-file <path>.",
        command,
        ['api-key-file'],
      );
    }
  }
}

function quotedFlag(message: string): string | undefined {
  return /'(-{1,2}[^' =]+)/.exec(message)?.[1];
}

function optionNameOf(flag: string | undefined): OptionName | undefined {
  if (!flag) return undefined;
  const bare = flag.replace(/^-+/, '');
  if (Object.hasOwn(OPTIONS, bare)) return bare as OptionName;
  const byShort = Object.entries(OPTIONS).find(([, def]) => 'short' in def && def.short === bare);
  return byShort?.[0] as OptionName | undefined;
}

/** Which other trigger commands accept an option, for "only applies to kognitos" messages. */
function providersAccepting(name: OptionName): string[] {
  return Object.values(TRIGGER_COMMANDS)
    .filter((c) => c.options.includes(name))
    .map((c) => c.path.replace('trigger ', ''));
}

function translateParseError(command: CommandDef, error: Error & { code?: string }): UsageError {
  const flag = quotedFlag(error.message);
  const name = optionNameOf(flag);
  switch (error.code) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION': {
      if (name && name !== 'help') {
        const elsewhere = providersAccepting(name);
        const where = elsewhere.length > 0 ? ` (it applies to: trigger ${elsewhere.join(', trigger ')})` : '';
        return new UsageError(`${flag} is not an option of this command${where}.`, command, [], true);
      }
      return new UsageError(`unknown option ${flag ?? ''}.`.replace(' .', '.'), command, [], true);
    }
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE':
      if (name && OPTIONS[name].type === 'boolean') {
        return new UsageError(`--${name} is a switch and takes no value.`, command, [name]);
      }
      return new UsageError(
        `--${name ?? flag} needs a value${name && 'value' in OPTIONS[name] ? ` (${OPTIONS[name].value})` : ''}.`,
        command,
        name ? [name] : [],
      );
    case 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL':
      return new UsageError('too many arguments.', command, [], true);
    default:
      return new UsageError(error.message, command, [], true);
  }
}

/** Parses the arguments of one command strictly: only that command's options are accepted. */
export function parseCommandArgs(
  command: CommandDef,
  args: readonly string[],
  maxPositionals: number,
): ParsedArgs {
  rejectCredentialFlags(command, args);
  const accepted: OptionName[] = [...command.options, 'help'];
  const options = Object.fromEntries(
    accepted.map((name) => {
      const def = OPTIONS[name];
      return [
        name,
        {
          type: def.type,
          ...('multiple' in def ? { multiple: def.multiple } : {}),
          ...('short' in def ? { short: def.short } : {}),
        },
      ];
    }),
  );
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({ args: [...args], options, strict: true, allowPositionals: true });
  } catch (error) {
    throw translateParseError(command, error as Error & { code?: string });
  }
  if (!parsed.values.help && parsed.positionals.length > maxPositionals) {
    throw new UsageError(`unexpected argument "${parsed.positionals[maxPositionals]}".`, command, [], true);
  }
  return { values: parsed.values as ParsedValues, positionals: parsed.positionals };
}

/** `key=value` pairs from a repeatable option into a record; a repeated key is a usage error. */
export function keyValues(
  command: CommandDef,
  name: OptionName,
  items: readonly string[] | undefined,
): Record<string, string> | undefined {
  if (!items || items.length === 0) return undefined;
  const record: Record<string, string> = {};
  for (const item of items) {
    const eq = item.indexOf('=');
    if (eq <= 0) {
      throw new UsageError(`--${name} "${item}" must be key=value.`, command, [name]);
    }
    const key = item.slice(0, eq);
    if (Object.hasOwn(record, key)) {
      throw new UsageError(`--${name} ${key} is given twice.`, command, [name]);
    }
    record[key] = item.slice(eq + 1);
  }
  return record;
}
