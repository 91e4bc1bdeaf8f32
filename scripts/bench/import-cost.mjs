// Cold import cost: a fresh `node` process per sample that times `await import(<package name>)`
// from inside (so Node's own start-up is excluded), run in an application-like directory,
// samples interleaved across entries, median reported. Each process is new, so nothing is cached in memory; the OS file cache is warm,
// as it is for any real second start.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, realpathSync, rmSync, symlinkSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { buildSync } from 'esbuild';
import { repoRoot } from '../lib/providers.mjs';
import { facadeEntry, generatedDir } from './paths.mjs';

/**
 * A directory laid out like an application's: `node_modules/anyjob`, `node_modules/openapi-fetch`,
 * … link to the packages, so the probe imports each by its package name, as `import('anyjob')` in
 * an application does, and pays the same package resolution (node_modules lookup, package.json
 * `exports`, symlinks) on both sides of the comparison.
 */
function applicationDir() {
  const app = join(generatedDir, 'import-app');
  const links = {
    anyjob: join(repoRoot, 'packages', 'anyjob'),
    '@anyjob/core': join(repoRoot, 'packages', 'core'),
    '@anyjob/truefoundry': join(repoRoot, 'packages', 'truefoundry'),
    'openapi-fetch': realpathSync(join(repoRoot, 'node_modules', 'openapi-fetch')),
  };
  rmSync(app, { recursive: true, force: true });
  for (const [name, target] of Object.entries(links)) {
    mkdirSync(dirname(join(app, 'node_modules', name)), { recursive: true });
    symlinkSync(target, join(app, 'node_modules', name), 'dir');
  }
  return app;
}

function entries() {
  const list = [
    { name: '@anyjob/truefoundry', specifier: '@anyjob/truefoundry' },
    { name: '@anyjob/core', specifier: '@anyjob/core' },
    { name: 'openapi-fetch', specifier: 'openapi-fetch' },
    // Diagnostics: by file URL (no package resolution at the top), and the pieces the provider
    // packages load, to show where their import time goes.
    { name: 'diagnostic: openapi-fetch by file URL', specifier: import.meta.resolve('openapi-fetch') },
    {
      name: 'diagnostic: @anyjob/core/fetch-client',
      specifier: pathToFileURL(join(repoRoot, 'packages', 'core', 'dist', 'fetch-client', 'index.js')).href,
    },
  ];
  const valibot = join(repoRoot, 'packages', 'truefoundry', 'node_modules', 'valibot');
  if (existsSync(valibot)) {
    const exports = JSON.parse(readFileSync(join(valibot, 'package.json'), 'utf8')).exports['.'];
    list.push({
      name: 'diagnostic: valibot',
      specifier: pathToFileURL(join(valibot, exports.import.default)).href,
    });
  }
  if (existsSync(facadeEntry)) {
    list.unshift(
      { name: 'anyjob', specifier: 'anyjob' },
      // `import('anyjob')` loads the providers' descriptors only; a provider's SDK, schemas and
      // validator load on its first call (a dynamic import of its implementation entry). This row
      // is that first call's loading added to the import, so the figure above stays comparable.
      {
        name: 'anyjob, then the TrueFoundry implementation its first call loads',
        specifier: 'anyjob',
        next: '@anyjob/truefoundry/implementation',
      },
    );
    list.push({ name: 'diagnostic: anyjob by file URL', specifier: pathToFileURL(facadeEntry).href });
    // The same code as one file, valibot included: the gap to `anyjob` is what loading the
    // packages' entry files and valibot's whole module (not just the functions used) costs.
    const bundled = join(generatedDir, 'anyjob.bundle.mjs');
    buildSync({
      entryPoints: [facadeEntry],
      bundle: true,
      format: 'esm',
      platform: 'node',
      outfile: bundled,
      logLevel: 'silent',
    });
    list.push({
      name: 'diagnostic: anyjob bundled into one file (esbuild, not minified)',
      specifier: pathToFileURL(bundled).href,
    });
  }
  return list;
}

const PROBE = [
  'const started = performance.now();',
  'await import(process.argv[1]);',
  'if (process.argv[2]) await import(process.argv[2]);',
  'process.stdout.write(String(performance.now() - started));',
].join('\n');

/** @param {{ specifier: string, next?: string }} entry @param {string} cwd */
function sample({ specifier, next }, cwd) {
  const args = ['--input-type=module', '-e', PROBE, specifier, ...(next ? [next] : [])];
  return Number(execFileSync(process.execPath, args, { encoding: 'utf8', cwd }));
}

const median = (values) => [...values].sort((a, b) => a - b)[values.length >> 1];

export function measureImports(samples = 15) {
  const app = applicationDir();
  const list = entries();
  const times = Object.fromEntries(list.map((e) => [e.name, /** @type {number[]} */ ([])]));
  for (let i = 0; i < samples; i++) for (const e of list) times[e.name].push(sample(e, app));
  const baseline = times['openapi-fetch'];
  return list.map((e) => {
    const sorted = [...times[e.name]].sort((a, b) => a - b);
    return {
      name: e.name,
      medianMs: sorted[sorted.length >> 1],
      minMs: sorted[0],
      maxMs: sorted.at(-1),
      // Paired with openapi-fetch's sample of the same round, so load that changes between rounds
      // cancels out; the median of those ratios.
      ratioToOpenapiFetch: median(times[e.name].map((t, round) => t / baseline[round])),
      samples,
    };
  });
}

if (process.argv[1] === new URL(import.meta.url).pathname) console.log(measureImports());
