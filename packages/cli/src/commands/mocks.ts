// `anyjob mocks --fake [--port <n>]`: @anyjob/testing's fakes of the providers, served on
// 127.0.0.1 for a shell session or a program in another language. Prints each provider's base
// URL and an `export …` line (the providers' own env vars, from their descriptors), then serves
// until Ctrl-C. @anyjob/testing is an optional peer dependency, imported only here.
import { ConfigError } from 'anyjob';
import { parseCommandArgs, stringValue } from '../args.js';
import { EXIT } from '../exit-codes.js';
import { formatHelp } from '../help.js';
import { UsageError } from '../usage-error.js';
import type { CommandContext } from './context.js';

type Testing = typeof import('@anyjob/testing');

// A variable, so that the CLI's bundle leaves the optional package alone.
const TESTING = '@anyjob/testing';

async function loadTesting(): Promise<Testing> {
  try {
    return (await import(/* webpackIgnore: true */ /* @vite-ignore */ TESTING)) as Testing;
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === 'ERR_MODULE_NOT_FOUND' && String((error as Error).message).includes(TESTING)) {
      throw new ConfigError(
        `anyjob mocks --fake needs ${TESTING}, which is not installed: install it beside @anyjob/cli (npm install --save-dev ${TESTING}).`,
        { cause: error },
      );
    }
    throw error;
  }
}

function portOf(text: string | undefined): number {
  if (text === undefined) return 0;
  const port = Number(text);
  if (!/^\d+$/.test(text) || port > 65_535) throw new RangeError(text);
  return port;
}

export async function mocks({ io, table }: CommandContext, args: string[]): Promise<number> {
  const command = table.mocks;
  const { values } = parseCommandArgs(command, args, 0, table);
  if (values.help) {
    io.stdout.write(formatHelp(command));
    return EXIT.ok;
  }
  if (values.fake !== true)
    throw new UsageError('say what to serve: --fake (the providers’ fakes from @anyjob/testing).', command, [
      'fake',
    ]);
  let port: number;
  try {
    port = portOf(stringValue(values, 'port'));
  } catch {
    throw new UsageError('--port needs a port number from 0 to 65535 (0: a free one).', command, ['port']);
  }

  const { serveFakeProviders } = await loadTesting();
  // The env line and the runs' script are @anyjob/testing's, shared with the repository's `pnpm mocks`.
  const {
    server,
    providers: served,
    exportLine,
  } = await serveFakeProviders({ providers: table.providers, port });
  try {
    const width = Math.max(...served.map((provider) => provider.name.length));
    const lines = [''];
    for (const provider of served)
      lines.push(`  ${provider.name.padEnd(width)}  ${server.baseUrls[provider.name]}`);
    lines.push(
      '',
      'Paste into another shell (the keys are placeholders the fakes accept, not secrets):',
      '',
      exportLine,
      '',
      'Runs are queued for a second, run for three and succeed; `anyjob list <provider>` shows them.',
      'Ctrl-C stops the fakes.',
      '',
    );
    io.stdout.write(lines.join('\n'));
    await new Promise<void>((resolve) => {
      if (io.signal?.aborted) resolve();
      io.signal?.addEventListener('abort', () => resolve(), { once: true });
    });
  } finally {
    await server.close();
  }
  return EXIT.ok;
}
