// Flags → the facade's request, list query or provider settings, generically: each provider flag
// says which field (or setting) it sets and how its text becomes a value. Conflicts between fields
// are the provider's rules, checked once by the provider; their errors come back here as usage
// errors that name the flags instead of the fields.
import type { AnyJobProviderDescriptor, CliFlag, InvalidRequestError } from 'anyjob';
import { type ParsedValues, stringValue } from './args.js';
import type { CommandDef } from './commands.js';
import { type ReadStdin, readJsonOption } from './inputs.js';
import { wholeObjectOption } from './options.js';
import { UsageError } from './usage-error.js';

// A key such as `__proto__` is data: defined, never assigned (which would set the prototype).
function define(record: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(record, key, { value, enumerable: true, writable: true, configurable: true });
}

/** `key=value` (a string) or `key:=<json>` items of a repeatable `pairs` flag, into a record. */
function pairs(
  command: CommandDef,
  flag: CliFlag,
  items: readonly string[],
  into: Record<string, unknown>,
): void {
  for (const item of items) {
    const eq = item.indexOf('=');
    const typed = eq > 0 && item[eq - 1] === ':';
    const key = item.slice(0, typed ? eq - 1 : eq);
    if (eq <= 0 || key === '') {
      throw new UsageError(
        `--${flag.name} "${item}" must be key=value${flag.json ? ' or key:=<json>' : ''}.`,
        command,
        [flag.name],
      );
    }
    if (Object.hasOwn(into, key))
      throw new UsageError(`--${flag.name} ${key} is given twice.`, command, [flag.name]);
    const text = item.slice(eq + 1);
    if (!typed) {
      define(into, key, text);
      continue;
    }
    if (!flag.json) {
      throw new UsageError(
        `--${flag.name} ${key}:= gives a JSON value, but this field takes strings only; write ${key}=<text>.`,
        command,
        [flag.name],
      );
    }
    try {
      define(into, key, JSON.parse(text));
    } catch {
      throw new UsageError(
        `--${flag.name} ${key}:= is not valid JSON (quote strings: ${key}:='"text"', or use ${key}=text).`,
        command,
        [flag.name],
      );
    }
  }
}

async function pairsValue(
  command: CommandDef,
  flag: CliFlag,
  values: ParsedValues,
  readStdin: ReadStdin,
): Promise<Record<string, unknown> | undefined> {
  const items = values[flag.name];
  const wholeName = wholeObjectOption(flag.name);
  const whole = stringValue(values, wholeName);
  if (whole === undefined && !Array.isArray(items)) return undefined;
  const record: Record<string, unknown> = {};
  if (whole !== undefined) {
    const object = await readJsonOption(command, wholeName, whole, readStdin);
    if (typeof object !== 'object' || object === null || Array.isArray(object)) {
      throw new UsageError(`--${wholeName} must be a JSON object.`, command, [wholeName]);
    }
    for (const [key, value] of Object.entries(object)) define(record, key, value);
  }
  if (Array.isArray(items)) pairs(command, flag, items, record);
  return record;
}

/**
 * An `integer` flag's decimal digits, kept as text so an int64 beyond 2^53 is never rounded (ids
 * are strings everywhere in anyjob), or a `number` flag's finite value.
 */
function numericValue(
  command: CommandDef,
  flag: CliFlag,
  text: string | undefined,
): string | number | undefined {
  if (text === undefined) return undefined;
  const trimmed = text.trim();
  if (flag.kind === 'integer') {
    if (/^-?(0|[1-9][0-9]*)$/.test(trimmed)) return trimmed;
    throw new UsageError(`--${flag.name} must be a whole number (digits only), got "${text}".`, command, [
      flag.name,
    ]);
  }
  const number = trimmed === '' ? Number.NaN : Number(trimmed);
  if (Number.isFinite(number)) return number;
  throw new UsageError(`--${flag.name} must be a number, got "${text}".`, command, [flag.name]);
}

