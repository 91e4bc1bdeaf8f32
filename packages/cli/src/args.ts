import { parseArgs } from 'node:util';
import type { CommandDef, CommandTable } from './commands.js';
import { COMMON, type OptionDef } from './options.js';
import { UsageError } from './usage-error.js';

export type ParsedValues = Record<string, string | boolean | string[] | undefined>;

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

/** The other commands of the same kind (trigger, list) that accept an option, for "it applies to …". */
function elsewhere(table: CommandTable | undefined, command: CommandDef, name: string): string[] {
  if (!table) return [];
  const kind = command.path.split(' ')[0];
  const siblings = kind === 'list' ? table.list : table.trigger;
  return [...siblings.values()]
    .filter((other) => other !== command && other.options.some((option) => option.name === name))
    .map((other) => other.path);
}

function optionNamed(command: CommandDef, flag: string | undefined): OptionDef | undefined {
  if (!flag) return undefined;
  const bare = flag.replace(/^-+/, '');
  return [...command.options, COMMON.help].find((option) => option.name === bare || option.short === bare);
}

function translateParseError(
  command: CommandDef,
  error: Error & { code?: string },
  table: CommandTable | undefined,
): UsageError {
  const flag = quotedFlag(error.message);
  const option = optionNamed(command, flag);
  switch (error.code) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION': {
      const others = flag ? elsewhere(table, command, flag.replace(/^-+/, '')) : [];
      if (others.length > 0) {
        return new UsageError(
          `${flag} is not an option of this command (it applies to: ${others.join(', ')}).`,
          command,
          [],
          true,
        );
      }
      return new UsageError(`unknown option ${flag ?? ''}.`.replace(' .', '.'), command, [], true);
    }
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE':
      if (option?.type === 'boolean') {
        return new UsageError(`--${option.name} is a switch and takes no value.`, command, [option.name]);
      }
      return new UsageError(
        `--${option?.name ?? flag} needs a value${option?.value ? ` (${option.value})` : ''}.`,
        command,
        option ? [option.name] : [],
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
  table?: CommandTable,
): ParsedArgs {
  rejectCredentialFlags(command, args);
  const options = Object.fromEntries(
    [...command.options, COMMON.help].map((option) => [
      option.name,
      {
        type: option.type,
        ...(option.multiple ? { multiple: true } : {}),
        ...(option.short ? { short: option.short } : {}),
      },
    ]),
  );
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({ args: [...args], options, strict: true, allowPositionals: true });
  } catch (error) {
    throw translateParseError(command, error as Error & { code?: string }, table);
  }
  if (!parsed.values.help && parsed.positionals.length > maxPositionals) {
    throw new UsageError(`unexpected argument "${parsed.positionals[maxPositionals]}".`, command, [], true);
  }
  return { values: parsed.values as ParsedValues, positionals: parsed.positionals };
}

/** A string option's value, or undefined. */
export function stringValue(values: ParsedValues, name: string): string | undefined {
  const value = values[name];
  return typeof value === 'string' ? value : undefined;
}
