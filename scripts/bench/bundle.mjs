// Bundle size: esbuild (bundle, minify, ESM, browser platform — what a front-end or edge user
// ships), then gzip (level 9) and brotli (quality 11) of the output with node:zlib. The metafile
// tells which modules made it into each bundle, which is how the shared fetch-client runtime is
// checked to be present once.
//
// The workspace packages are bundled from their sources (src/, what each dist/ entry is bundled
// from by scripts/build-package.mjs): a package's dist/ is already one file per entry, so only
// the sources let the metafile name the modules that make up a bundle.
import { join, relative } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { sdkFunctionName as sdk } from '../lib/naming.mjs';
import { workspaceSources } from '../lib/package-entries.mjs';
import { listProviders, repoRoot } from '../lib/providers.mjs';
import { benchDir } from './paths.mjs';

/** The generated fetch-client runtime, wherever a copy of it may come from. */
const RUNTIME = /(fetch-client|@hey-api[/+]client-fetch|[/\\]generated[/\\](client|core)[/\\])/;
/** Everything up to the runtime's own root, so copies from different places compare equal. */
const RUNTIME_ROOT =
  /^.*(fetch-client[/\\]|client-fetch[/\\](dist[/\\])?|[/\\]generated[/\\](?=(client|core)[/\\]))/;

/** The name each case's source is bundled as (esbuild's stdin `sourcefile`). */
const ENTRY_FILE = 'entry.js';

/** @typedef {{ name: string, target?: string, source: string, external?: string[] }} BundleCase */

export function bundleCases() {
  /** @type {BundleCase[]} */
  const cases = [
    {
      name: 'TrueFoundry trigger (provider package)',
      target: 'trigger',
      source: `export { createTrueFoundryClient, ${sdk('truefoundry', 'triggerJob')} } from '@anyjob/truefoundry';`,
    },
    {
      name: 'Kognitos trigger (provider package)',
      target: 'trigger',
      source: `export { createKognitosClient, ${sdk('kognitos', 'startRun')} } from '@anyjob/kognitos';`,
    },
    {
      name: 'Runchat trigger (provider package)',
      target: 'trigger',
      source: `export { createRunchatClient, ${sdk('runchat', 'triggerJob')} } from '@anyjob/runchat';`,
    },
    {
      // Every provider package of the registry (one per spec), whole.
      name: 'every provider package, every operation',
      source: listProviders()
        .map(({ name }, i) => `export * as p${i} from '@anyjob/${name}';`)
        .join('\n'),
    },
    {
      name: 'openapi-fetch doing the TrueFoundry trigger',
      source: [
        "import createClient from 'openapi-fetch';",
        'export const trigger = (baseUrl, apiKey, body) =>',
        "  createClient({ baseUrl, headers: { Authorization: 'Bearer ' + apiKey } }).POST('/api/svc/v1/jobs/trigger', { body });",
      ].join('\n'),
    },
  ];
  // Diagnostics, not targets: what the shared runtime and the validator library weigh alone.
  cases.push(
    {
      name: 'diagnostic: fetch-client runtime alone (createClient)',
      source: "export { createClient } from '@anyjob/core/fetch-client';",
    },
    {
      name: 'diagnostic: TrueFoundry trigger with valibot left out (external)',
      source: cases[0].source,
      external: ['valibot'],
    },
    // Int64 run ids: what writing them as bare JSON integers (lossless-json's stringify) adds to a
    // provider that has them; the providers above, whose ids are strings, carry none of it.
    {
      name: 'diagnostic: Databricks trigger (int64 run ids)',
      source: `export { createDatabricksClient, ${sdk('databricks', 'runNow')} } from '@anyjob/databricks';`,
    },
  );
  cases.push(
    {
      name: 'facade, one provider used (TrueFoundry trigger)',
      source: [
        "import { triggerJob } from 'anyjob';",
        "export const trigger = (applicationId, params) => triggerJob({ provider: 'truefoundry', applicationId, params });",
      ].join('\n'),
    },
    {
      name: 'facade composed with one provider (composeAnyJob + createTrueFoundry)',
      source: [
        "import { composeAnyJob, createTrueFoundry } from 'anyjob';",
        'export const jobs = (settings) => composeAnyJob({ truefoundry: createTrueFoundry(settings) });',
      ].join('\n'),
    },
    {
      name: 'facade, every provider',
      target: 'facade',
      source: "export { triggerJob, getJobRun, waitForJob, cancelJob, createAnyJob } from 'anyjob';",
    },
  );
  return cases;
}

