// `anyjob trigger <provider> …`: flags → request (from the provider's declared flags), trigger,
// and with --wait follow the run to the end.
import {
  InvalidRequestError,
  isTerminal,
  isUnsuccessful,
  TimeoutError,
  TriggerUnconfirmedError,
} from 'anyjob';
import { parseCommandArgs, stringValue } from '../args.js';
import { EXIT } from '../exit-codes.js';
import { SynchronousWaitTimeoutError } from '../failures.js';
import { formatHelp } from '../help.js';
import { asUsageError, fieldsFromFlags } from '../requests.js';
import { Session, timing } from '../session.js';
import { UsageError } from '../usage-error.js';
import type { CommandContext } from './context.js';

export async function trigger({ io, table, readStdin }: CommandContext, args: string[]): Promise<number> {
  const name = args[0];
  const names = [...table.trigger.keys()].join(', ');
  if (name === undefined || name.startsWith('-')) {
    if (args.includes('--help') || args.includes('-h')) {
      io.stdout.write(formatHelp(table.triggerOverview));
      return EXIT.ok;
    }
    throw new UsageError(`name the provider: ${names}.`, table.triggerOverview, [], true);
  }
  const command = table.trigger.get(name);
  if (!command?.provider) {
    throw new UsageError(`unknown provider "${name}"; use one of ${names}.`, table.triggerOverview, [], true);
  }
  const { provider } = command;
  const parsed = parseCommandArgs(command, args.slice(1), 0, table);
  if (parsed.values.help) {
    io.stdout.write(formatHelp(command));
    return EXIT.ok;
  }
  const { values } = parsed;
  const waitFor = values.wait === true;
  const time = timing(command, values);
  // A synchronous provider's run finishes inside the trigger request, so there --timeout bounds that request.
  if (!provider.synchronousRuns && !waitFor) {
    for (const option of ['timeout', 'poll-interval']) {
      if (values[option] !== undefined) {
        throw new UsageError(`--${option} only applies with --wait.`, command, [option, 'wait']);
      }
    }
  }
  const session = new Session(io, table.providers, values.json === true);
  const request = {
    provider: provider.name,
    ...(await fieldsFromFlags(command, provider.cli.flags, values, readStdin)),
  };
  try {
    const client = await session.connect(command, provider, values);
    const started = Date.now();
    const requestTimeoutMs = provider.synchronousRuns ? time.timeoutMs : undefined;
    const triggered = await client
      .triggerJob(request, {
        ...(requestTimeoutMs !== undefined ? { timeoutMs: requestTimeoutMs } : {}),
        ...(io.signal ? { signal: io.signal } : {}),
      })
      .catch((error: unknown) => {
        if (InvalidRequestError.isInstance(error)) throw asUsageError(command, provider.cli.flags, error);
        // With --wait, running out of --timeout is the wait timing out (exit 1); without it, the
        // run's outcome is unknown (exit 5).
        if (
          waitFor &&
          requestTimeoutMs !== undefined &&
          TriggerUnconfirmedError.isInstance(error) &&
          TimeoutError.isInstance(error.cause)
        ) {
          throw new SynchronousWaitTimeoutError(stringValue(values, 'timeout') ?? '', provider.displayName);
        }
        throw error;
      });
    session.lastRun = triggered;
    if (!waitFor || isTerminal(triggered.status)) {
      session.printRun(triggered, {
        showRef: !isTerminal(triggered.status),
        elapsedMs: Date.now() - started,
      });
      return isUnsuccessful(triggered.status) ? EXIT.jobFailed : EXIT.ok;
    }
    const finished = await session.wait(client, triggered, time);
    session.printRun(finished, { showRef: false, elapsedMs: Date.now() - started });
    return EXIT.ok;
  } catch (error) {
    return session.fail(error);
  }
}
