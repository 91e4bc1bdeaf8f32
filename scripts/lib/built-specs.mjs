// A built spec is a provider's published API description with our changes applied:
// specs/<provider>.yaml = published document(s) + specs/overlays/<provider>.yaml. This module
// builds and writes one; `pnpm specs:update` and the overlay test both go through it, so the test
// checks exactly what the command writes.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Document } from 'yaml';
import { parseSpec } from './openapi.mjs';
import { applyOverlay } from './overlay.mjs';
import { repoRoot, specsDir } from './providers.mjs';
import { loadPublished } from './upstream.mjs';

/** @typedef {import('./openapi.mjs').OpenApiDocument} OpenApiDocument */

export const overlaysDir = join(specsDir, 'overlays');
/** Where CI and developers keep the providers' published documents: ../shared/seeds beside the clone. */
export const sharedSeedsDir = join(repoRoot, '..', 'shared', 'seeds');

/**
 * Providers whose spec is built from an overlay (the others, like Kognitos, are written by hand).
 * @returns {string[]}
 */
export function listBuiltProviders() {
  return readdirSync(overlaysDir)
    .filter((file) => file.endsWith('.yaml'))
    .sort()
    .map((file) => file.slice(0, -'.yaml'.length));
}

/**
 * @param {string} provider
 * @returns {string}
 */
export function overlayPath(provider) {
  return join(overlaysDir, `${provider}.yaml`);
}

/**
 * @param {string} provider
 * @returns {any} the parsed overlay: untyped YAML
 */
export function loadOverlay(provider) {
  const path = overlayPath(provider);
  if (!existsSync(path)) {
    throw new Error(
      `specs/overlays/${provider}.yaml not found: only ${listBuiltProviders().join(', ')} are built from a published document`,
    );
  }
  return parseSpec(readFileSync(path, 'utf8'));
}

/**
 * The copies of the published documents the overlay names in `x-anyjob-upstream` (in merge
 * order): a `seed` is a file in `seedsDir`; a `package` is a file of an npm package the repo
 * installs at the pinned `version` (GitHub publishes its description as `@octokit/openapi`).
 * @param {any} overlay
 * @param {string} [seedsDir]
 * @returns {string[]}
 */
export function recordedUpstream(overlay, seedsDir = sharedSeedsDir) {
  const entries = overlay['x-anyjob-upstream'] ?? [];
  if (entries.length === 0) throw new Error('the overlay names no published document (x-anyjob-upstream)');
  return entries.map((entry) => (entry.package ? packageFile(entry) : join(seedsDir, entry.seed)));
}

/** `node_modules/<package>/<file>`, once the installed version is the one the overlay pins. */
function packageFile({ package: name, version, file }) {
  const dir = join(repoRoot, 'node_modules', name);
  const installed = existsSync(join(dir, 'package.json'))
    ? JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).version
    : undefined;
  if (installed !== version) {
    throw new Error(
      `x-anyjob-upstream pins ${name}@${version}, but ${installed ? `${installed} is` : 'none is'} installed: pin the same version in package.json's devDependencies and run pnpm install`,
    );
  }
  return join(dir, file);
}

/**
 * Applies the overlay's `x-anyjob-redocly-decorators` (Redocly's own `filter-in`,
 * `remove-unused-components`…, run by `redocly bundle`) to a published document: how a spec keeps
 * a few operations of a large description (GitHub's has ~1000) and only the components they use.
 * @param {OpenApiDocument} document
 * @param {any} overlay
 * @returns {OpenApiDocument}
 */
export function selectFromPublished(document, overlay) {
  const decorators = overlay['x-anyjob-redocly-decorators'];
  if (!decorators) return document;
  const scratch = mkdtempSync(join(tmpdir(), 'anyjob-select-'));
  try {
    const input = join(scratch, 'published.json');
    const output = join(scratch, 'selected.json');
    const config = join(scratch, 'redocly.yaml');
    writeFileSync(input, JSON.stringify(document));
    writeFileSync(config, JSON.stringify({ extends: [], decorators }));
    execFileSync(
      join(repoRoot, 'node_modules', '.bin', 'redocly'),
      ['bundle', input, '--config', config, '-o', output],
      { cwd: scratch, stdio: 'pipe' },
    );
    return JSON.parse(readFileSync(output, 'utf8'));
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

/**
 * The published document(s) at `paths` (files or directories), with the overlay's Redocly
 * decorators applied: what the overlay's actions apply to.
 * @param {string[]} paths
 * @param {unknown} overlay
 * @returns {OpenApiDocument}
 */
export function loadSelected(paths, overlay) {
  return selectFromPublished(loadPublished(paths), overlay);
}

/**
 * Applies the overlay to the published document(s) at `paths` (files or directories), after its
 * Redocly decorators (selectFromPublished).
 * @param {string[]} paths
 * @param {unknown} overlay
 * @returns {{ document: OpenApiDocument, unmatched: import('./overlay.mjs').UnmatchedAction[] }}
 */
export function buildSpec(paths, overlay) {
  return applyOverlay(loadSelected(paths, overlay), overlay);
}

/**
 * The text of specs/<provider>.yaml for a built document: a header, then YAML.
 * @param {string} provider
 * @param {OpenApiDocument} document
 * @returns {string}
 */
export function serializeSpec(provider, document) {
  // The YAML 1.1 schema makes the writer quote every string a YAML 1.1 reader would take for
  // something else (`2025-01-15T10:02:44`, `yes`, `0755`), so Prism and Redocly read what we read.
  const doc = new Document(document, { schema: 'yaml-1.1' });
  doc.commentBefore = [
    ` Built file: do not edit. It is the provider's published API description with`,
    ` specs/overlays/${provider}.yaml applied, written by \`pnpm specs:update ${provider}\`;`,
    ` every change we make to the published document, and why, is an action of that overlay.`,
    ' The overlay test (scripts/specs/overlays.test.ts) fails when this file is edited by hand.',
  ].join('\n');
  return doc.toString({ lineWidth: 100 });
}
