// `pnpm run docs` (scripts/docs.mjs, scripts/lib/docs.mjs): the API reference is built from the public entry points of
// every publishable package, named by their import names, and a broken doc link fails the build.
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildApiDocs, publicEntryPoints } from './lib/docs.mjs';
import { listProviders } from './lib/providers.mjs';
import { startNode } from './test-harness/spawn-node.js';

const repoRoot = join(import.meta.dirname, '..');

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'anyjob-docs-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

it('documents every public entry point and nothing internal', () => {
  const names = publicEntryPoints().map((entry) => entry.name);
  expect(names.slice(0, 2)).toEqual(['anyjob', '@anyjob/cli']);
  for (const { name: provider } of listProviders()) {
    expect(names).toContain(`@anyjob/${provider}`);
    expect(names).toContain(`@anyjob/${provider}/provider`);
  }
  expect(names).toContain('@anyjob/core');
  expect(names).toContain('@anyjob/core/fetch-client');
  expect(names).not.toContain('@anyjob/core/internal');
});

it('pnpm run docs builds the reference of the built packages without a warning', {
  timeout: 120_000,
}, async () => {
  // The script as a user runs it (it builds the packages quietly first), into a temp directory.
  const out = join(dir, 'api');
  const { code, stdout, stderr } = await startNode(join(repoRoot, 'scripts', 'docs.mjs'), ['--out', out], {
    cwd: repoRoot,
    env: { HOME: process.env.HOME ?? '' },
  }).done;
  expect(stderr).toBe('');
  expect(code).toBe(0);
  expect(stdout).toMatch(/^API reference written in [\d.]+s: open .*index\.html\n$/);
  const modules = readFileSync(join(out, 'modules.html'), 'utf8');
  for (const { name } of publicEntryPoints()) expect(modules).toContain(`>${name}<`);
  expect(existsSync(join(out, 'functions', 'anyjob.waitForJob.html'))).toBe(true);
  expect(readFileSync(join(out, 'index.html'), 'utf8')).toContain('@anyjob/truefoundry/provider');
});

it('fails on a link that resolves to nothing, and writes nothing', { timeout: 60_000 }, async () => {
  const file = join(dir, 'broken.d.ts');
  await writeFile(file, '/** Waits; see {@link NoSuchThing}. */\nexport declare function wait(): void;\n');
  const messages: string[] = [];
  const out = join(dir, 'broken-api');
  const problems = await buildApiDocs({
    entries: [{ name: 'broken', path: file, description: '' }],
    out,
    workDir: join(dir, 'work'),
    onLog: (message: string, level: string) => messages.push(`${level}: ${message}`),
  });
  expect(problems).toBeGreaterThan(0);
  expect(messages.join('\n')).toContain('NoSuchThing');
  expect(existsSync(out)).toBe(false);
});
