import { type CommandDef, OPTIONS, type OptionName } from './commands.js';
import { EXIT_CODES_HELP } from './exit-codes.js';

const FLAG_COLUMN = 30;

function flagText(name: OptionName): string {
  const def = OPTIONS[name];
  const short = 'short' in def ? `-${def.short}, ` : '';
  const value = 'value' in def ? ` ${def.value}` : '';
  return `${short}--${name}${value}`;
}

/** The help line for one option of a command, exactly as `--help` prints it. */
export function optionLine(command: CommandDef, name: OptionName): string {
  const flag = flagText(name);
  const text = command.optionHelp?.[name] ?? OPTIONS[name].help;
  const gap = flag.length < FLAG_COLUMN ? ' '.repeat(FLAG_COLUMN - flag.length) : '  ';
  return `  ${flag}${gap}${text}`;
}

export function formatHelp(command: CommandDef): string {
  const lines = ['Usage:', ...command.usage.map((u) => `  ${u}`), '', command.summary];
  const options: OptionName[] = [...command.options, 'help'];
  if (command.path === '') options.push('version');
  if (command.options.length > 0 || command.path === '') {
    lines.push('', 'Options:', ...options.map((name) => optionLine(command, name)));
  }
  if (command.notes) lines.push('', command.notes);
  lines.push('', EXIT_CODES_HELP);
  return `${lines.join('\n')}\n`;
}

/** How to reach the full help of a command, appended to every usage error. */
export function helpHint(command: CommandDef): string {
  return `Run \`anyjob${command.path ? ` ${command.path}` : ''} --help\` for all options.`;
}
