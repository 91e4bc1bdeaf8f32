#!/usr/bin/env node
// Package quality gate for every publishable package (run after `pnpm build`):
//   1. pack each package once with `pnpm pack` (workspace:^ ranges become real versions, as published);
//   2. publint (strict: warnings fail) and arethetypeswrong (`--profile esm-only`) on each tarball;
//   3. install all tarballs with npm into one scratch project outside the workspace and, there,
//      typecheck a TypeScript consumer with moduleResolution nodenext and bundler, `import()` every
//      entry point with plain node, and `require()` it (Node >= 20.19 loads ESM from require).
// Usage: node scripts/release/check-packages.mjs [--keep]   (--keep leaves the scratch dir for debugging)
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { publint } from 'publint';
import { formatMessage } from 'publint/utils';
import { createTimings } from '../lib/timings.mjs';
import { installConsumer, packPackages, writeConsumerManifest } from './lib/pack.mjs';
import { listPublishablePackages, repoRoot } from './lib/packages.mjs';
import { run } from './lib/run.mjs';

const MIN_NODE_FOR_REQUIRE_ESM = [20, 19];
const keep = process.argv.includes('--keep');
const attwBin = join(repoRoot, 'node_modules', '@arethetypeswrong', 'cli', 'dist', 'index.js');
const tscBin = join(repoRoot, 'node_modules', 'typescript', 'bin', 'tsc');

const failures = [];
const { timed, summary: timingSummary } = createTimings();

async function lintTarball(pkg, tarball) {
  const buffer = readFileSync(tarball);
  const { messages, pkg: packed } = await publint({
    pack: { tarball: buffer.buffer.slice(buffer.byteOffset, buffer.byteOffset + buffer.byteLength) },
    strict: true,
  });
  for (const message of messages) {
    const line = `${pkg.name}: publint ${message.type}: ${formatMessage(message, packed)}`;
    if (message.type === 'suggestion') console.log(line);
    else failures.push(line);
  }
  const attw = await run(process.execPath, [attwBin, tarball, '--profile', 'esm-only', '--format', 'ascii'], {
    env: { ...process.env, FORCE_COLOR: '0' },
  });
  if (attw.code !== 0)
    failures.push(`${pkg.name}: arethetypeswrong (esm-only profile) failed:\n${attw.output}`);
}

function writeConsumer(dir, packages, tarballs) {
  const entries = packages.flatMap((pkg) => pkg.entryPoints.map((entry) => entry.importName));
  writeConsumerManifest(dir, tarballs);
  // Every entry point must resolve to real types: an unresolved import is TS2307, and an `any`
  // namespace (types that resolve to nothing useful) fails the NotAny check.
  const imports = entries.map((name, i) => `import * as entry${i} from '${name}';`).join('\n');
  const checks = entries.map((_, i) => `export const check${i}: NotAny<typeof entry${i}> = true;`).join('\n');
  writeFileSync(
    join(dir, 'consumer.ts'),
    `${imports}\n\ntype NotAny<T> = 0 extends 1 & T ? never : true;\n${checks}\n`,
  );
  const compilerOptions = {
    strict: true,
    noEmit: true,
    target: 'es2022',
    lib: ['es2023', 'dom'],
    types: ['node'],
    typeRoots: [join(repoRoot, 'node_modules', '@types')],
  };
  const tsconfig = (options) =>
    `${JSON.stringify({ compilerOptions: { ...compilerOptions, ...options }, files: ['consumer.ts'] }, null, 2)}\n`;
  // nodenext checks the published .d.ts files themselves (skipLibCheck off; only TypeScript's own
  // lib files skipped). bundler then only has to prove every entry point resolves to real types:
  // checking the same .d.ts files again costs ~10 s (valibot's types) and finds nothing new.
  writeFileSync(
    join(dir, 'tsconfig.nodenext.json'),
    tsconfig({
      module: 'nodenext',
      moduleResolution: 'nodenext',
      skipLibCheck: false,
      skipDefaultLibCheck: true,
    }),
  );
  writeFileSync(
    join(dir, 'tsconfig.bundler.json'),
    tsconfig({ module: 'esnext', moduleResolution: 'bundler', skipLibCheck: true }),
  );
  const names = JSON.stringify(entries);
  writeFileSync(
    join(dir, 'import.mjs'),
    `const result = {};\nfor (const name of ${names}) result[name] = Object.keys(await import(name)).sort();\nconsole.log(JSON.stringify(result));\n`,
  );
  writeFileSync(
    join(dir, 'require.cjs'),
    `const result = {};\nfor (const name of ${names}) result[name] = Object.keys(require(name)).filter((k) => k !== '__esModule').sort();\nconsole.log(JSON.stringify(result));\n`,
  );
  return entries;
}

