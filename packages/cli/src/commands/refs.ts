// `anyjob status|wait|cancel <ref …>`: act on stored runs. The ref names its provider; the
// command's connection flags configure that provider.
import type { AnyJobProviderDescriptor, JobRun } from 'anyjob';
import { parseCommandArgs } from '../args.js';
import type { CommandDef } from '../commands.js';
import { EXIT } from '../exit-codes.js';
import { formatHelp } from '../help.js';
import { readRefs, type StoredRef } from '../inputs.js';
import { foreignSettingFlags } from '../requests.js';
import { Session, timing } from '../session.js';
import { UsageError } from '../usage-error.js';
import type { CommandContext } from './context.js';
import { waitForMany } from './wait-many.js';

export type RefCommandName = 'status' | 'wait' | 'cancel';

export async function refCommand(ctx: CommandContext, name: RefCommandName, args: string[]): Promise<number> {
  const { io, table, readStdin } = ctx;
  const command: CommandDef = table[name];
  const many = name === 'wait';
  const parsed = parseCommandArgs(command, args, many ? Number.POSITIVE_INFINITY : 1, table);
  if (parsed.values.help) {
    io.stdout.write(formatHelp(command));
    return EXIT.ok;
  }
  const { values, positionals } = parsed;
  if (positionals.length === 0) {
    throw new UsageError('give the file holding the run ref, or - to read it from stdin.', command, [], true);
  }
  const time = timing(command, values);
  const names = table.providers.map((provider) => provider.name);
  const refs = await readRefs(command, positionals, readStdin, names);
  const providerOf = (ref: StoredRef) =>
    table.providers.find((provider) => provider.name === ref.provider) as AnyJobProviderDescriptor;
  for (const ref of refs) foreignSettingFlags(command, providerOf(ref), values);
  if (many && refs.length > 1) return waitForMany(ctx, command, refs, values, time);

  const [ref] = refs;
  const provider = providerOf(ref);
  const session = new Session(io, table.providers, values.json === true);
  try {
    const client = await session.connect(command, provider, values);
    const call = io.signal ? { signal: io.signal } : {};
    const started = Date.now();
    const stored = ref as unknown as JobRun['ref'];
    switch (name) {
      case 'status': {
        session.printRun((await client.getJobRun(stored, call)) as JobRun, { showRef: false });
        return EXIT.ok;
      }
      case 'cancel': {
        session.printRun((await client.cancelJob(stored, call)) as JobRun, { showRef: false });
        return EXIT.ok;
      }
      case 'wait': {
        const run = await session.wait(client, stored, time);
        session.printRun(run, { showRef: false, elapsedMs: Date.now() - started });
        return EXIT.ok;
      }
    }
  } catch (error) {
    return session.fail(error);
  }
}
