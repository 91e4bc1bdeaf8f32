// The workspace's packages as the release tools see them. Every gate discovers packages here from
// `packages/*/package.json`, so a new package is covered without editing any tool.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

/**
 * @typedef {{ subpath: string, types: string, importName: string }} EntryPoint
 * @typedef {{ name: string, dir: string, folder: string, version: string, private: boolean,
 *   manifest: Record<string, any>, workspaceDeps: string[], entryPoints: EntryPoint[] }} WorkspacePackage
 */

/** All packages under packages/, dependencies before dependents. */
export function listPackages(root = repoRoot) {
  const packagesDir = join(root, 'packages');
  const found = readdirSync(packagesDir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(join(packagesDir, entry.name, 'package.json')))
    .map((entry) => readPackage(join(packagesDir, entry.name)));
  return sortByDependencies(found);
}

/** Packages that `changeset publish` would publish: everything not marked `"private": true`. */
export function listPublishablePackages(root = repoRoot) {
  return listPackages(root).filter((pkg) => !pkg.private);
}

function readPackage(dir) {
  const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
  const allDeps = {
    ...manifest.dependencies,
    ...manifest.peerDependencies,
    ...manifest.optionalDependencies,
  };
  return {
    name: manifest.name,
    dir,
    folder: dir.split(/[\\/]/).pop(),
    version: manifest.version,
    private: manifest.private === true,
    manifest,
    workspaceDeps: Object.entries(allDeps)
      .filter(([, range]) => String(range).startsWith('workspace:'))
      .map(([name]) => name),
    entryPoints: entryPoints(manifest),
  };
}

/** The typed entry points of a package's `exports` map (`.`, `./fetch-client`, …). */
export function entryPoints(manifest) {
  const exportsField = manifest.exports;
  if (exportsField === undefined) {
    return manifest.types ? [{ subpath: '.', types: manifest.types, importName: manifest.name }] : [];
  }
  const map =
    typeof exportsField === 'string' || !Object.keys(exportsField)[0]?.startsWith('.')
      ? { '.': exportsField }
      : exportsField;
  return Object.entries(map)
    .filter(([subpath]) => !subpath.endsWith('.json') && !subpath.includes('*'))
    .map(([subpath, target]) => ({ subpath, types: findTypes(target) }))
    .filter((entry) => entry.types !== undefined)
    .map((entry) => ({
      ...entry,
      importName: entry.subpath === '.' ? manifest.name : `${manifest.name}/${entry.subpath.slice(2)}`,
    }));
}

function findTypes(target) {
  if (typeof target === 'string') return target.endsWith('.d.ts') ? target : undefined;
  if (target === null || typeof target !== 'object') return undefined;
  if (typeof target.types === 'string') return target.types;
  for (const value of Object.values(target)) {
    const types = findTypes(value);
    if (types) return types;
  }
  return undefined;
}

function sortByDependencies(packages) {
  const byName = new Map(packages.map((pkg) => [pkg.name, pkg]));
  const sorted = [];
  const state = new Map();
  const visit = (pkg, path) => {
    if (state.get(pkg.name) === 'done') return;
    if (state.get(pkg.name) === 'visiting') {
      throw new Error(`workspace dependency cycle: ${[...path, pkg.name].join(' → ')}`);
    }
    state.set(pkg.name, 'visiting');
    for (const dep of pkg.workspaceDeps) {
      const target = byName.get(dep);
      if (target) visit(target, [...path, pkg.name]);
    }
    state.set(pkg.name, 'done');
    sorted.push(pkg);
  };
  for (const pkg of [...packages].sort((a, b) => a.name.localeCompare(b.name))) visit(pkg, []);
  return sorted;
}

/** File-name-safe id of an entry point: `@anyjob/core/fetch-client` → `core-fetch-client`. */
export function entryPointId(entry) {
  return entry.importName.replace(/^@[^/]+\//, '').replaceAll('/', '-');
}
