// Reading what the command line points at: saved refs, JSON values, an API key file.
import { readFile } from 'node:fs/promises';
import { ConfigError } from 'anyjob';
import type { CommandDef } from './commands.js';
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

/** An option holding JSON: inline JSON, `@file`, or `-` for stdin; parsed. */
export async function readJsonOption(
  command: CommandDef,
  option: string,
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
  provider: string;
  [key: string]: unknown;
}

function refIn(document: unknown): unknown {
  return typeof document === 'object' && document !== null && 'ref' in document
    ? (document as { ref: unknown }).ref
    : document;
}

/**
 * Reads what `anyjob trigger --json` printed (a JobRun with `ref`) or bare refs, from files or
 * stdin (`-`: one JSON document, or JSON lines with one run or ref per line).
 */
export async function readRefs(
  command: CommandDef,
  sources: readonly string[],
  readStdin: ReadStdin,
  providerNames: readonly string[],
): Promise<StoredRef[]> {
  const fail = (why: string): never => {
    throw new UsageError(why, command, [], true);
  };
  const expected = `the output of \`anyjob trigger … --json\` or its "ref" (an object with "provider": ${providerNames.join(', ')})`;
  const refs: StoredRef[] = [];
  for (const source of sources) {
    const { text, from } = await readSource(source, readStdin, fail);
    let documents: unknown[];
    try {
      documents = [JSON.parse(text)];
    } catch {
      const lines = text.split('\n').filter((line) => line.trim() !== '');
      try {
        documents = lines.map((line) => JSON.parse(line));
      } catch {
        return fail(`${from} is not JSON (one document, or JSON lines); expected ${expected}.`);
      }
    }
    if (documents.length === 0) fail(`${from} holds no run ref: expected ${expected}.`);
    for (const document of documents) {
      const candidate = refIn(document);
      const provider = (candidate as StoredRef | null)?.provider;
      if (
        typeof candidate !== 'object' ||
        candidate === null ||
        typeof provider !== 'string' ||
        !providerNames.includes(provider)
      ) {
        return fail(`${from} holds no run ref: expected ${expected}.`);
      }
      refs.push(candidate as StoredRef);
    }
  }
  return refs;
}

/** `--api-key-file`: the key is the file's content without surrounding whitespace (a final newline). */
export async function readApiKeyFile(path: string): Promise<string> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new ConfigError(`Cannot read the API key file ${path} (--api-key-file): ${reason(error)}.`, {
      setting: 'apiKey',
    });
  }
  const key = text.trim();
  if (key === '')
    throw new ConfigError(`The API key file ${path} (--api-key-file) is empty.`, { setting: 'apiKey' });
  return key;
}
