// Bundle size: esbuild (bundle, minify, ESM, browser platform — what a front-end or edge user
// ships), then gzip (level 9) and brotli (quality 11) of the output with node:zlib. The metafile
// tells which modules made it into each bundle, which is how the shared fetch-client runtime is
// checked to be present once.
//
// The workspace packages are bundled from their sources (src/, what each dist/ entry is bundled
// from by scripts/build-package.mjs): a package's dist/ is already one file per entry, so only
// the sources let the metafile name the modules that make up a bundle.
import { relative } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { workspaceSources } from '../lib/package-entries.mjs';
import { repoRoot } from '../lib/providers.mjs';
import { benchDir } from './paths.mjs';

/** The generated fetch-client runtime, wherever a copy of it may come from. */
const RUNTIME = /(fetch-client|@hey-api[/+]client-fetch|[/\\]generated[/\\](client|core)[/\\])/;
/** Everything up to the runtime's own root, so copies from different places compare equal. */
const RUNTIME_ROOT =
  /^.*(fetch-client[/\\]|client-fetch[/\\](dist[/\\])?|[/\\]generated[/\\](?=(client|core)[/\\]))/;

export function bundleCases() {
  const cases = [
    {
      name: 'TrueFoundry trigger (provider package)',
      target: 'trigger',
      source: "export { createTrueFoundryClient, triggerJob } from '@anyjob/truefoundry';",
    },
    {
      name: 'Kognitos trigger (provider package)',
      target: 'trigger',
      source: "export { createKognitosClient, startRun } from '@anyjob/kognitos';",
    },
    {
      name: 'Runchat trigger (provider package)',
      target: 'trigger',
      source: "export { createRunchatClient, triggerJob } from '@anyjob/runchat';",
    },
    {
      name: 'all three providers, every operation',
      source: ['truefoundry', 'kognitos', 'runchat']
        .map((p) => `export * as ${p} from '@anyjob/${p}';`)
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
      name: 'facade, all three providers',
      target: 'facade',
      source: "export { triggerJob, getJobRun, waitForJob, cancelJob, createAnyJob } from 'anyjob';",
    },
  );
  return cases;
}

function runtimeCopies(inputs) {
  // Group runtime modules by their path inside the runtime (client/client.gen.js, …): more than
  // one file per group means the runtime was bundled more than once.
  const groups = new Map();
  for (const path of Object.keys(inputs).filter((p) => RUNTIME.test(p))) {
    const key = path.replace(RUNTIME_ROOT, '');
    groups.set(key, (groups.get(key) ?? 0) + 1);
  }
  return groups.size === 0 ? 0 : Math.max(...groups.values());
}

export async function measureBundles() {
  const rows = [];
  for (const c of bundleCases()) {
    const result = await build({
      stdin: { contents: c.source, resolveDir: benchDir, loader: 'js' },
      bundle: true,
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
    const code = result.outputFiles[0].contents;
    const output = Object.values(result.metafile.outputs)[0];
    const byInput = Object.entries(output.inputs)
      .map(([path, { bytesInOutput }]) => ({ path: relative(repoRoot, path), bytes: bytesInOutput }))
      .sort((a, b) => b.bytes - a.bytes);
    rows.push({
      ...c,
      minified: code.length,
      gzip: gzipSync(code, { level: 9 }).length,
      brotli: brotliCompressSync(code, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length,
      runtimeCopies: runtimeCopies(result.metafile.inputs),
      runtimeBytes: byInput.filter((i) => RUNTIME.test(i.path)).reduce((sum, i) => sum + i.bytes, 0),
      largest: byInput.slice(0, 6),
    });
  }
  return rows;
}

if (process.argv[1] === new URL(import.meta.url).pathname) {
  for (const row of await measureBundles()) {
    console.log(
      row.name,
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
