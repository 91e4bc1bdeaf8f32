import type { CliIo } from '../cli.js';
import type { CommandTable } from '../commands.js';
import type { ReadStdin } from '../inputs.js';

/** What every command gets: the process's streams, the command table and how to read stdin. */
export interface CommandContext {
  io: CliIo;
  table: CommandTable;
  readStdin: ReadStdin;
}
