// `pnpm new-provider` end to end: the proof that a provider is a self-describing plug-in. In a
// scratch copy of the repo (its tracked files, outside the work tree), scaffold a fourth provider
// from fixtures/acme.yaml (async runs with a status enum) with --register, and then, with no file
// outside packages/acme and specs/ changed but the one line that registers it (plus the
// facade's dependency on the new package, the lockfile and the changeset the scaffold writes):
// the new package typechecks, passes Biome and its scaffolded tests against Prism; the facade
// triggers and waits for a run on it against Prism; and so does `anyjob trigger acme … --wait --json`.
// The spec copy names its own env vars (`x-anyjob-env`), which the scaffold must use; the tests that
// take the set of providers from the registry (tree-shaking, CLI usage and completion) must pick
// the fourth provider up unchanged. Before that, the fast checks: --help, env names, registration.
import { execFile, execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSpec } from '../lib/openapi.mjs';
import { startPrism } from '../lib/prism.mjs';
import { draftProvider, envNames, withRegistration } from '../lib/provider-draft.mjs';

const exec = promisify(execFile);
const repoRoot = new URL('../..', import.meta.url).pathname;
const fixture = new URL('./fixtures/acme.yaml', import.meta.url).pathname;
const newProvider = new URL('../new-provider.mjs', import.meta.url).pathname;

describe('pnpm new-provider: usage, env var names, registration', () => {
  it('--help prints the usage with every option and exits 0', () => {
    for (const flag of ['--help', '-h']) {
      const { status, stdout } = spawnSync(process.execPath, [newProvider, flag], { encoding: 'utf8' });
      expect(status).toBe(0);
      expect(stdout).toMatch(/^Usage: pnpm new-provider <name> --spec <path.yaml>/);
      for (const option of ['--register', '--skip-install', '--key-env', '--base-url-env', '--env-prefix']) {
        expect(stdout).toContain(option);
      }
      expect(stdout).toContain('x-anyjob-env');
    }
  });

  it('a flag that is not an env var name, or lacks its value, is a usage error before anything is written', () => {
    for (const args of [
      ['acme', '--spec', fixture, '--key-env', 'acme-token'],
      ['acme', '--spec', fixture, '--base-url-env'],
    ]) {
      const { status, stderr } = spawnSync(process.execPath, [newProvider, ...args], { encoding: 'utf8' });
      expect(status).toBe(2);
      expect(stderr).toMatch(/new-provider: .*(not an env var name|needs a value)/);
    }
  });

  const spec = (extra: Record<string, unknown> = {}, description = 'API key.') => ({
    openapi: '3.1.0',
    info: { title: 'Acme', version: '1' },
    paths: {},
    components: { securitySchemes: { key: { type: 'http', scheme: 'bearer', description } } },
    ...extra,
  });

  it('env var names: flags, then x-anyjob-env, then the security scheme, then <NAME>_API_KEY', () => {
    expect(envNames(spec(), {}, 'ACME')).toEqual({
      apiKey: 'ACME_API_KEY',
      baseUrl: 'ACME_BASE_URL',
      origin: 'convention',
    });
    expect(envNames(spec({}, 'Personal access token (`ACME_TOKEN`).'), {}, 'ACME')).toEqual({
      apiKey: 'ACME_TOKEN',
      baseUrl: 'ACME_BASE_URL',
      origin: 'spec',
    });
    const named = spec({ 'x-anyjob-env': { apiKey: 'ACME_PAT', baseUrl: 'ACME_HOST' } }, '`ACME_TOKEN`');
    expect(envNames(named, {}, 'ACME')).toEqual({ apiKey: 'ACME_PAT', baseUrl: 'ACME_HOST', origin: 'spec' });
    expect(envNames(named, { prefix: 'AJ' }, 'ACME')).toEqual({
      apiKey: 'AJ_API_KEY',
      baseUrl: 'AJ_BASE_URL',
      origin: 'flag',
    });
    expect(envNames(named, { apiKey: 'K', baseUrl: 'U', prefix: 'AJ' }, 'ACME')).toMatchObject({
      apiKey: 'K',
      baseUrl: 'U',
    });
    expect(() => envNames(spec({ 'x-anyjob-env': { apiKey: 'acme token' } }), {}, 'ACME')).toThrow(
      /x-anyjob-env: apiKey "acme token" is not an env var name/,
    );
  });

  it('registration lines are kept sorted by module, the comment above them untouched', () => {
    const source =
      "// The defaults.\nexport * from '@anyjob/kognitos/provider';\nexport * from '@anyjob/runchat/provider';\n";
    expect(withRegistration(source, "export * from '@anyjob/acme/provider';")).toBe(
      "// The defaults.\nexport * from '@anyjob/acme/provider';\nexport * from '@anyjob/kognitos/provider';\nexport * from '@anyjob/runchat/provider';\n",
    );
    expect(withRegistration(source, "export * from '@anyjob/zeta/provider';").split('\n').at(-2)).toBe(
      "export * from '@anyjob/zeta/provider';",
    );
    expect(withRegistration(source, "export * from '@anyjob/runchat/provider';")).toBe(source);
  });
});

