// The entry points of a workspace package and the source module each is built from:
// `./dist/<path>.js` in package.json (`exports`, `bin`) comes from `src/<path>.ts`. Shared by the
// package build (scripts/build-package.mjs) and the bundle-size bench, which bundles sources.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from './providers.mjs';

/**
 * `./dist/fetch-client/index.js` → `src/fetch-client/index.ts`.
 * @param {string} distPath
 * @param {string} [packageName]
 * @returns {string}
 */
export function sourceOfDist(distPath, packageName = 'package') {
  const match = /^\.\/dist\/(.+)\.js$/.exec(distPath);
  if (!match) throw new Error(`${packageName}: ${distPath} is not a ./dist/*.js file`);
  return join('src', `${match[1]}.ts`);
}

/** @typedef {{ subpath?: string, bin?: string, source: string }} PackageEntry */

/**
 * The package's entries: `{ subpath, source }` for each JavaScript export (`.`, `./fetch-client`)
 * and `{ bin, source }` for each command, `source` relative to the package directory.
 * @param {string} packageDir
 * @returns {{ name: string, entries: PackageEntry[] }}
 */
export function packageEntries(packageDir) {
  const manifest = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8'));
  /** @type {PackageEntry[]} */
  const entries = [];
  for (const [subpath, target] of Object.entries(manifest.exports ?? {})) {
    const dist = typeof target === 'string' ? target : target.default;
    if (dist?.endsWith('.js')) entries.push({ subpath, source: sourceOfDist(dist, manifest.name) });
  }
  for (const [bin, dist] of Object.entries(manifest.bin ?? {})) {
    entries.push({ bin, source: sourceOfDist(dist, manifest.name) });
  }
  return { name: manifest.name, entries };
}

/**
 * An esbuild plugin that resolves `anyjob`, `@anyjob/core/fetch-client`, … to the source module of
 * that entry, so a bundle's metafile names every module it holds (dist/ is one file per entry).
 * @returns {import('esbuild').Plugin}
 */
export function workspaceSources() {
  const sources = new Map();
  const packagesDir = join(repoRoot, 'packages');
  for (const dir of readdirSync(packagesDir)) {
    const packageDir = join(packagesDir, dir);
    const { name, entries } = packageEntries(packageDir);
    for (const { subpath, source } of entries) {
      if (subpath)
        sources.set(subpath === '.' ? name : `${name}${subpath.slice(1)}`, join(packageDir, source));
    }
  }
  return {
    name: 'workspace-sources',
    setup(build) {
      build.onResolve({ filter: /^(anyjob|@anyjob\/[^/]+)(\/.*)?$/ }, (args) => {
        const path = sources.get(args.path);
        return path ? { path } : undefined;
      });
    },
  };
}
