import type { CommandDef } from './commands.js';
import { commandOptionLine, helpHint } from './help.js';

/**
 * A bad command line (exit 2). The message says what was wrong; the rendered form adds the help
 * lines that fix it, so the user need not open the whole help page.
 */
export class UsageError extends Error {
  readonly command: CommandDef;
  /** Options whose help lines fix the problem. */
  readonly fixes: readonly string[];
  /** Usage lines of the command to show instead of option lines (e.g. for a missing argument). */
  readonly showUsage: boolean;

  constructor(message: string, command: CommandDef, fixes: readonly string[] = [], showUsage = false) {
    super(message);
    this.name = 'UsageError';
    this.command = command;
    this.fixes = fixes;
    this.showUsage = showUsage || fixes.length === 0;
  }

  render(): string {
    const prefix = `anyjob${this.command.path ? ` ${this.command.path}` : ''}`;
    const lines = [`${prefix}: ${this.message}`, ''];
    if (this.showUsage) lines.push(...this.command.usage.map((u) => `  ${u}`));
    for (const name of this.fixes) {
      const line = commandOptionLine(this.command, name);
      if (line) lines.push(line);
    }
    lines.push('', helpHint(this.command));
    return `${lines.join('\n')}\n`;
  }
}
