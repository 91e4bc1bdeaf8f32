#!/usr/bin/env node
// Fails when the generated code in the work tree differs from what is committed, i.e. a spec (or
// the generator) changed without `pnpm generate` being run and its output committed.
import { execFileSync } from 'node:child_process';
import { repoRoot } from './lib/providers.mjs';

const generatedPaths = [':(glob)packages/*/src/generated/**', 'packages/core/src/fetch-client'];
const status = execFileSync(
  'git',
  ['status', '--porcelain', '--untracked-files=all', '--', ...generatedPaths],
  {
    cwd: repoRoot,
    encoding: 'utf8',
  },
);
if (status.trim() !== '') {
  console.error('check:drift: generated code is out of date with specs/ — run `pnpm generate` and commit:');
  console.error(status.trimEnd());
  execFileSync('git', ['--no-pager', 'diff', '--stat', '--', ...generatedPaths], {
    cwd: repoRoot,
    stdio: 'inherit',
  });
  process.exit(1);
}
console.log('check:drift: generated code matches specs/');
