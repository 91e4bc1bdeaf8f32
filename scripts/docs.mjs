#!/usr/bin/env node
// `pnpm run docs`: the API reference of every publishable package's public entry points, built
// with TypeDoc (scripts/lib/docs.mjs) into docs/api/ (git-ignored), offline. Builds the packages
// first (quietly). Fails, writing nothing, on any TypeDoc warning, such as a link that resolves to
// nothing. `run` is needed: `pnpm docs` is pnpm's own command (it opens a package's homepage).
// `--out <dir>` writes elsewhere (scripts/docs.test.ts runs the script into a temp directory).
import { join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { buildApiDocs } from './lib/docs.mjs';
import { repoRoot } from './lib/providers.mjs';
import { buildQuietly } from './lib/quiet-build.mjs';

const { values } = parseArgs({ options: { out: { type: 'string' } } });
const out = values.out ? resolve(values.out) : join(repoRoot, 'docs', 'api');
try {
  buildQuietly('./packages/*');
} catch (error) {
  console.error(`pnpm docs: ${error.message}`);
  process.exit(1);
}
const started = Date.now();
const problems = await buildApiDocs({ out });
if (problems > 0) {
  console.error(`pnpm docs: ${problems} TypeDoc warning(s) or error(s) above; nothing was written.`);
  process.exit(1);
}
const where = values.out ? join(out, 'index.html') : relative(repoRoot, join(out, 'index.html'));
console.log(`API reference written in ${((Date.now() - started) / 1000).toFixed(1)}s: open ${where}`);
