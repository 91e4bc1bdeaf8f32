#!/usr/bin/env node
// Builds the workspace package in the current directory into dist/: esbuild bundles the package's
// own modules into one file per entry point (package.json `exports` and `bin`), and tsc emits
// the declarations. Dependencies, other @anyjob packages included, stay imports.
//
// One file per entry instead of tsc's one file per module: Node pays for every ES module it
// resolves, reads and compiles, and that, not the code, was most of a cold `import('anyjob')`
// (about 60 modules: ~40 ms; bundled: ~10 ms, see BENCHMARKS.md). Entries of one package share
// code through a chunk, so e.g. @anyjob/core's runtime exists once in its dist/.
//
// Usage (from a package directory, as its `build` script): node ../../scripts/build-package.mjs
import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { build } from 'esbuild';
import { packageEntries } from './lib/package-entries.mjs';

const packageDir = process.cwd();
const { entries } = packageEntries(packageDir);
const entryPoints = [...new Set(entries.map((entry) => entry.source))];

rmSync(join(packageDir, 'dist'), { recursive: true, force: true });

await build({
  entryPoints,
  outdir: 'dist',
  outbase: 'src',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  packages: 'external',
  sourcemap: true,
  // Deterministic names: the same sources give the same dist/ (turbo caches it).
  chunkNames: 'chunks/[name]-[hash]',
  logLevel: 'warning',
});

const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
execFileSync(process.execPath, [tsc, '-p', 'tsconfig.build.json', '--emitDeclarationOnly'], {
  cwd: packageDir,
  stdio: 'inherit',
});