// The corpus' shapes (fixtures/README.md), as the draft reads them from each spec: where the run
// id travels, the status fields, what the trigger answers, the pagination and the idempotency key.
describe('draftProvider reads each corpus shape from its spec', () => {
  const draft = (fixture: string) =>
    draftProvider(loadSpec(new URL(`./fixtures/${fixture}.yaml`, import.meta.url).pathname));

  it('databricks: id in the query and the body (int64), nested two-field status, id answer, token pages, idempotency token', () => {
    const d = draft('databricks');
    expect(d.get.runId).toEqual({ in: 'query', name: 'run_id', type: 'integer' });
    expect(d.cancel?.runId).toEqual({ in: 'body', name: 'run_id', type: 'integer' });
    expect(d.runIdType).toBe('integer');
    expect(d.status.fields).toEqual(['status.state', 'status.termination_details.code']);
    expect(d.status.rows).toContainEqual({
      key: 'terminated/success',
      spelling: 'TERMINATED/SUCCESS',
      status: 'succeeded',
    });
    expect(d.status.rows).toContainEqual({
      key: 'terminated/canceled',
      spelling: 'TERMINATED/CANCELED',
      status: 'canceled',
    });
    expect(d.triggerAnswer).toEqual({ kind: 'id', field: 'run_id' });
    expect(d.list?.pagination).toMatchObject({
      style: 'token',
      items: 'runs',
      tokenParam: 'page_token',
      nextToken: 'next_page_token',
    });
    expect(d.idempotency).toEqual({ in: 'body', name: 'idempotency_token', maxLength: 64 });
  });

  it('github-actions: path id beside its scope, status + conclusion, id answer (or 204), Link pages', () => {
    const d = draft('github-actions');
    expect(d.get.runId).toEqual({ in: 'path', name: 'run_id', type: 'integer' });
    expect(d.get.scope).toEqual(['owner', 'repo']);
    expect(d.status.fields).toEqual(['status', 'conclusion']);
    expect(d.status.rows).toContainEqual({ key: 'in_progress', spelling: 'in_progress', status: 'running' });
    expect(d.triggerAnswer).toEqual({ kind: 'id', field: 'workflow_run_id' });
    expect(d.notes.join('\n')).toMatch(/may also answer without a body \(204\)/);
    expect(d.list?.pagination).toMatchObject({
      style: 'link',
      items: 'workflow_runs',
      sizeParam: 'per_page',
      maxPageSize: 100,
    });
    expect(d.flags.find((f) => f.field === 'workflow_id')?.kind).toBe('string');
  });

  it('airflow, rundeck, gitlab: one enum, the run as the answer, offset or Link pages', () => {
    const airflow = draft('airflow');
    expect(airflow.status.fields).toEqual(['state']);
    expect(airflow.triggerAnswer).toEqual({ kind: 'run' });
    expect(airflow.list?.pagination).toMatchObject({
      style: 'offset',
      offsetParam: 'offset',
      total: 'total_entries',
    });
    expect(airflow.cancel).toBeUndefined();
    const rundeck = draft('rundeck');
    expect(rundeck.get.runId).toEqual({ in: 'path', name: 'id', type: 'integer' });
    expect(rundeck.list?.pagination).toMatchObject({
      style: 'offset',
      sizeParam: 'max',
      total: 'paging.total',
    });
    const gitlab = draft('gitlab');
    expect(gitlab.get.scope).toEqual(['id']);
    expect(gitlab.cancel?.answersRun).toBe(true);
    expect(gitlab.list?.pagination).toMatchObject({ style: 'link', items: '' });
  });

  it('jenkins: a Location answer, a result that is null while the build runs, no pagination it can describe', () => {
    const d = draft('jenkins');
    expect(d.triggerAnswer).toEqual({ kind: 'location' });
    expect(d.status).toMatchObject({ fields: ['result'], wildcard: true });
    expect(d.list).toBeUndefined();
    expect(d.notes.join('\n')).toMatch(/answers a Location.*queue item/);
  });
});

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

