// The examples in examples/: which there are, and how they are compiled to plain JavaScript (esbuild
// strips the types without checking them; the examples package's `typecheck` checks them). Used
// by `pnpm example` (scripts/example.mjs) and examples/examples.test.ts.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';
import { repoRoot } from './providers.mjs';

export const examplesDir = join(repoRoot, 'examples');
/** Inside examples/, so that `anyjob` and `@anyjob/*` resolve from examples/node_modules. */
export const examplesOutDir = join(examplesDir, 'dist');

/**
 * Every `*.ts` program in examples/ (tests and declarations excluded), by name without `.ts`.
 * @returns {string[]}
 */
export function exampleNames() {
  return readdirSync(examplesDir)
    .filter((file) => file.endsWith('.ts') && !file.endsWith('.test.ts') && !file.endsWith('.d.ts'))
    .map((file) => file.slice(0, -'.ts'.length))
    .sort();
}

/**
 * Compiles every example to `examples/dist/<name>.mjs`; resolves to `{ name: path }`.
 * @returns {Promise<Record<string, string>>}
 */
export async function compileExamples() {
  const names = exampleNames();
  await build({
    entryPoints: names.map((name) => join(examplesDir, `${name}.ts`)),
    outdir: examplesOutDir,
    outExtension: { '.js': '.mjs' },
    format: 'esm',
    platform: 'node',
    target: 'node20',
    logLevel: 'error',
  });
  return Object.fromEntries(names.map((name) => [name, join(examplesOutDir, `${name}.mjs`)]));
}
