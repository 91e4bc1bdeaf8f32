#!/usr/bin/env node
import { compileExamples, exampleNames } from './lib/examples.mjs';
// `pnpm example <name> [args…]`: builds the packages the examples import (silent unless that
// fails), compiles the examples (scripts/lib/examples.mjs) and runs examples/<name>.ts with node,
// with the args and the env. Point the env at the mocks first: `pnpm mocks` prints the line to paste.
import { buildQuietly } from './lib/quiet-build.mjs';
import { runInForeground } from './lib/run-child.mjs';

const [given, ...args] = process.argv.slice(2);
const name = given?.replace(/^examples\//, '').replace(/\.ts$/, '');
const names = exampleNames();
if (!name || !names.includes(name)) {
  console.error(`usage: pnpm example <name> [args…]\nexamples: ${names.join(', ')}`);
  process.exit(2);
}
try {
  buildQuietly('@anyjob/examples^...');
} catch (error) {
  console.error(`pnpm example: ${error.message}`);
  process.exit(70);
}
const compiled = await compileExamples();
runInForeground(compiled[name], args);
