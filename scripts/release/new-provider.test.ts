// `pnpm new-provider` end to end: the proof that a provider is a self-describing plug-in. In a
// scratch copy of the repo (its tracked files, outside the work tree), scaffold a fourth provider
// from fixtures/acme.yaml (async runs with a status enum) with --register, and then, with no file
// outside packages/acme and specs/ changed but the one line that registers it (plus the
// facade's dependency on the new package, the lockfile and the changeset the scaffold writes):
// the new package typechecks, passes Biome and its scaffolded tests against Prism; the facade
// triggers and waits for a run on it against Prism; and so does `anyjob trigger acme … --wait --json`.
import { execFile, execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPrism } from '../lib/prism.mjs';

const exec = promisify(execFile);
const repoRoot = new URL('../..', import.meta.url).pathname;
const fixture = new URL('./fixtures/acme.yaml', import.meta.url).pathname;

let scratch: string;
let scaffoldOutput: string;
let changed: string[];
let prism: { url: string; stop: () => Promise<void> } | undefined;

// CI=true as on the CI machine, where pnpm freezes the lockfile unless told otherwise: the
// scaffold's install must still link the new package there.
async function inScratch(command: string, args: string[], env: Record<string, string> = {}, only?: 'stdout') {
  try {
    const { stdout, stderr } = await exec(command, args, {
      cwd: scratch,
      env: { ...process.env, CI: 'true', ...env },
      maxBuffer: 20 * 1024 * 1024,
    });
    return only === 'stdout' ? stdout : `${stdout}${stderr}`;
  } catch (error) {
    const { stdout = '', stderr = '' } = error as { stdout?: string; stderr?: string };
    throw new Error(`\`${command} ${args.join(' ')}\` failed in the scratch repo:\n${stdout}${stderr}`);
  }
}

beforeAll(async () => {
  scratch = mkdtempSync(join(tmpdir(), 'anyjob-new-provider-'));
  // The repo as a clone has it: tracked files as they are in the work tree.
  const files = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], {
    cwd: repoRoot,
    encoding: 'utf8',
  })
    .split('\0')
    .filter(Boolean);
  for (const file of files) {
    mkdirSync(dirname(join(scratch, file)), { recursive: true });
    try {
      cpSync(join(repoRoot, file), join(scratch, file));
    } catch {
      // A file deleted in the work tree but not yet in the index.
    }
  }
  const git = (...args: string[]) => execFileSync('git', args, { cwd: scratch, stdio: 'pipe' });
  git('init', '-q');
  git('add', '-A');
  git('-c', 'user.name=test', '-c', 'user.email=test@example.com', 'commit', '-qm', 'base');
  await inScratch('pnpm', ['install', '--offline', '--frozen-lockfile']);
  scaffoldOutput = await inScratch(process.execPath, [
    'scripts/new-provider.mjs',
    'acme',
    '--spec',
    fixture,
    '--register',
  ]);
  changed = git('status', '--porcelain', '--untracked-files=all')
    .toString()
    .split('\n')
    .filter(Boolean)
    .map((line) => line.slice(3));
  await inScratch(join(scratch, 'node_modules/.bin/turbo'), ['run', 'build', '--output-logs=errors-only']);
  prism = await startPrism(join(scratch, 'specs/acme.yaml'));
}, 300_000);

