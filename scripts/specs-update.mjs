#!/usr/bin/env node
// Rebuilds specs/<provider>.yaml from the provider's published API description and our overlay:
//   pnpm specs:update <provider> [<document or directory>...]
// A document is a plain OpenAPI YAML/JSON file or a docs page with the description in ```yaml
// fences; several (or a directory) are merged, for providers that publish one document per
// operation. Without documents, the copies named in the overlay's `x-anyjob-upstream` are read
// from ../shared/seeds.
//
// Then: (1) fails, writing nothing, when an overlay action's target matches nothing (the provider
// changed what we patch); (2) prints the spec diff, breaking or not (scripts/release/lib/spec-diff.mjs);
// (3) writes the spec and says which package's generated code will change (generated into a temp
// dir and compared, so the tree holds only the new spec; `pnpm generate` makes the change).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import {
  buildSpec,
  listBuiltProviders,
  loadOverlay,
  recordedUpstream,
  serializeSpec,
} from './lib/built-specs.mjs';
import { parseSpec } from './lib/openapi.mjs';
import { listProviders, repoRoot } from './lib/providers.mjs';
import { diffSpecs } from './release/lib/spec-diff.mjs';

/** @param {string} message @param {number} [code] @returns {never} */
function fail(message, code = 1) {
  console.error(`specs:update: ${message}`);
  process.exit(code);
}

const [provider, ...documentArgs] = process.argv.slice(2);
if (!provider || provider.startsWith('-')) {
  fail(
    `usage: pnpm specs:update <provider> [<document or directory>...]  (built providers: ${listBuiltProviders().join(', ')})`,
    2,
  );
}
let overlay;
try {
  overlay = loadOverlay(provider);
} catch (error) {
  fail(error.message, 2);
}

// pnpm runs scripts from the repo root; INIT_CWD is where the maintainer typed the command.
// biome-ignore lint/suspicious/noUndeclaredEnvVars: set by pnpm, and this is no turbo task
const cwd = process.env.INIT_CWD ?? process.cwd();
const documents =
  documentArgs.length > 0 ? documentArgs.map((arg) => resolve(cwd, arg)) : recordedUpstream(overlay);
for (const path of documents) if (!existsSync(path)) fail(`${path} not found`, 2);
console.log(
  `specs:update: ${provider} from ${documents.map((path) => relative(cwd, path) || path).join(', ')} + specs/overlays/${provider}.yaml`,
);

let built;
try {
  built = buildSpec(documents, overlay);
} catch (error) {
  fail(error.message);
}

// (1) An action that matched nothing no longer changes what it was written for.
if (built.unmatched.length > 0) {
  console.error(
    `specs:update: ${built.unmatched.length} overlay action(s) matched nothing in the published document: the provider changed what we patch. Nothing was written.`,
  );
  for (const { label } of built.unmatched) console.error(`  - ${label}`);
  fail(
    `check each against the new document, then fix its target or drop it in specs/overlays/${provider}.yaml (if the provider fixed the defect itself, drop the action).`,
  );
}

// (2) What changes for users of the client, in the release check's terms.
const specPath = join(repoRoot, 'specs', `${provider}.yaml`);
const previousText = existsSync(specPath) ? readFileSync(specPath, 'utf8') : undefined;
const diff = diffSpecs(previousText === undefined ? undefined : parseSpec(previousText), built.document);
const list = (changes) => changes.map((c) => `    ${c.kind} @ ${c.where}: ${c.message}`).join('\n');
if (diff.breaking.length === 0 && diff.nonBreaking.length === 0) {
  console.log('specs:update: spec diff: no change the release check classifies');
} else {
  console.log(
    `specs:update: spec diff: ${diff.breaking.length} breaking, ${diff.nonBreaking.length} not breaking`,
  );
  if (diff.breaking.length > 0)
    console.log(`  breaking (needs a minor bump below 1.0, major after):\n${list(diff.breaking)}`);
  if (diff.nonBreaking.length > 0) console.log(`  not breaking:\n${list(diff.nonBreaking)}`);
}

const text = serializeSpec(provider, built.document);
if (text === previousText) {
  console.log(`specs:update: specs/${provider}.yaml is up to date; generated code unchanged`);
  process.exit(0);
}

// (3) Write the spec, then generate from it into a temp dir and compare with the package.
writeFileSync(specPath, text);
if (!existsSync(join(repoRoot, 'packages', provider, 'package.json'))) {
  // A new provider's first spec: its package is scaffolded from it.
  console.log(`specs:update: wrote specs/${provider}.yaml`);
  console.log(
    `specs:update: no package yet: pnpm new-provider ${provider} --spec specs/${provider}.yaml --register`,
  );
  process.exit(0);
}
const scratch = mkdtempSync(join(tmpdir(), 'anyjob-specs-update-'));
try {
  execFileSync(
    process.execPath,
    [join(repoRoot, 'scripts', 'generate.mjs'), `--out-dir=${scratch}`, provider],
    {
      cwd: repoRoot,
      stdio: ['ignore', 'ignore', 'inherit'],
    },
  );
  const { generatedDir } = /** @type {import('./lib/providers.mjs').ProviderPaths} */ (
    listProviders().find((p) => p.name === provider)
  ); // specs/<provider>.yaml was just written
  const changed = changedFiles(generatedDir, join(scratch, provider));
  console.log(`specs:update: wrote specs/${provider}.yaml`);
  console.log(
    changed.length === 0
      ? `specs:update: generated code of @anyjob/${provider} unchanged`
      : `specs:update: generated code of @anyjob/${provider} will change (${changed.join(', ')}): run \`pnpm generate\`, then \`pnpm build && pnpm api-report\`, and add a changeset${diff.breaking.length > 0 ? ' (breaking)' : ''}`,
  );
} catch (error) {
  // The generator refused the new spec: put the old one back so the tree is as it was.
  if (previousText === undefined) rmSync(specPath, { force: true });
  else writeFileSync(specPath, previousText);
  fail(`the generator failed on the new spec, which was not kept: ${error.message}`);
} finally {
  rmSync(scratch, { recursive: true, force: true });
}

/** Files that differ, appear or disappear between two generated directories. */
function changedFiles(committedDir, freshDir) {
  const files = (dir) => (existsSync(dir) ? readdirSync(dir, { recursive: true }).map(String) : []);
  const names = [...new Set([...files(committedDir), ...files(freshDir)])].sort();
  return names.filter((name) => {
    const read = (dir) => {
      const path = join(dir, name);
      try {
        return readFileSync(path, 'utf8');
      } catch {
        return undefined; // absent, or a directory
      }
    };
    return read(committedDir) !== read(freshDir);
  });
}
