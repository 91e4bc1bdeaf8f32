// Reading what the command line points at: a saved ref, a JSON payload, an API key file.
import { readFile } from 'node:fs/promises';
import { ConfigError } from 'anyjob';
import { type CommandDef, isProviderName, type OptionName, type ProviderName } from './commands.js';
import { UsageError } from './usage-error.js';

/** Reads all of stdin as text. */
export type ReadStdin = () => Promise<string>;

export async function readProcessStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function reason(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  return code === 'ENOENT'
    ? 'no such file'
    : code === 'EACCES'
      ? 'permission denied'
      : (code ?? 'unreadable');
}

async function readSource(
  source: string,
  readStdin: ReadStdin,
  onError: (why: string) => never,
): Promise<{ text: string; from: string }> {
  if (source === '-') return { text: await readStdin(), from: 'stdin' };
  try {
    return { text: await readFile(source, 'utf8'), from: source };
  } catch (error) {
    return onError(`cannot read ${source}: ${reason(error)}`);
  }
}

/** `--payload <json | @file | ->` as parsed JSON. */
export async function readPayload(
  command: CommandDef,
  option: OptionName,
  value: string,
  readStdin: ReadStdin,
): Promise<unknown> {
  const fail = (why: string): never => {
    throw new UsageError(`--${option}: ${why}.`, command, [option]);
  };
  const { text, from } = value.startsWith('@')
    ? await readSource(value.slice(1), readStdin, fail)
    : value === '-'
      ? await readSource('-', readStdin, fail)
      : { text: value, from: 'the argument' };
  try {
    return JSON.parse(text);
  } catch {
    return fail(`${from === 'the argument' ? 'the value' : from} is not valid JSON`);
  }
}

export interface StoredRef {
  provider: ProviderName;
  [key: string]: unknown;
}

/**
 * Reads what `anyjob trigger --json` printed (a JobRun with `ref`) or the bare ref, from a file or
 * stdin (`-`), and returns the ref.
 */
export async function readRef(command: CommandDef, source: string, readStdin: ReadStdin): Promise<StoredRef> {
  const fail = (why: string): never => {
    throw new UsageError(why, command, [], true);
  };
  const { text, from } = await readSource(source, readStdin, fail);
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch {
    return fail(`${from} is not JSON; expected the output of \`anyjob trigger … --json\` or its "ref".`);
  }
  const candidate =
    typeof document === 'object' && document !== null && 'ref' in document
      ? (document as { ref: unknown }).ref
      : document;
  if (
    typeof candidate !== 'object' ||
    candidate === null ||
    !isProviderName((candidate as StoredRef).provider)
  ) {
    return fail(
      `${from} holds no run ref: expected the output of \`anyjob trigger … --json\` or its "ref" (an object with "provider": runchat, truefoundry or kognitos).`,
    );
  }
  return candidate as StoredRef;
}

/** `--api-key-file`: the key is the file's content without surrounding whitespace (a final newline). */
export async function readApiKeyFile(path: string): Promise<string> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new ConfigError(`Cannot read the API key file ${path} (--api-key-file): ${reason(error)}.`);
  }
  const key = text.trim();
  if (key === '') throw new ConfigError(`The API key file ${path} (--api-key-file) is empty.`);
  return key;
}
