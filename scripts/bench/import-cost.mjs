// Cold import cost: a fresh `node` process per sample that times `await import(<entry>)` from
// inside (so Node's own start-up is excluded), samples interleaved across entries, median
// reported. Each process is new, so nothing is cached in memory; the OS file cache is warm,
// as it is for any real second start.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { buildSync } from 'esbuild';
import { repoRoot } from '../lib/providers.mjs';
import { distEntry as dist, facadeEntry, generatedDir } from './paths.mjs';

function entries() {
  const list = [
    { name: '@anyjob/truefoundry', url: pathToFileURL(dist('truefoundry')).href },
    { name: '@anyjob/core', url: pathToFileURL(dist('core')).href },
    { name: 'openapi-fetch', url: import.meta.resolve('openapi-fetch') },
    // Diagnostics: the pieces the provider packages load, to show where their import time goes.
    {
      name: 'diagnostic: @anyjob/core/fetch-client',
      url: pathToFileURL(join(repoRoot, 'packages', 'core', 'dist', 'fetch-client', 'index.js')).href,
    },
  ];
  const valibot = join(repoRoot, 'packages', 'truefoundry', 'node_modules', 'valibot');
  if (existsSync(valibot)) {
    const exports = JSON.parse(readFileSync(join(valibot, 'package.json'), 'utf8')).exports['.'];
    list.push({
      name: 'diagnostic: valibot',
      url: pathToFileURL(join(valibot, exports.import.default)).href,
    });
  }
  if (existsSync(facadeEntry)) {
    list.unshift({ name: 'anyjob', url: pathToFileURL(facadeEntry).href });
    // `import('anyjob')` loads the providers' descriptors only; a provider's SDK, schemas and
    // validator load on its first call (a dynamic import of its implementation chunk). This row
    // is that first call's loading added to the import, so the figure above stays comparable.
    const chunks = join(repoRoot, 'packages', 'truefoundry', 'dist', 'chunks');
    const implementation = existsSync(chunks)
      ? readdirSync(chunks).find((file) => /^implementation-.*\.js$/.test(file))
      : undefined;
    if (implementation) {
      list.splice(1, 0, {
        name: 'anyjob, then the TrueFoundry implementation its first call loads',
        url: pathToFileURL(facadeEntry).href,
        next: pathToFileURL(join(chunks, implementation)).href,
      });
    }
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
      url: pathToFileURL(bundled).href,
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

function sample({ url, next }) {
  const args = ['--input-type=module', '-e', PROBE, url, ...(next ? [next] : [])];
  return Number(execFileSync(process.execPath, args, { encoding: 'utf8' }));
}

export function measureImports(samples = 9) {
  const list = entries();
  const times = Object.fromEntries(list.map((e) => [e.name, []]));
  for (let i = 0; i < samples; i++) for (const e of list) times[e.name].push(sample(e));
  return list.map((e) => {
    const sorted = times[e.name].sort((a, b) => a - b);
    return {
      name: e.name,
      medianMs: sorted[sorted.length >> 1],
      minMs: sorted[0],
      maxMs: sorted.at(-1),
      samples,
    };
  });
}

if (process.argv[1] === new URL(import.meta.url).pathname) console.log(measureImports());
