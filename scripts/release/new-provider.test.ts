// `pnpm new-provider` end to end, in a scratch copy of the repo outside the work tree: scaffold a
// provider from fixtures/acme.yaml, then the new package typechecks, passes Biome, and its
// scaffolded contract tests pass against Prism.
import { execFile } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const exec = promisify(execFile);
const repoRoot = new URL('../..', import.meta.url).pathname;
const fixture = new URL('./fixtures/acme.yaml', import.meta.url).pathname;

// What the scaffold and the harness need; kognitos stands in as the existing provider whose
// runtime dependencies the new package copies. No node_modules are copied: the scratch repo is
// installed from the pnpm store like a maintainer's checkout, then the scaffold's own
// `pnpm install --no-frozen-lockfile --prefer-offline` links the new package.
const COPIED = [
  'package.json',
  'pnpm-workspace.yaml',
  'pnpm-lock.yaml',
  'tsconfig.base.json',
  'vitest.config.ts',
  'biome.json',
  '.changeset/config.json',
  'scripts/generate.mjs',
  'scripts/new-provider.mjs',
  'scripts/lib',
  'scripts/test-harness',
  'scripts/templates',
  'specs/kognitos.yaml',
  'packages/kognitos/package.json',
  'packages/core/package.json',
  'packages/core/tsconfig.json',
  'packages/core/tsconfig.build.json',
  'packages/core/src',
  'packages/core/dist',
];

let scratch: string;
let scaffoldOutput: string;

// CI=true as on the CI machine, where pnpm freezes the lockfile unless told otherwise: the
// scaffold's install must still link the new package there.
async function inScratch(command: string, args: string[]) {
  try {
    const { stdout, stderr } = await exec(command, args, {
      cwd: scratch,
      env: { ...process.env, CI: 'true' },
      maxBuffer: 20 * 1024 * 1024,
    });
    return `${stdout}${stderr}`;
  } catch (error) {
    const { stdout = '', stderr = '' } = error as { stdout?: string; stderr?: string };
    throw new Error(`\`${command} ${args.join(' ')}\` failed in the scratch repo:\n${stdout}${stderr}`);
  }
}

beforeAll(async () => {
  scratch = mkdtempSync(join(tmpdir(), 'anyjob-new-provider-'));
  for (const path of COPIED) {
    mkdirSync(join(scratch, path, '..'), { recursive: true });
    cpSync(join(repoRoot, path), join(scratch, path), { recursive: true });
  }
  await inScratch('pnpm', ['install', '--offline']);
  scaffoldOutput = await inScratch(process.execPath, ['scripts/new-provider.mjs', 'acme', '--spec', fixture]);
}, 180_000);

afterAll(() => {
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

describe('pnpm new-provider acme --spec fixtures/acme.yaml', () => {
  it('copies the spec, scaffolds the package, adds a changeset and generates the client', () => {
    expect(readFileSync(join(scratch, 'specs/acme.yaml'), 'utf8')).toBe(readFileSync(fixture, 'utf8'));
    const manifest = JSON.parse(readFileSync(join(scratch, 'packages/acme/package.json'), 'utf8'));
    expect(manifest.name).toBe('@anyjob/acme');
    expect(manifest.dependencies['@anyjob/core']).toBe('workspace:^');
    for (const file of ['README.md', 'src/client.ts', 'src/index.ts', 'test/contract.test.ts']) {
      expect(existsSync(join(scratch, 'packages/acme', file)), file).toBe(true);
    }
    const sdk = readFileSync(join(scratch, 'packages/acme/src/generated/sdk.gen.ts'), 'utf8');
    expect(sdk).toMatch(/export const createJob\b/);
    expect(sdk).toMatch(/export const getJob\b/);
    expect(readFileSync(join(scratch, '.changeset/new-provider-acme.md'), 'utf8')).toContain(
      '"@anyjob/acme": minor',
    );
  });

  it('derives settings and auth from the spec: bearer key, first server as the default base URL', () => {
    const client = readFileSync(join(scratch, 'packages/acme/src/client.ts'), 'utf8');
    expect(client).toContain("export const ACME_SERVERS = ['https://api.acme.test/v1'] as const;");
    expect(client).toContain("envVarNames: ['ACME_API_KEY']");
    expect(client).toContain('sent as `Authorization: Bearer <key>`');
    const readme = readFileSync(join(scratch, 'packages/acme/README.md'), 'utf8');
    expect(readme).toContain('| `createJob` | `POST /jobs` — Create a job |');
  });

  it('prints the remaining manual step: the adapter status mapping', () => {
    expect(scaffoldOutput).toContain("The adapter's status mapping");
    expect(scaffoldOutput).toContain('packages/acme/src/adapter.ts');
  });

  it('the scaffolded package typechecks and passes Biome', async () => {
    await inScratch(join(scratch, 'node_modules/.bin/tsc'), ['-p', 'packages/acme/tsconfig.json']);
    await inScratch(join(scratch, 'node_modules/.bin/biome'), [
      'check',
      '--vcs-enabled=false',
      'packages/acme',
    ]);
  }, 120_000);

  it('the scaffolded contract tests pass against Prism serving the new spec', async () => {
    const output = await inScratch(join(scratch, 'node_modules/.bin/vitest'), [
      'run',
      'packages/acme',
      '--reporter=verbose',
    ]);
    expect(output).toMatch(/createJob \(POST \/jobs\) answers 2xx/);
    expect(output).toMatch(/getJob \(GET \/jobs\/\{job_id\}\) answers 2xx/);
    expect(output).toMatch(/Prism rejects createJob without credentials/);
    // biome-ignore lint/suspicious/noControlCharactersInRegex: strips vitest's colours
    expect(output.replace(/\x1b\[[0-9;]*m/g, '')).toMatch(/Tests\s+6 passed \(6\)/);
  }, 180_000);
});