/** The fields `flags` set from the parsed values (only the flags that were given). */
export async function fieldsFromFlags(
  command: CommandDef,
  flags: readonly CliFlag[],
  values: ParsedValues,
  readStdin: ReadStdin,
): Promise<Record<string, unknown>> {
  const fields: Record<string, unknown> = {};
  for (const flag of flags) {
    if (flag.field === undefined) continue;
    let value: unknown;
    switch (flag.kind) {
      case 'string':
        value = stringValue(values, flag.name);
        break;
      case 'boolean':
        value = values[flag.name] === true ? true : undefined;
        break;
      case 'list':
        value = Array.isArray(values[flag.name]) ? values[flag.name] : undefined;
        break;
      case 'json': {
        const text = stringValue(values, flag.name);
        value = text === undefined ? undefined : await readJsonOption(command, flag.name, text, readStdin);
        break;
      }
      case 'pairs':
        value = await pairsValue(command, flag, values, readStdin);
        break;
      case 'integer':
      case 'number':
        value = numericValue(command, flag, stringValue(values, flag.name));
        break;
    }
    // Two `pairs` flags of one field (`--param` and its alias `--job-param`) add up.
    const earlier = Object.hasOwn(fields, flag.field) ? fields[flag.field] : undefined;
    if (flag.kind === 'pairs' && value !== undefined && earlier !== undefined)
      value = Object.assign(earlier as object, value);
    if (value !== undefined) define(fields, flag.field, value);
  }
  return fields;
}

/** Provider settings set by its setting flags (e.g. `--region`). */
export function settingsFromFlags(
  provider: AnyJobProviderDescriptor,
  values: ParsedValues,
): Record<string, unknown> {
  const settings: Record<string, unknown> = {};
  for (const flag of provider.cli.settingFlags ?? []) {
    const value = values[flag.name];
    if (flag.setting !== undefined && value !== undefined) settings[flag.setting] = value;
  }
  return settings;
}

/** Setting flags given on the command line that the provider of a ref does not have. */
export function foreignSettingFlags(
  command: CommandDef,
  provider: AnyJobProviderDescriptor,
  values: ParsedValues,
): void {
  const own = new Set((provider.cli.settingFlags ?? []).map((flag) => flag.name));
  for (const option of command.options) {
    if (option.flag?.setting !== undefined && !own.has(option.name) && values[option.name] !== undefined) {
      throw new UsageError(
        `--${option.name} does not apply to ${provider.displayName}; this is a ${provider.name} run.`,
        command,
        [option.name],
      );
    }
  }
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * The provider's validation speaks of request fields (`processId`); on the command line the fix
 * is a flag, so its error becomes a usage error that names the flags and shows their help lines.
 */
export function asUsageError(
  command: CommandDef,
  flags: readonly CliFlag[],
  error: InvalidRequestError,
): UsageError {
  const byField = new Map(
    flags.filter((flag) => flag.field).map((flag) => [flag.field as string, flag.name]),
  );
  const fixes = new Set<string>();
  for (const issue of error.issues) {
    const field = /^[A-Za-z_$][\w$]*/.exec(issue.path)?.[0] ?? '';
    const flag = byField.get(field);
    if (flag) fixes.add(flag);
  }
  const extra = error.issues
    .filter((issue) => !error.message.includes(issue.message))
    .map((issue) => issue.message);
  let message = [error.message, ...extra].join(' ').replace(/^Invalid \S+ \S+ request: /, '');
  for (const [field, flag] of byField) {
    message = message.replace(
      new RegExp(`\`${escapeRegExp(field)}((?:[.[][^\`]*)?)\``, 'g'),
      (_, rest: string) => {
        // A conflict names the other field in its message only: its flag's help line fixes it too.
        fixes.add(flag);
        return rest ? `\`--${flag}${rest}\`` : `--${flag}`;
      },
    );
  }
  return new UsageError(message, command, [...fixes]);
}