function runtimeCopies(paths) {
  // Group runtime modules by their path inside the runtime (client/client.gen.js, …): more than
  // one file per group means the runtime was bundled more than once.
  const groups = new Map();
  for (const path of paths.filter((p) => RUNTIME.test(p))) {
    const key = path.replace(RUNTIME_ROOT, '');
    groups.set(key, (groups.get(key) ?? 0) + 1);
  }
  return groups.size === 0 ? 0 : Math.max(...groups.values());
}

const gzipSize = (code) => gzipSync(code, { level: 9 }).length;
const brotliSize = (code) =>
  brotliCompressSync(code, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length;

/**
 * The chunks reachable from the entry through the metafile's `imports` of each output: through
 * static imports only (`static`: what loads before any code runs), or through dynamic `import()`
 * too (what the case can ever load). A chunk esbuild emits that nothing reachable imports is
 * never fetched, so it is not counted.
 */
function reachable(outputs, entry, { dynamic }) {
  const seen = new Set([entry]);
  const queue = [entry];
  while (queue.length > 0) {
    for (const imported of outputs[queue.pop()]?.imports ?? []) {
      const follow = imported.kind === 'import-statement' || (dynamic && imported.kind === 'dynamic-import');
      if (follow && !imported.external && !seen.has(imported.path)) {
        seen.add(imported.path);
        queue.push(imported.path);
      }
    }
  }
  return seen;
}

export async function measureBundles() {
  const rows = [];
  for (const c of bundleCases()) {
    // Code splitting on, as an application bundler does it: the providers load their
    // implementation with a dynamic import(), which becomes a chunk of its own. Every chunk a
    // case pulls in is counted (sizes are sums over chunks, each compressed alone, as a browser
    // fetches them); "at import" is the entry and its static imports.
    const result = await build({
      stdin: { contents: c.source, resolveDir: benchDir, loader: 'js', sourcefile: ENTRY_FILE },
      bundle: true,
      splitting: true,
      outdir: join(benchDir, '.generated', 'bundle'),
      chunkNames: 'chunk-[hash]',
      minify: true,
      format: 'esm',
      platform: 'browser',
      target: 'es2022',
      write: false,
      metafile: true,
      logLevel: 'silent',
      external: c.external ?? [],
      plugins: [workspaceSources()],
    });
    const outputs = result.metafile.outputs;
    // The case's own entry, by its source file: each dynamic import() target (a provider's
    // implementation, conformance plan, testing entry) is an entry point of the metafile too, and
    // may be listed first.
    const entryFile = relative(process.cwd(), join(benchDir, ENTRY_FILE));
    const entry = Object.keys(outputs).find((path) => outputs[path].entryPoint === entryFile);
    if (entry === undefined) throw new Error(`bundle: no output for the entry of "${c.name}"`);
    const loaded = reachable(outputs, entry, { dynamic: true });
    const atImport = reachable(outputs, entry, { dynamic: false });
    const sizes = result.outputFiles
      .map((file) => ({ path: relative(process.cwd(), file.path), code: file.contents }))
      .filter((file) => loaded.has(file.path))
      .map(({ path, code }) => ({
        atImport: atImport.has(path),
        minified: code.length,
        gzip: gzipSize(code),
        brotli: brotliSize(code),
      }));
    const sum = (field, filter = () => true) =>
      sizes.filter(filter).reduce((total, size) => total + size[field], 0);
    const bytesByInput = new Map();
    for (const path of loaded) {
      for (const [input, { bytesInOutput }] of Object.entries(outputs[path].inputs)) {
        const name = relative(repoRoot, input);
        bytesByInput.set(name, (bytesByInput.get(name) ?? 0) + bytesInOutput);
      }
    }
    const byInput = [...bytesByInput]
      .map(([path, bytes]) => ({ path, bytes }))
      .sort((a, b) => b.bytes - a.bytes);
    rows.push({
      ...c,
      chunks: sizes.length,
      emittedChunks: result.outputFiles.length,
      minified: sum('minified'),
      gzip: sum('gzip'),
      brotli: sum('brotli'),
      atImportGzip: sum('gzip', (size) => size.atImport),
      runtimeCopies: runtimeCopies(byInput.filter((i) => i.bytes > 0).map((i) => i.path)),
      runtimeBytes: byInput.filter((i) => RUNTIME.test(i.path)).reduce((total, i) => total + i.bytes, 0),
      largest: byInput.slice(0, 6),
    });
  }
  return rows;
}

if (process.argv[1] === new URL(import.meta.url).pathname) {
  for (const row of await measureBundles()) {
    console.log(
      row.name,
      row.chunks,
      row.atImportGzip,
      row.minified,
      row.gzip,
      row.brotli,
      'runtime copies',
      row.runtimeCopies,
      row.runtimeBytes,
    );
    for (const i of row.largest) console.log('   ', i.bytes, i.path);
  }
}