function nodeSupportsRequireEsm() {
  const [major, minor] = process.versions.node.split('.').map(Number);
  const [wantMajor, wantMinor] = MIN_NODE_FOR_REQUIRE_ESM;
  return major > wantMajor || (major === wantMajor && minor >= wantMinor);
}

async function checkConsumer(dir, packages, entries) {
  // The workspace packages must come from the tarballs, never from the registry.
  const problems = await timed('npm install', () =>
    installConsumer(
      dir,
      packages.map((pkg) => pkg.name),
    ),
  );
  failures.push(...problems);
  const [nodenext, bundler] = await timed('tsc nodenext+bundler', () =>
    Promise.all(
      ['nodenext', 'bundler'].map((mode) =>
        run(process.execPath, [tscBin, '-p', `tsconfig.${mode}.json`], { cwd: dir }),
      ),
    ),
  );
  if (nodenext.code !== 0)
    failures.push(`TypeScript consumer (moduleResolution nodenext):\n${nodenext.output}`);
  if (bundler.code !== 0) failures.push(`TypeScript consumer (moduleResolution bundler):\n${bundler.output}`);

  const imported = await run(process.execPath, ['import.mjs'], { cwd: dir });
  if (imported.code !== 0) {
    failures.push(`plain node import() failed:\n${imported.output}`);
    return;
  }
  const importKeys = JSON.parse(imported.output.trim().split('\n').at(-1) ?? '');
  for (const name of entries) {
    if (importKeys[name].length === 0) failures.push(`${name}: import() gave a module without exports`);
  }
  if (!nodeSupportsRequireEsm()) {
    failures.push(
      `require() of ESM needs Node >= ${MIN_NODE_FOR_REQUIRE_ESM.join('.')}; this is ${process.version}`,
    );
    return;
  }
  const required = await run(process.execPath, ['require.cjs'], { cwd: dir });
  if (required.code !== 0) {
    failures.push(`CommonJS require() failed on Node ${process.version}:\n${required.output}`);
    return;
  }
  const requireKeys = JSON.parse(required.output.trim().split('\n').at(-1) ?? '');
  for (const name of entries) {
    if (JSON.stringify(requireKeys[name]) !== JSON.stringify(importKeys[name])) {
      failures.push(
        `${name}: require() exposes ${requireKeys[name]} but import() exposes ${importKeys[name]}`,
      );
    }
  }
}

const started = performance.now();
const packages = listPublishablePackages();
const scratch = mkdtempSync(join(tmpdir(), 'anyjob-pack-check-'));
try {
  const tarballDir = join(scratch, 'tarballs');
  const consumerDir = join(scratch, 'consumer');
  mkdirSync(tarballDir);
  mkdirSync(consumerDir);
  const tarballs = await timed('pack', () => packPackages(packages, tarballDir));
  const entries = writeConsumer(consumerDir, packages, tarballs);
  await Promise.all([
    timed('publint+attw', () => Promise.all(packages.map((pkg) => lintTarball(pkg, tarballs.get(pkg.name))))),
    checkConsumer(consumerDir, packages, entries),
  ]);
} finally {
  if (keep) console.log(`check:packages: scratch project kept in ${scratch}`);
  else rmSync(scratch, { recursive: true, force: true });
}

const took = Math.round(performance.now() - started);
const detail = timingSummary();
if (failures.length > 0) {
  console.error(`check:packages: ${failures.length} problem(s):\n\n${failures.join('\n\n')}`);
  process.exit(1);
}
console.log(
  `check:packages: ${packages.map((p) => p.name).join(', ')} pass publint, attw (esm-only), a packed install, tsc nodenext+bundler, import() and require() on Node ${process.version} in ${took} ms (${detail})`,
);
