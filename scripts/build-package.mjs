#!/usr/bin/env node
// Builds the workspace package in the current directory into dist/: esbuild bundles the package's
// own modules into one file per entry point (package.json `exports` and `bin`), and tsc emits
// the declarations. Dependencies, other @anyjob packages included, stay imports.
//
// One file per entry instead of tsc's one file per module: Node pays for every ES module it
// resolves, reads and compiles, and that, not the code, was most of a cold `import('anyjob')`
// (about 60 modules: ~40 ms). Entries of one package do not share chunks: an entry importing
// another entry imports it by the package's name, and the other entries import what they share
// with the main entry from the main entry (aliased names), so a module exists once in dist/ and
// `import('anyjob')` loads two files (the facade, with its providers' descriptors inlined, and
// @anyjob/core). See BENCHMARKS.md, "Cold import".
//
// Usage (from a package directory, as its `build` script): node ../../scripts/build-package.mjs
import { execFileSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, relative, resolve } from 'node:path';
import { build } from 'esbuild';
import { packageEntries } from './lib/package-entries.mjs';

const packageDir = process.cwd();
const { name, entries } = packageEntries(packageDir);

/**
 * One entry importing another (a provider's `provider.ts` loading `./implementation.js`, its
 * index re-exporting `./provider.js`) goes through the package's own name instead of a shared
 * chunk: each entry stays one file, so `import('@anyjob/x/provider')` loads one module, and the
 * module instance is the one anybody importing that entry gets.
 */
function entrySelfReferences(building) {
  const specifierOf = new Map(
    entries
      .filter((entry) => entry.subpath !== undefined && entry.source !== building)
      .map((entry) => [
        resolve(packageDir, entry.source),
        entry.subpath === '.' ? name : `${name}${entry.subpath?.slice(1)}`,
      ]),
  );
  return {
    name: 'entry-self-references',
    setup(build) {
      build.onResolve({ filter: /^\./ }, (args) => {
        if (args.kind === 'entry-point') return undefined;
        const target = resolve(args.resolveDir, args.path).replace(/\.js$/, '.ts');
        const specifier = specifierOf.get(target) ?? specifierOf.get(join(target, 'index.ts'));
        return specifier ? { path: specifier, external: true } : undefined;
      });
    },
  };
}

/** Relative path inside the package → an identifier-safe prefix for the names it shares. */
const aliasPrefix = (file) => `__${relative(packageDir, file).replace(/[^A-Za-z0-9]/g, '_')}$`;

/**
 * The modules the main entry (`.`) is built from, each with the names it exports. Found with
 * esbuild's metafile: a bundle of the main entry alone lists its inputs, and a bundle of each input
 * lists that input's exports (star re-exports resolved).
 */
async function mainEntryModules(mainSource) {
  const probe = await build({
    ...common,
    entryPoints: [mainSource],
    write: false,
    metafile: true,
    logLevel: 'silent',
    plugins: [entrySelfReferences()],
  });
  const modules = new Map();
  for (const input of Object.keys(probe.metafile.inputs)) {
    const file = resolve(packageDir, input);
    if (file === resolve(packageDir, mainSource)) continue;
    const exports = await build({
      ...common,
      entryPoints: [file],
      write: false,
      metafile: true,
      logLevel: 'silent',
      plugins: [entrySelfReferences()],
    });
    modules.set(file, Object.values(exports.metafile.outputs)[0].exports);
  }
  return modules;
}

/**
 * The other entries (`./internal`, `./implementation`, a `bin`) import a module the main entry
 * holds from the main entry itself, under an alias (`__src_errors_index_ts$ApiError`), instead of
 * through a chunk both import. So the main entry stays one file — a cold `import('anyjob')` loads
 * @anyjob/core as one module — and there is one instance of every class and of every piece of
 * module state (the shared request budget) whichever entry uses it.
 */
function sharedThroughMain(modules) {
  return {
    name: 'shared-through-main',
    setup(build) {
      build.onResolve({ filter: /^\./ }, (args) => {
        if (args.kind === 'entry-point') return undefined;
        const target = resolve(args.resolveDir, args.path).replace(/\.js$/, '.ts');
        const file = modules.has(target) ? target : join(target, 'index.ts');
        return modules.has(file) ? { path: file, namespace: 'shared-through-main' } : undefined;
      });
      build.onLoad({ filter: /.*/, namespace: 'shared-through-main' }, (args) => {
        const names = modules
          .get(args.path)
          .map((exported) => `${aliasPrefix(args.path)}${exported} as ${exported}`);
        return {
          contents: `export { ${names.join(', ')} } from ${JSON.stringify(name)};`,
          loader: 'js',
          resolveDir: packageDir,
        };
      });
    },
  };
}

