#!/usr/bin/env node
// The contract coverage gate: lists every (operation, status) pair documented in specs/*.yaml
// and fails unless each has a passing test in the last vitest run. The spec-derived suite tags
// each such test with `[provider.operationId status]` (scripts/test-harness/spec-table.mjs);
// vitest writes its results to .tmp/vitest-results.json (vitest.config.ts).
//
// Usage: pnpm test:contract && node scripts/coverage-gate.mjs
//        node scripts/coverage-gate.mjs acme     # only the named providers (after testing only them)
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { listProviders, repoRoot } from './lib/providers.mjs';
import { listStatusPairs, pairTag } from './test-harness/spec-table.mjs';

const only = process.argv.slice(2);
const unknown = only.filter((name) => !listProviders().some((p) => p.name === name));
if (unknown.length > 0) {
  console.error(`check:coverage: no spec for ${unknown.join(', ')} (looked for specs/<name>.yaml)`);
  process.exit(2);
}
const gated = (name) => only.length === 0 || only.includes(name);

const resultsPath = join(repoRoot, '.tmp', 'vitest-results.json');
if (!existsSync(resultsPath)) {
  console.error(`check:coverage: no test results at ${resultsPath}; run \`pnpm test:contract\` first`);
  process.exit(1);
}
// Results older than a spec were produced before that spec changed and prove nothing about it.
const resultsTime = statSync(resultsPath).mtimeMs;
const newerSpec = listProviders().find((p) => gated(p.name) && statSync(p.specPath).mtimeMs > resultsTime);
if (newerSpec) {
  console.error(
    `check:coverage: specs/${newerSpec.name}.yaml changed after the last test run; run the tests again`,
  );
  process.exit(1);
}

const results = JSON.parse(readFileSync(resultsPath, 'utf8'));
const outcomeByTag = new Map();
for (const file of results.testResults ?? []) {
  for (const test of file.assertionResults ?? []) {
    const tag = /\[[^\]\s]+ \S+\]/.exec(test.title ?? '')?.[0];
    if (tag && outcomeByTag.get(tag) !== 'passed') outcomeByTag.set(tag, test.status);
  }
}

const rows = new Map();
let missing = 0;
for (const { provider, operationId, status } of listStatusPairs().filter((pair) => gated(pair.provider))) {
  const outcome = outcomeByTag.get(pairTag(provider, operationId, status)) ?? 'no test';
  if (outcome !== 'passed') missing++;
  const key = `${provider}.${operationId}`;
  rows.set(key, [
    ...(rows.get(key) ?? []),
    outcome === 'passed' ? `${status} ok` : `${status} ${outcome.toUpperCase()}`,
  ]);
}
const width = Math.max(...[...rows.keys()].map((key) => key.length));
console.log(`check:coverage: documented responses with a passing test (${rows.size} operations)`);
for (const [key, cells] of rows) console.log(`  ${key.padEnd(width)}  ${cells.join('  ')}`);
const total = [...rows.values()].reduce((n, cells) => n + cells.length, 0);
if (missing > 0) {
  console.error(
    `check:coverage: ${missing} of ${total} documented (operation, status) pairs have no passing test`,
  );
  process.exit(1);
}
console.log(`check:coverage: all ${total} documented (operation, status) pairs pass`);
