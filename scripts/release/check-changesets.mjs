#!/usr/bin/env node
// Fails when a publishable package's generated code (or spec) changed since a base ref without a
// changeset for that package, and when a spec change is breaking but the changeset's bump is not
// `major` (`minor` below 1.0). Uncommitted and untracked files count, so it can run before a commit.
//
// Usage: node scripts/release/check-changesets.mjs [base-ref]   (default origin/main)
// The comparison starts at the merge base of base-ref and HEAD, like a pull request's diff.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseSpec } from '../lib/openapi.mjs';
import { assessChangesets } from './lib/changeset-check.mjs';
import { parseChangeset, releasePlan } from './lib/changesets.mjs';
import { entryPointId, listPublishablePackages, repoRoot } from './lib/packages.mjs';
import { diffSpecs } from './lib/spec-diff.mjs';

const git = (...args) => execFileSync('git', args, { cwd: repoRoot, encoding: 'utf8' });
const gitOk = (...args) => {
  try {
    return git(...args);
  } catch {
    return undefined;
  }
};

const base = process.argv.slice(2).find((arg) => !arg.startsWith('-')) ?? 'origin/main';
if (gitOk('rev-parse', '--verify', '--quiet', `${base}^{commit}`) === undefined) {
  console.error(
    `check:changesets: base ref "${base}" not found. Pass the ref to compare with, e.g. \`pnpm check:changesets main\` or \`pnpm check:changesets HEAD\` (uncommitted changes only); in CI fetch the base branch first.`,
  );
  process.exit(2);
}
const from = gitOk('merge-base', base, 'HEAD')?.trim() || base;

const lines = (text) => text.split('\n').filter(Boolean);
const changedFiles = [
  ...new Set([
    ...lines(git('diff', '--name-only', from)),
    ...lines(git('ls-files', '--others', '--exclude-standard')),
  ]),
].sort();

const changesets = changedFiles
  .filter((file) => /^\.changeset\/[^/]+\.md$/.test(file) && file !== '.changeset/README.md')
  .filter((file) => existsSync(join(repoRoot, file)))
  .map((file) => ({ file, releases: parseChangeset(readFileSync(join(repoRoot, file), 'utf8'), file) }));

const packages = listPublishablePackages();
const specDiffs = new Map();
for (const file of changedFiles.filter((f) => /^specs\/[^/]+\.yaml$/.test(f))) {
  const folder = file.slice('specs/'.length, -'.yaml'.length);
  if (!packages.some((pkg) => pkg.folder === folder)) continue;
  const beforeText = gitOk('show', `${from}:${file}`);
  const afterPath = join(repoRoot, file);
  const before = beforeText === undefined ? undefined : parseSpec(beforeText);
  const after = existsSync(afterPath) ? parseSpec(readFileSync(afterPath, 'utf8')) : undefined;
  specDiffs.set(folder, diffSpecs(before, after));
}

// The bumps as `changeset version` will apply them: every changeset summed per package.
const plan = await releasePlan(changesets, repoRoot);
const { problems, notes, breakingPackages } = assessChangesets({
  packages,
  changedFiles,
  changesets: [plan],
  specDiffs,
});

console.log(
  `check:changesets: compared with ${base} (${from.slice(0, 12)}): ${changedFiles.length} changed file(s), ${changesets.length} new changeset(s)${changesets.length ? ` (${changesets.map((c) => c.file).join(', ')})` : ''}`,
);
for (const note of notes) console.log(`  note: ${note}`);

// Show what users of a broken package will see change: its committed API report's diff.
for (const name of breakingPackages) {
  const pkg = packages.find((p) => p.name === name);
  const reports = pkg.entryPoints.map((entry) => `etc/api/${entryPointId(entry)}.api.md`);
  const diff = git('--no-pager', 'diff', from, '--', ...reports);
  console.log(
    diff.trim()
      ? `\nAPI report diff for ${name} (${reports.join(', ')}):\n${diff}`
      : `\n${name}: its API report (${reports.join(', ')}) has not changed yet: run \`pnpm build && pnpm api-report\` to see the public API diff.`,
  );
}

if (problems.length > 0) {
  console.error(`\ncheck:changesets: ${problems.length} problem(s):\n\n${problems.join('\n\n')}`);
  process.exit(1);
}
console.log('check:changesets: every changed package has a changeset with a fitting bump');
