// A built spec is a provider's published API description with our changes applied:
// specs/<provider>.yaml = published document(s) + specs/overlays/<provider>.yaml. This module
// builds and writes one; `pnpm specs:update` and the overlay test both go through it, so the test
// checks exactly what the command writes.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
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
 * order), as files in `seedsDir`.
 * @param {any} overlay
 * @param {string} [seedsDir]
 * @returns {string[]}
 */
export function recordedUpstream(overlay, seedsDir = sharedSeedsDir) {
  const entries = overlay['x-anyjob-upstream'] ?? [];
  if (entries.length === 0) throw new Error('the overlay names no published document (x-anyjob-upstream)');
  return entries.map((entry) => join(seedsDir, entry.seed));
}

/**
 * Applies the overlay to the published document(s) at `paths` (files or directories).
 * @param {string[]} paths
 * @param {unknown} overlay
 * @returns {{ document: OpenApiDocument, unmatched: import('./overlay.mjs').UnmatchedAction[] }}
 */
export function buildSpec(paths, overlay) {
  return applyOverlay(loadPublished(paths), overlay);
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
