// The README's first quick-start command is `pnpm demo`, and its newcomer section promises
// `pnpm mocks` + `pnpm anyjob …` from a clone; this keeps them true. It runs them as a user would
// (their own Prism mocks, no credentials) and checks their output, that nothing but their own
// output is printed (no build noise), and that the mocks stop. The tests of this file run one
// after another, so each one's check for left-over Prism processes sees only its own.
import { execFile, execFileSync, spawn } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { expect, it } from 'vitest';
import { defaultProviders } from '../packages/anyjob/src/index.js';
import { buildQuietly } from './lib/quiet-build.mjs';
import { startNode } from './test-harness/spawn-node.js';

const repoRoot = join(import.meta.dirname, '..');

// Only mocks of this checkout's specs: other test files start Prism for scratch specs meanwhile.
/**
 * `pnpm mocks [args]` as a child process: `ready` resolves with what it printed once it serves
 * (rejects if it exits first); `exited` with its exit code.
 */
function startMocks(args: string[]) {
  const mocks = spawn(process.execPath, [join(repoRoot, 'scripts', 'mocks.mjs'), ...args], {
    cwd: repoRoot,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  const exited = new Promise<number | null>((resolve) => mocks.on('exit', (code) => resolve(code)));
  const ready = new Promise<string>((resolve, reject) => {
    mocks.stdout.on('data', (chunk) => {
      stdout += chunk;
      if (stdout.includes('Ctrl-C stops the mocks.')) resolve(stdout);
    });
    void exited.then((code) => reject(new Error(`pnpm mocks ${args.join(' ')} exited ${code}:\n${stdout}`)));
  });
  return { mocks, exited, ready };
}

function prismPids(): Set<string> {
  try {
    return new Set(
      execFileSync('pgrep', ['-f', `prism-cli/dist/index.js mock ${join(repoRoot, 'specs')}/`], {
        encoding: 'utf8',
      })
        .split('\n')
        .filter(Boolean),
    );
  } catch {
    return new Set(); // pgrep exits 1 when nothing matches
  }
}

it('pnpm demo runs one job per provider against the mocks and stops them', { timeout: 180_000 }, async () => {
  const before = prismPids();
  // Keys in the env must be ignored without --live: the demo never sends them anywhere.
  const env = { HOME: process.env.HOME ?? '', TFY_API_KEY: 'must-not-be-used' };
  const { code, stdout, stderr } = await startNode(join(repoRoot, 'scripts', 'demo.mjs'), [], {
    cwd: repoRoot,
    env,
  }).done;

  expect(code, stderr).toBe(0);
  // One row per provider of the registry, in its order, each succeeded against its mock.
  const names: string[] = defaultProviders.map((descriptor) => descriptor.name);
  const rows = stdout.split('\n').filter((line) => names.includes(line.split(/\s+/)[0] ?? ''));
  expect(rows.map((row) => row.split(/\s+/)[0])).toEqual(names);
  for (const row of rows) expect(row).toMatch(/\smock\s.*\ssucceeded/);
  // Nothing but the demo's own lines: no turbo banner or task summary from building the CLI.
  expect(stderr).toBe('');
  expect(stdout.split('\n').filter(Boolean)).toEqual([
    `Starting Prism mocks for ${names.join(', ')} …`,
    expect.stringMatching(/^provider\s+mode\s+run id\s+status\s+outputs\s+time$/),
    expect.stringMatching(/^-+( +-+){5}$/),
    ...rows,
    'mock = Prism serving specs/*.yaml on 127.0.0.1; no credentials, no network.',
  ]);
  expect(stdout + stderr).not.toContain('must-not-be-used');
  const leftOver = [...prismPids()].filter((pid) => !before.has(pid));
  expect(leftOver).toEqual([]);
});

it('a failing build is not quiet: turbo’s output is printed and the script stops', () => {
  const written: string[] = [];
  const write = process.stderr.write;
  process.stderr.write = ((chunk: string) => {
    written.push(String(chunk));
    return true;
  }) as typeof process.stderr.write;
  try {
    expect(() => buildQuietly('@anyjob/no-such-package')).toThrow(/building @anyjob\/no-such-package failed/);
  } finally {
    process.stderr.write = write;
  }
  expect(written.join('')).toContain("No package found with name '@anyjob/no-such-package'");
});

/** What `pnpm mocks` printed: the env of its `export …` line and its example commands. */
function printedSession(stdout: string) {
  const exportLine = stdout.split('\n').find((line) => line.startsWith('export ')) ?? '';
  const env: Record<string, string> = Object.fromEntries(
    exportLine
      .slice('export '.length)
      .split(' ')
      .filter(Boolean)
      .map((pair) => pair.split('=', 2)),
  );
  const commands = stdout
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line.startsWith('pnpm anyjob '));
  /** The printed `pnpm anyjob <verb> <provider> …` of each provider. */
  const command = (verb: string, provider: string) =>
    commands.find(
      (line) =>
        line.startsWith(`pnpm anyjob ${verb} ${provider} `) || line === `pnpm anyjob ${verb} ${provider}`,
    );
  return { env, commands, command };
}

const run = promisify(execFile);
const CLI = join(repoRoot, 'packages', 'cli', 'dist', 'bin.js');

/**
 * Each provider's printed trigger as a user pastes it after the printed env, with `--json`; the
 * first through pnpm from a directory other than the root (as the README has it), the others with
 * the built CLI at once. Resolves with each provider's run.
 */
async function runPrintedTriggers(session: ReturnType<typeof printedSession>) {
  const shellEnv = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...session.env };
  const triggers = defaultProviders.map((descriptor) => {
    const line = session.command('trigger', descriptor.name);
    if (!line) throw new Error(`pnpm mocks printed no trigger for ${descriptor.name}`);
    return { provider: descriptor.name as string, line: `${line} --json` };
  });
  const [first, ...rest] = triggers;
  const viaPnpm = await run(
    'sh',
    ['-c', (first as (typeof triggers)[number]).line.replace(/^pnpm /, 'pnpm -s ')],
    {
      cwd: join(repoRoot, 'packages'),
      env: shellEnv,
    },
  );
  // Progress lines only: no build output.
  for (const line of viaPnpm.stderr.split('\n').filter(Boolean)) expect(line).toMatch(/^\w+ run /);
  const others = await Promise.all(
    rest.map(({ line }) =>
      run('sh', ['-c', line.replace(/^pnpm anyjob /, `"${process.execPath}" "${CLI}" `)], {
        cwd: repoRoot,
        env: shellEnv,
      }),
    ),
  );
  return new Map<string, { provider: string; id: string; status: string }>(
    triggers.map(({ provider }, i) => [provider, JSON.parse((i === 0 ? viaPnpm : others[i - 1]).stdout)]),
  );
}

