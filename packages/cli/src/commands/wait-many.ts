// `anyjob wait a.json b.json …` (or JSON lines on stdin): placeholder until the fleet engine lands.
import type { ParsedValues } from '../args.js';
import type { CommandDef } from '../commands.js';
import type { StoredRef } from '../inputs.js';
import type { Timing } from '../session.js';
import { UsageError } from '../usage-error.js';
import type { CommandContext } from './context.js';

export async function waitForMany(
  _ctx: CommandContext,
  command: CommandDef,
  _refs: StoredRef[],
  _values: ParsedValues,
  _time: Timing,
): Promise<number> {
  throw new UsageError('waiting for several runs at once is not available yet.', command, [], true);
}
