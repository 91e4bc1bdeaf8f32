#!/usr/bin/env node
// `pnpm anyjob <args…>`: the `anyjob` command from a clone, before any release. Builds the CLI and
// the packages it depends on (a turbo cache hit when nothing changed; silent unless the build
// fails), then runs packages/cli/dist/bin.js with the args and exits with its code. Once
// @anyjob/cli is published, `npx @anyjob/cli …` or a global install does the same without a clone.
// pnpm prints a two-line header on stdout before any script: pipe with `pnpm -s anyjob … --json`.
import { join } from 'node:path';
import { repoRoot } from './lib/providers.mjs';
import { buildQuietly } from './lib/quiet-build.mjs';
import { runInForeground } from './lib/run-child.mjs';

try {
  buildQuietly('@anyjob/cli...');
} catch (error) {
  console.error(`pnpm anyjob: ${error.message}`);
  // Not one of the CLI's own exit codes (0–5, 129/130/143): the command never ran.
  process.exit(70);
}
runInForeground(join(repoRoot, 'packages', 'cli', 'dist', 'bin.js'), process.argv.slice(2));