/**
 * Dependencies' entries listed in package.json `anyjobBuild.inline` (globs such as
 * `@anyjob/<star>/provider`) are bundled into this package instead of imported: the facade carries
 * the providers' descriptors (a few KB of data each), so `import('anyjob')` does not load a module
 * per provider. What those entries import (`@anyjob/core`, the provider's lazily loaded
 * `/implementation`) stays an import, so the copy shares every class and all state with the
 * dependency; the dependency is pinned to an exact version (`workspace:*`) so the inlined
 * descriptor and the implementation it loads come from the same release.
 */
function inlinedDependencies() {
  const manifest = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8'));
  const patterns = (manifest.anyjobBuild?.inline ?? []).map(
    (pattern) => new RegExp(`^${pattern.split('*').map(escapeRegExp).join('[^/]+')}$`),
  );
  const requireFromPackage = createRequire(join(packageDir, 'package.json'));
  return {
    name: 'inlined-dependencies',
    setup(build) {
      const inlined = new Set();
      build.onResolve({ filter: /^[^./]/ }, (args) => {
        if (!patterns.some((pattern) => pattern.test(args.path))) return undefined;
        const path = requireFromPackage.resolve(args.path);
        inlined.add(path);
        return { path };
      });
      // An inlined entry's own `import('./x.js')` would be bundled in whole (this build does not
      // split), so what it loads lazily would load at import: it must load another entry of its
      // package by name instead (scripts/build-package.mjs does that for entries it knows).
      build.onResolve({ filter: /^\./ }, (args) => {
        if (args.kind !== 'dynamic-import' || !inlined.has(args.importer)) return undefined;
        return {
          errors: [
            {
              text: `${args.importer} loads ${args.path} lazily by a relative path; make that module an entry of its package (package.json exports) so it stays lazy once inlined`,
            },
          ],
        };
      });
    },
  };
}

const escapeRegExp = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** @type {import('esbuild').BuildOptions} */
const common = {
  bundle: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  packages: 'external',
};

rmSync(join(packageDir, 'dist'), { recursive: true, force: true });

const main = entries.find((entry) => entry.subpath === '.');
const others = [...new Set(entries.filter((entry) => entry !== main).map((entry) => entry.source))];
const modules = main && others.length > 0 ? await mainEntryModules(main.source) : new Map();

// The other entries first: what they import from the main entry decides its aliases.
const built =
  others.length === 0
    ? undefined
    : await build({
        ...common,
        entryPoints: others,
        outdir: 'dist',
        outbase: 'src',
        splitting: true,
        sourcemap: true,
        metafile: true,
        // Deterministic names: the same sources give the same dist/ (turbo caches it).
        chunkNames: 'chunks/[name]-[hash]',
        logLevel: 'warning',
        plugins: [entrySelfReferences(), sharedThroughMain(modules), inlinedDependencies()],
      });

if (main) {
  const used = new Set();
  for (const output of Object.keys(built?.metafile.outputs ?? {})) {
    if (!output.endsWith('.js')) continue;
    for (const [alias] of readFileSync(join(packageDir, output), 'utf8').matchAll(
      /__[A-Za-z0-9_]+\$[A-Za-z0-9_$]+/g,
    )) {
      used.add(alias);
    }
  }
  const aliases = [...modules]
    .flatMap(([file, exports]) =>
      exports
        .filter((exported) => used.has(`${aliasPrefix(file)}${exported}`))
        .map((exported) => ({ file, exported })),
    )
    .map(
      ({ file, exported }) =>
        `export { ${exported} as ${aliasPrefix(file)}${exported} } from ${JSON.stringify(`./${relative(packageDir, file).replace(/\.ts$/, '.js')}`)};`,
    );
  await build({
    ...common,
    stdin: {
      contents: [
        `export * from ${JSON.stringify(`./${main.source.replace(/\.ts$/, '.js')}`)};`,
        ...aliases,
      ].join('\n'),
      resolveDir: packageDir,
      // Not the main source's own name: esbuild would take the two for one module.
      sourcefile: 'main-entry-with-shared-aliases.ts',
      loader: 'ts',
    },
    outfile: join('dist', relative('src', main.source).replace(/\.ts$/, '.js')),
    sourcemap: true,
    logLevel: 'warning',
    plugins: [entrySelfReferences(main.source), inlinedDependencies()],
  });
}

const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
execFileSync(process.execPath, [tsc, '-p', 'tsconfig.build.json', '--emitDeclarationOnly'], {
  cwd: packageDir,
  stdio: 'inherit',
});