describe('pnpm new-provider acme --spec fixtures/acme.yaml --register', () => {
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
    // Acme's own env var names, as a provider's spec may declare them.
    const spec = join(scratch, 'acme.yaml');
    writeFileSync(
      spec,
      `${readFileSync(fixture, 'utf8')}x-anyjob-env:\n  apiKey: ACME_TOKEN\n  baseUrl: ACME_HOST\n`,
    );
    scaffoldOutput = await inScratch(process.execPath, [
      'scripts/new-provider.mjs',
      'acme',
      '--spec',
      spec,
      '--register',
    ]);
    rmSync(spec);
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
    // In order, so Biome's import sorting (pnpm lint) has nothing to say.
    const registered = readFileSync(join(scratch, 'packages/anyjob/src/providers.ts'), 'utf8')
      .split('\n')
      .filter((line) => line.startsWith('export * from'));
    expect(registered[0]).toBe("export * from '@anyjob/acme/provider';");
    expect(registered).toEqual([...registered].sort());
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
    // cliFlags entries: `priority` a string flag filling `priority` (the defaults), `params` pairs.
    expect(provider).toMatch(/\n {2}priority: \{ value: 'low\|normal\|high', help: /);
    expect(provider).toMatch(/\n {2}params: \{ kind: 'pairs', help: /);
    const sdk = readFileSync(join(scratch, 'packages/acme/src/generated/sdk.gen.ts'), 'utf8');
    expect(sdk).toMatch(/export const acmeCreateJob\b/);
    expect(sdk).toMatch(/export const acmeGetJob\b/);
  });

  it('leaves by hand only what no spec can say', () => {
    const todo = scaffoldOutput.slice(scaffoldOutput.indexOf('Left to do by hand'));
    // The spec named the env vars, so there is nothing to decide about them.
    expect(todo).not.toMatch(/ACME_API_KEY|env var/);
    expect(todo).toContain('after a trigger whose answer was lost');
    expect(todo).not.toMatch(/status mapping|register it|adapter\.ts|src\/status/);
  });

  it('uses the env var names the spec gives', () => {
    const provider = readFileSync(join(scratch, 'packages/acme/src/provider.ts'), 'utf8');
    expect(provider).toMatch(/apiKey: \['ACME_TOKEN'\],\s*baseUrl: \['ACME_HOST'\]/);
    expect(provider).not.toMatch(/ACME_API_KEY|ACME_BASE_URL\b/);
    expect(readFileSync(join(scratch, 'packages/acme/README.md'), 'utf8')).toContain('`ACME_TOKEN`');
  });

  it('the scaffolded package typechecks, passes Biome and its tests against Prism', async () => {
    await inScratch(join(scratch, 'node_modules/.bin/tsc'), ['-p', 'packages/acme/tsconfig.json']);
    await inScratch(join(scratch, 'node_modules/.bin/biome'), [
      'check',
      '--vcs-enabled=false',
      'packages/acme',
      'packages/anyjob/src/providers.ts',
    ]);
    const output = await inScratch(join(scratch, 'node_modules/.bin/vitest'), [
      'run',
      'packages/acme',
      '--reporter=verbose',
      // The results check:coverage reads (vitest.config.ts writes them unless reporters are named).
      '--reporter=json',
      '--outputFile.json=.tmp/vitest-results.json',
    ]);
    expect(output).toMatch(/createJob \(POST \/jobs\) answers 2xx/);
    expect(output).toMatch(/covers the words getJob documents for status/);
    expect(output).toMatch(/names only fields, parameters and answers the spec documents/);
    // The spec-derived suite: every documented (operation, status) pair, as check:coverage requires.
    expect(output).toMatch(/getJob answers 404 as the spec says \[acme\.getJob 404\]/);
    const coverage = await inScratch(process.execPath, ['scripts/coverage-gate.mjs', 'acme']);
    expect(coverage).toMatch(/check:coverage: all \d+ documented \(operation, status\) pairs pass/);
    await inScratch(join(scratch, 'node_modules/.bin/redocly'), ['lint', 'specs/acme.yaml']);
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
      { ACME_TOKEN: 'acme-key-not-a-secret', ACME_HOST: prism?.url ?? '' },
      'stdout',
    );
    expect(JSON.parse(output)).toMatchObject({
      provider: 'acme',
      status: 'succeeded',
      providerStatus: 'succeeded',
    });
    const help = await inScratch(process.execPath, ['packages/cli/dist/bin.js', 'trigger', 'acme', '--help']);
    expect(help).toMatch(/--priority low\|normal\|high/);
    expect(help).toContain('ACME_TOKEN');
  });

  it('the tests that take the providers from the registry cover the fourth provider unchanged', async () => {
    const output = await inScratch(join(scratch, 'node_modules/.bin/vitest'), [
      'run',
      'packages/anyjob/test/tree-shaking.test.ts',
      'packages/cli/test/cli-completion.test.ts',
      'packages/cli/test/cli-usage.test.ts',
      'packages/anyjob/test/facade.test.ts',
      '--reporter=verbose',
    ]);
    // biome-ignore lint/suspicious/noControlCharactersInRegex: strips vitest's colours
    const plain = output.replace(/\x1b\[[0-9;]*m/g, '');
    expect(plain).toContain('an SDK function of @anyjob/acme reaches neither its implementation');
    expect(plain).toMatch(/Test Files {2}4 passed \(4\)/);
    expect(plain).not.toMatch(/Tests .*\d+ failed/);
    const completion = await inScratch(
      process.execPath,
      ['packages/cli/dist/bin.js', 'completion', 'zsh'],
      {},
      'stdout',
    );
    expect(completion).toContain("'trigger acme') opts=(");
  }, 240_000);
});
