// Packing the workspace's packages and installing the tarballs into a scratch consumer project,
// as a user would get them from the registry. Shared by check:packages (scripts/release/check-packages.mjs)
// and the runtime smoke suite (scripts/runtimes/run.mjs).
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runOrThrow } from './run.mjs';

/**
 * Packs one package with `pnpm pack` (workspace:^ ranges become real versions, as published) into
 * its own folder under `tarballDir`, so packs can run in parallel and each finds only its tarball.
 * @param {import('./packages.mjs').WorkspacePackage} pkg
 * @returns {Promise<string>} the tarball's path
 */
export async function packPackage(pkg, tarballDir) {
  const destination = join(tarballDir, pkg.folder);
  mkdirSync(destination, { recursive: true });
  await runOrThrow('pnpm', ['pack', '--pack-destination', destination], { cwd: pkg.dir });
  const created = readdirSync(destination).filter((file) => file.endsWith('.tgz'));
  if (created.length !== 1)
    throw new Error(`${pkg.name}: expected one tarball from pnpm pack, got ${created}`);
  return join(destination, created[0]);
}

/**
 * Packs every package in parallel.
 * @param {import('./packages.mjs').WorkspacePackage[]} packages
 * @returns {Promise<Map<string, string>>} package name → tarball path
 */
export async function packPackages(packages, tarballDir) {
  const tarballs = await Promise.all(packages.map((pkg) => packPackage(pkg, tarballDir)));
  return new Map(packages.map((pkg, i) => [pkg.name, tarballs[i]]));
}

/**
 * Writes the consumer project's package.json: every package as a `file:` dependency on its
 * tarball, so workspace dependencies come from their tarballs too, never from the registry.
 * @param {Map<string, string>} tarballs
 * @param {Record<string, unknown>} [extra] more package.json fields
 */
export function writeConsumerManifest(dir, tarballs, extra = {}) {
  const manifest = {
    name: 'anyjob-consumer',
    private: true,
    type: 'module',
    ...extra,
    dependencies: Object.fromEntries([...tarballs].map(([name, tarball]) => [name, `file:${tarball}`])),
  };
  writeFileSync(join(dir, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
}

/**
 * `npm install` in the consumer project, then checks in its lockfile that every workspace package
 * was installed from its tarball.
 * @param {string[]} packageNames the workspace packages
 * @returns {Promise<string[]>} problems (empty when all came from tarballs)
 */
export async function installConsumer(dir, packageNames) {
  await runOrThrow('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error'], {
    cwd: dir,
  });
  const lock = JSON.parse(readFileSync(join(dir, 'package-lock.json'), 'utf8'));
  const problems = [];
  for (const name of packageNames) {
    const installed = Object.entries(lock.packages).filter(([path]) => path.endsWith(`node_modules/${name}`));
    for (const [path, meta] of installed) {
      if (!String(meta.resolved ?? '').startsWith('file:')) {
        problems.push(`${name}: ${path} was installed from ${meta.resolved}, not from the packed tarball`);
      }
    }
  }
  return problems;
}