/** Every registered provider's key in the env line, and its base URL there or on its command. */
function expectEveryProvider(session: ReturnType<typeof printedSession>) {
  for (const descriptor of defaultProviders) {
    expect(session.env, descriptor.name).toHaveProperty(descriptor.env.apiKey[0] as string);
    const trigger = session.command('trigger', descriptor.name) ?? '';
    const baseUrlVar = descriptor.env.baseUrl[0] as string;
    expect(
      [baseUrlVar in session.env, trigger.includes(' --base-url ')],
      `${descriptor.name}'s base URL: in ${baseUrlVar}, or else on its command`,
    ).toContain(true);
  }
}

it('pnpm mocks prints every registered provider’s env and a trigger of each that reaches its mock with it', {
  timeout: 180_000,
}, async () => {
  const before = prismPids();
  const { mocks, exited, ready } = startMocks([]);
  try {
    const session = printedSession(await ready);
    expectEveryProvider(session);
    const runs = await runPrintedTriggers(session);
    for (const descriptor of defaultProviders)
      expect(runs.get(descriptor.name)).toMatchObject({ provider: descriptor.name, status: 'succeeded' });
  } finally {
    mocks.kill('SIGINT');
  }
  expect(await exited).toBe(0);
  expect([...prismPids()].filter((pid) => !before.has(pid))).toEqual([]);
});

it('pnpm mocks --emulator serves every provider from the fake (@anyjob/testing): the printed triggers run there and the list it names shows its run', {
  timeout: 180_000,
}, async () => {
  const before = prismPids();
  const { mocks, exited, ready } = startMocks(['--emulator']);
  try {
    const stdout = await ready;
    // The fake serves every provider on one port, each under its own path.
    for (const descriptor of defaultProviders)
      expect(stdout).toMatch(
        new RegExp(`^ {2}${descriptor.name} +http://127\\.0\\.0\\.1:\\d+/\\S* +fake$`, 'm'),
      );
    const session = printedSession(stdout);
    expectEveryProvider(session);
    const runs = await runPrintedTriggers(session);
    for (const descriptor of defaultProviders)
      expect(runs.get(descriptor.name)).toMatchObject({ provider: descriptor.name, status: 'succeeded' });

    // The fake (not Prism, whose list answers its examples) holds the runs it created. It has no
    // inspection route of its own: the list the hint names shows its provider's run.
    const hint = stdout.match(/show up in their list: `(pnpm anyjob list (\S+)[^`]*)`/);
    expect(hint).not.toBeNull();
    const [, listLine, provider] = hint as RegExpMatchArray;
    const { stdout: listed } = await run(
      'sh',
      ['-c', `${(listLine as string).replace(/^pnpm /, 'pnpm -s ')} --json`],
      {
        cwd: repoRoot,
        env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...session.env },
      },
    );
    expect(listed).toContain(`"id":"${runs.get(provider as string)?.id}"`);
  } finally {
    mocks.kill('SIGINT');
  }
  expect(await exited).toBe(0);
  expect([...prismPids()].filter((pid) => !before.has(pid))).toEqual([]);
});
