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

it('pnpm mocks prints an export line that `pnpm anyjob trigger truefoundry --application app --wait` works with', {
  timeout: 120_000,
}, async () => {
  const before = prismPids();
  const { mocks, exited, ready } = startMocks([]);
  try {
    const stdout = await ready;
    const exportLine = stdout.split('\n').find((line) => line.startsWith('export '));
    expect(exportLine).toBeDefined();
    const env = Object.fromEntries(
      (exportLine as string)
        .slice('export '.length)
        .split(' ')
        .map((pair) => pair.split('=', 2)),
    );
    // The env of the provider the README's command uses (the export line's whole list is
    // pnpm mocks' own test's).
    expect(Object.keys(env)).toEqual(expect.arrayContaining(['TFY_HOST', 'TFY_API_KEY']));

    // The README's command, through pnpm as a user types it (`-s`: without pnpm's header, so
    // that stdout is the CLI's JSON alone), from a directory other than the root.
    const { stdout: json, stderr } = await promisify(execFile)(
      'pnpm',
      ['-s', 'anyjob', 'trigger', 'truefoundry', '--application', 'app', '--wait', '--json'],
      {
        cwd: join(repoRoot, 'packages'),
        env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
      },
    );
    expect(JSON.parse(json)).toMatchObject({ provider: 'truefoundry', status: 'succeeded' });
    // Progress lines only: no build output.
    for (const line of stderr.split('\n').filter(Boolean)) expect(line).toMatch(/^truefoundry run /);
  } finally {
    mocks.kill('SIGINT');
  }
  expect(await exited).toBe(0);
  expect([...prismPids()].filter((pid) => !before.has(pid))).toEqual([]);
});

it('pnpm mocks --emulator serves TrueFoundry from the fake (@anyjob/testing), with the key it prints, and stops', {
  timeout: 120_000,
}, async () => {
  const before = prismPids();
  const { mocks, exited, ready } = startMocks(['--emulator']);
  try {
    const stdout = await ready;
    // The fake serves every provider on one port, each under its own path.
    expect(stdout).toMatch(/^ {2}truefoundry +http:\/\/127\.0\.0\.1:\d+\/\S* +fake$/m);
    const exportLine = stdout.split('\n').find((line) => line.startsWith('export ')) ?? '';
    const env = Object.fromEntries(
      exportLine
        .slice('export '.length)
        .split(' ')
        .map((pair) => pair.split('=', 2)),
    );

    // One request, as the printed hint says: a trigger with the printed host and key.
    const { stdout: json } = await promisify(execFile)(
      'pnpm',
      ['-s', 'anyjob', 'trigger', 'truefoundry', '--application', 'app', '--json'],
      { cwd: repoRoot, env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env } },
    );
    const run = JSON.parse(json);
    expect(run).toMatchObject({ provider: 'truefoundry' });
    // The fake (not Prism, whose list answers its examples) holds the run it created. It has no
    // inspection route of its own: the provider's own list shows the run.
    const { stdout: listed } = await promisify(execFile)(
      'pnpm',
      ['-s', 'anyjob', 'list', 'truefoundry', '--application', 'app', '--json'],
      { cwd: repoRoot, env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env } },
    );
    expect(listed).toContain(run.id);
  } finally {
    mocks.kill('SIGINT');
  }
  expect(await exited).toBe(0);
  expect([...prismPids()].filter((pid) => !before.has(pid))).toEqual([]);
});
