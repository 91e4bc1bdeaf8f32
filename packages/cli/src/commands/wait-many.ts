// `anyjob wait a.json b.json …` (or JSON lines on stdin): waits for all the runs together through
// the fleet engine (batched polling, shared budgets), prints one line per change and a summary
// table, and exits 0 only when every run succeeded. Stopped by a signal, it prints the watch
// state as JSON lines (refs and last statuses), which `anyjob wait -` reads back to resume.
import {
  AbortError,
  type AnyJobProviderDescriptor,
  JobCanceledError,
  JobFailedError,
  type JobRun,
  type WatchUpdate,
} from 'anyjob';
import type { ParsedValues } from '../args.js';
import type { CommandDef } from '../commands.js';
import { EXIT } from '../exit-codes.js';
import { exitCodeFor, exitCodeForSignalOf, formatFailure } from '../failures.js';
import type { StoredRef } from '../inputs.js';
import { describeStatus, formatJsonLine, formatTable } from '../output.js';
import { Session, type Timing } from '../session.js';
import type { CommandContext } from './context.js';

/** Why a run's wait did not succeed, in one line: the run's own error, else what went wrong reading it. */
function reason(update: WatchUpdate<JobRun> | undefined, secrets: readonly string[]): string {
  if (update?.error === undefined) return '';
  if (JobFailedError.isInstance(update.error) || JobCanceledError.isInstance(update.error))
    return update.run?.error ?? '';
  return formatFailure(update.error, secrets)
    .replace(/^error: /, '')
    .split('\n')[0];
}

function changeLine(update: WatchUpdate<JobRun>, ref: StoredRef, secrets: readonly string[]): string {
  const name = update.run ? `${update.run.provider} run ${update.run.id}` : `${ref.provider} run`;
  const status = update.run ? describeStatus(update.run) : 'unread';
  const why = reason(update, secrets);
  return `${name}: ${update.previousStatus ?? '…'} → ${status}${update.final ? ' (final)' : ''}${why ? `: ${why}` : ''}\n`;
}

export async function waitForMany(
  { io, table }: CommandContext,
  command: CommandDef,
  refs: StoredRef[],
  values: ParsedValues,
  time: Timing,
): Promise<number> {
  const session = new Session(io, table.providers, values.json === true);
  const providers = refs.map(
    (ref) => table.providers.find((provider) => provider.name === ref.provider) as AnyJobProviderDescriptor,
  );
  const finals: (WatchUpdate<JobRun> | undefined)[] = refs.map(() => undefined);
  let watch: ReturnType<Awaited<ReturnType<Session['connect']>>['watchJobs']> | undefined;
  try {
    const client = await session.connect(command, providers, values);
    watch = client.watchJobs(refs as never, {
      ...(time.timeoutMs !== undefined ? { timeoutMs: time.timeoutMs } : {}),
      ...(time.pollIntervalMs !== undefined ? { pollIntervalMs: time.pollIntervalMs } : {}),
      ...(io.signal ? { signal: io.signal } : {}),
    });
    for await (const update of watch as AsyncIterable<WatchUpdate<JobRun>>) {
      if (update.final) finals[update.index] = update;
      if (session.json) {
        session.write(
          formatJsonLine({
            index: update.index,
            previousStatus: update.previousStatus ?? null,
            final: update.final,
            ...(update.run ? { run: update.run } : { ref: refs[update.index] }),
            ...(update.error !== undefined
              ? {
                  error: formatFailure(update.error, session.scrubbed)
                    .replace(/^error: /, '')
                    .trim(),
                }
              : {}),
          }),
        );
      } else {
        session.write(changeLine(update, refs[update.index], session.scrubbed));
      }
    }
  } catch (error) {
    if (AbortError.isInstance(error) && watch) {
      // The watch state, one JSON line per run: `anyjob wait -` continues from it.
      for (const entry of watch.state().runs) session.write(formatJsonLine(entry));
      io.stderr.write('Stopped; the runs keep going. Resume with `anyjob wait -` fed the lines above.\n');
      return exitCodeForSignalOf(io.signal);
    }
    return session.fail(error);
  }
  const rows = finals.map((update, index) => {
    const run = update?.run;
    return [
      run?.provider ?? refs[index].provider,
      run?.id ?? '?',
      run ? describeStatus(run) : 'unread',
      reason(update, session.scrubbed),
    ];
  });
  if (!session.json) session.write(`\n${formatTable(['PROVIDER', 'RUN', 'STATUS', 'ERROR'], rows)}`);
  const codes = finals.map((update) => (update?.error === undefined ? EXIT.ok : exitCodeFor(update.error)));
  return Math.max(EXIT.ok, ...codes);
}