afterAll(async () => {
  await prism?.stop();
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

describe('pnpm new-provider acme --spec fixtures/acme.yaml --register', () => {
  it('changes nothing outside packages/acme and specs/ but the registration', () => {
    const outside = changed.filter(
      (file) => !file.startsWith('packages/acme/') && !file.startsWith('specs/'),
    );
    expect(outside.sort()).toEqual([
      '.changeset/new-provider-acme.md',
      'packages/anyjob/package.json',
      'packages/anyjob/src/providers.ts',
      'pnpm-lock.yaml',
    ]);
    const diff = (file: string) =>
      execFileSync('git', ['diff', '-U0', '--', file], { cwd: scratch, encoding: 'utf8' })
        .split('\n')
        .filter((line) => /^[+-][^+-]/.test(line));
    expect(diff('packages/anyjob/src/providers.ts')).toEqual(["+export * from '@anyjob/acme/provider';"]);
    expect(diff('packages/anyjob/package.json')).toEqual(['+    "@anyjob/acme": "workspace:*",']);
  });

  it('drafts the descriptor from the spec: operations, status table, flags', () => {
    const provider = readFileSync(join(scratch, 'packages/acme/src/provider.ts'), 'utf8');
    expect(provider).toMatch(/trigger = createJob, read =\s*\/\/? ?getJob/);
    for (const [word, status] of [
      ['queued', 'queued'],
      ['running', 'running'],
      ['succeeded', 'succeeded'],
      ['failed', 'failed'],
    ]) {
      expect(provider).toContain(`${word}: '${status}'`);
    }
    expect(provider).toMatch(/name: 'priority',\s*kind: 'string',\s*field: 'priority'/);
    expect(provider).toMatch(/name: 'params',\s*kind: 'pairs'/);
    const sdk = readFileSync(join(scratch, 'packages/acme/src/generated/sdk.gen.ts'), 'utf8');
    expect(sdk).toMatch(/export const acmeCreateJob\b/);
    expect(sdk).toMatch(/export const acmeGetJob\b/);
  });

  it('leaves by hand only what no spec can say', () => {
    const todo = scaffoldOutput.slice(scaffoldOutput.indexOf('Left to do by hand'));
    expect(todo).toContain('ACME_API_KEY');
    expect(todo).toContain('after a trigger whose answer was lost');
    expect(todo).not.toMatch(/status mapping|register it|adapter\.ts|src\/status/);
  });

  it('the scaffolded package typechecks, passes Biome and its tests against Prism', async () => {
    await inScratch(join(scratch, 'node_modules/.bin/tsc'), ['-p', 'packages/acme/tsconfig.json']);
    await inScratch(join(scratch, 'node_modules/.bin/biome'), [
      'check',
      '--vcs-enabled=false',
      'packages/acme',
    ]);
    const output = await inScratch(join(scratch, 'node_modules/.bin/vitest'), [
      'run',
      'packages/acme',
      '--reporter=verbose',
    ]);
    expect(output).toMatch(/createJob \(POST \/jobs\) answers 2xx/);
    expect(output).toMatch(/maps every status word the spec documents/);
    expect(output).toMatch(/triggers a run, reads it from its stored ref and waits for it/);
    // biome-ignore lint/suspicious/noControlCharactersInRegex: strips vitest's colours
    expect(output.replace(/\x1b\[[0-9;]*m/g, '')).not.toMatch(/failed/);
  }, 240_000);

  it('the facade triggers and waits for a run on it, as a default provider', async () => {
    const script = join(scratch, 'facade-check.mjs');
    writeFileSync(
      script,
      `import { createAnyJob, defaultProviders } from './packages/anyjob/dist/index.js';
const anyjob = createAnyJob({ acme: { apiKey: 'acme-key-not-a-secret', baseUrl: process.argv[2] }, env: {} });
const run = await anyjob.triggerJob({ provider: 'acme', name: 'nightly-report' });
const done = await anyjob.waitForJob(run, { pollIntervalMs: 1 });
console.log(JSON.stringify({ providers: defaultProviders.map((p) => p.name), triggered: run.status, done: done.status, ref: done.ref }));
`,
    );
    const output = await inScratch(process.execPath, [script, prism?.url ?? '']);
    const result = JSON.parse(output.trim().split('\n').at(-1) ?? '{}');
    expect(result.providers).toContain('acme');
    expect(result).toMatchObject({
      triggered: 'queued',
      done: 'succeeded',
      ref: { provider: 'acme', runId: 'job_0001' },
    });
  });

  it('the CLI: `anyjob trigger acme --name … --wait --json` reaches succeeded, and help lists it', async () => {
    const output = await inScratch(
      process.execPath,
      [
        'packages/cli/dist/bin.js',
        'trigger',
        'acme',
        '--name',
        'nightly-report',
        '--priority',
        'high',
        '--wait',
        '--json',
        '--poll-interval',
        '10ms',
      ],
      { ACME_API_KEY: 'acme-key-not-a-secret', ACME_BASE_URL: prism?.url ?? '' },
      'stdout',
    );
    expect(JSON.parse(output)).toMatchObject({
      provider: 'acme',
      status: 'succeeded',
      providerStatus: 'succeeded',
    });
    const help = await inScratch(process.execPath, ['packages/cli/dist/bin.js', 'trigger', 'acme', '--help']);
    expect(help).toMatch(/--priority low\|normal\|high/);
    expect(help).toContain('ACME_API_KEY');
  });
});
