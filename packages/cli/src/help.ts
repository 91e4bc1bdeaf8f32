import { type CommandDef, optionOf } from './commands.js';
import { EXIT_CODES_HELP } from './exit-codes.js';
import { COMMON, type OptionDef } from './options.js';

const FLAG_COLUMN = 30;

function flagText(option: OptionDef): string {
  const short = option.short ? `-${option.short}, ` : '';
  const value = option.value ? ` ${option.value}` : '';
  return `${short}--${option.name}${value}`;
}

/** The help line for one option, exactly as `--help` prints it. */
export function optionLine(option: OptionDef): string {
  const flag = flagText(option);
  const gap = flag.length < FLAG_COLUMN ? ' '.repeat(FLAG_COLUMN - flag.length) : '  ';
  return `  ${flag}${gap}${option.help}`;
}

/** The help line of a command's option by name (`help` and `version` included). */
export function commandOptionLine(command: CommandDef, name: string): string | undefined {
  const option = optionOf(command, name);
  return option ? optionLine(option) : undefined;
}

export function formatHelp(command: CommandDef): string {
  const lines = ['Usage:', ...command.usage.map((u) => `  ${u}`), '', command.summary];
  const options: OptionDef[] = [...command.options, COMMON.help];
  if (command.path === '') options.push(COMMON.version);
  if (command.options.length > 0 || command.path === '') {
    lines.push('', 'Options:', ...options.map(optionLine));
  }
  if (command.notes) lines.push('', command.notes);
  lines.push('', command.exitCodes ?? EXIT_CODES_HELP);
  return `${lines.join('\n')}\n`;
}

/** How to reach the full help of a command, appended to every usage error. */
export function helpHint(command: CommandDef): string {
  return `Run \`anyjob${command.path ? ` ${command.path}` : ''} --help\` for all options.`;
}
