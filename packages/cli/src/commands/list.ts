// `anyjob list <provider> …`: the runs of a job, newest first, as a table or JSON lines.
import type { JobRun } from 'anyjob';
import { InvalidRequestError } from 'anyjob';
import { parseCommandArgs, stringValue } from '../args.js';
import { EXIT } from '../exit-codes.js';
import { formatHelp } from '../help.js';
import { formatJsonLine, formatTable, RUN_TABLE_HEADER, runRows } from '../output.js';
import { asUsageError, fieldsFromFlags } from '../requests.js';
import { Session } from '../session.js';
import { UsageError } from '../usage-error.js';
import type { CommandContext } from './context.js';

export async function list({ io, table, readStdin }: CommandContext, args: string[]): Promise<number> {
  const name = args[0];
  const names = [...table.list.keys()].join(', ');
  if (name === undefined || name.startsWith('-')) {
    if (args.includes('--help') || args.includes('-h')) {
      io.stdout.write(formatHelp(table.listOverview));
      return EXIT.ok;
    }
    throw new UsageError(`name the provider: ${names}.`, table.listOverview, [], true);
  }
  const command = table.list.get(name);
  if (!command?.provider) {
    const known = table.providers.find((provider) => provider.name === name);
    throw new UsageError(
      known
        ? `${known.displayName} has no run list anyjob can read; list providers: ${names}.`
        : `unknown provider "${name}"; use one of ${names}.`,
      table.listOverview,
      [],
      true,
    );
  }
  const { provider } = command;
  const parsed = parseCommandArgs(command, args.slice(1), 0, table);
  if (parsed.values.help) {
    io.stdout.write(formatHelp(command));
    return EXIT.ok;
  }
  const { values } = parsed;
  const limitText = stringValue(values, 'limit');
  const limit = limitText === undefined ? undefined : Number(limitText);
  if (limit !== undefined && !(Number.isInteger(limit) && limit > 0)) {
    throw new UsageError(`--limit "${limitText}" must be a whole number ≥ 1.`, command, ['limit']);
  }
  const flags = provider.cli.listFlags ?? [];
  const query = { provider: provider.name, ...(await fieldsFromFlags(command, flags, values, readStdin)) };
  const session = new Session(io, table.providers, values.json === true);
  try {
    const client = await session.connect(command, provider, values);
    const rows: JobRun[] = [];
    const runs = client.listJobRuns(query, {
      ...(limit !== undefined ? { limit } : {}),
      ...(io.signal ? { signal: io.signal } : {}),
    });
    try {
      for await (const run of runs as AsyncIterable<JobRun>) {
        if (session.json) session.write(formatJsonLine(run));
        else rows.push(run);
      }
    } catch (error) {
      if (InvalidRequestError.isInstance(error)) throw asUsageError(command, flags, error);
      throw error;
    }
    if (!session.json) {
      session.write(rows.length === 0 ? 'no runs\n' : formatTable(RUN_TABLE_HEADER, runRows(rows)));
    }
    return EXIT.ok;
  } catch (error) {
    return session.fail(error);
  }
}
