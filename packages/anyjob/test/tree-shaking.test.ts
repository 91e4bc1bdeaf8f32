// What a bundler keeps of the facade: composeAnyJob with one adapter must not pull in the other
// provider packages (they are imported by createAnyJob and the module-level functions, and only
// `sideEffects: false` plus side-effect-free modules let a bundler drop them).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { build, type Plugin } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { sdkFunctionName } from '../../../scripts/lib/naming.mjs';
import { listOperations, loadSpec } from '../../../scripts/lib/openapi.mjs';
import { workspaceSources } from '../../../scripts/lib/package-entries.mjs';
import { listProviders } from '../../../scripts/lib/providers.mjs';
import { defaultProviders } from '../src/index.js';

// workspaceSources resolves each package to its source files, where esbuild does not look up the
// package's manifest; this hands on its `sideEffects`, as a bundler resolving the published
// packages sees it (a provider's descriptor is built by a call at module level, which only
// `"sideEffects": false` lets a bundler drop when nothing uses it).
function withPackageSideEffects(plugin: Plugin): Plugin {
  const sideEffectsOf = (path: string): boolean | undefined => {
    const match = /^(.*\/packages\/[^/]+)\/src\//.exec(path);
    if (!match) return undefined;
    const manifest = JSON.parse(readFileSync(join(match[1], 'package.json'), 'utf8'));
    return manifest.sideEffects === false ? false : undefined;
  };
  return {
    name: `${plugin.name}+side-effects`,
    setup(build) {
      return plugin.setup({
        ...build,
        onResolve: (options, callback) =>
          build.onResolve(options, async (args) => {
            const result = await callback(args);
            const sideEffects = result?.path ? sideEffectsOf(result.path) : undefined;
            return result && sideEffects === false ? { ...result, sideEffects } : result;
          }),
      });
    },
  };
}

async function bundledModules(source: string): Promise<string[]> {
  // Code splitting on, as an application bundler does it: each dynamic import() target becomes a
  // chunk. The modules counted are those of the chunks the entry can reach, dynamically or not.
  const result = await build({
    stdin: { contents: source, resolveDir: import.meta.dirname, loader: 'js' },
    bundle: true,
    splitting: true,
    outdir: join(import.meta.dirname, '.bundle'),
    minify: true,
    format: 'esm',
    platform: 'browser',
    write: false,
    metafile: true,
    logLevel: 'silent',
    plugins: [withPackageSideEffects(workspaceSources())],
  });
  const outputs = result.metafile.outputs;
  const entry = Object.keys(outputs).find((path) => outputs[path].entryPoint !== undefined) as string;
  const reached = new Set([entry]);
  for (const path of reached) {
    for (const imported of outputs[path].imports) if (!imported.external) reached.add(imported.path);
  }
  return [...reached].flatMap((path) =>
    Object.entries(outputs[path].inputs)
      .filter(([, input]) => input.bytesInOutput > 0)
      .map(([input]) => input),
  );
}

async function bundledPackages(source: string): Promise<string[]> {
  const result = await build({
    stdin: { contents: source, resolveDir: import.meta.dirname, loader: 'js' },
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'browser',
    write: false,
    metafile: true,
    logLevel: 'silent',
    plugins: [withPackageSideEffects(workspaceSources())],
  });
  const inputs = Object.values(result.metafile.outputs)[0].inputs;
  const packages = Object.entries(inputs)
    .filter(([, input]) => input.bytesInOutput > 0)
    .map(([path]) => /packages\/([^/]+)\/src\//.exec(path)?.[1])
    .filter((name): name is string => name !== undefined);
  return [...new Set(packages)].sort();
}

describe('tree-shaking of the facade', () => {
  it('composeAnyJob with createTrueFoundry bundles no Runchat or Kognitos code', async () => {
    const packages = await bundledPackages(
      [
        "import { composeAnyJob, createTrueFoundry } from 'anyjob';",
        'export const jobs = (settings) => composeAnyJob({ truefoundry: createTrueFoundry(settings) });',
      ].join('\n'),
    );
    expect(packages).toEqual(['anyjob', 'core', 'truefoundry']);
  });

  it('composeAnyJob with the truefoundry descriptor bundles no Runchat or Kognitos code', async () => {
    const packages = await bundledPackages(
      [
        "import { composeAnyJob, truefoundry } from 'anyjob';",
        'export const jobs = (settings) => composeAnyJob([truefoundry], { truefoundry: settings });',
      ].join('\n'),
    );
    expect(packages).toEqual(['anyjob', 'core', 'truefoundry']);
  });

  it('createAnyJob reaches every registered provider (the control for the test above)', async () => {
    const packages = await bundledPackages("export { createAnyJob } from 'anyjob';");
    const registered = defaultProviders.map((provider) => provider.name);
    expect(packages).toEqual(['anyjob', 'core', ...registered].sort());
  });
});

describe('tree-shaking of a provider package', () => {
  // The descriptor (`defineJobProvider({ …, load: () => import('./implementation.js') })`) is pure
  // and nothing else reaches the implementation, so one SDK function does not carry the provider
  // implementation the facade uses, nor the live conformance checker (its own core entry, which
  // only the lazily loaded conformance plan imports: esbuild assigns whole files to chunks, so
  // from `@anyjob/core/internal` it landed in the chunk every call loads).
  // Every provider package (one per spec), with its client factory and its first operation's SDK function.
  const sdkEntries = listProviders().map(({ name, specPath, packageDir }) => {
    const client = /export function (create\w+Client)\b/.exec(
      readFileSync(join(packageDir, 'src', 'client.ts'), 'utf8'),
    )?.[1];
    const operation = listOperations(loadSpec(specPath))[0].operation.operationId as string;
    return [name, `${client}, ${sdkFunctionName(name, operation)}`];
  });

  it.each(sdkEntries)(
    'an SDK function of @anyjob/%s reaches neither its implementation nor the conformance checker',
    async (provider, names) => {
      const modules = await bundledModules(`export { ${names} } from '@anyjob/${provider}';`);
      expect(modules.some((path) => path.endsWith(`packages/${provider}/src/generated/sdk.gen.ts`))).toBe(
        true,
      );
      expect(modules.filter((path) => /src\/implementation\.ts$/.test(path))).toEqual([]);
      expect(modules.filter((path) => /src\/conformance(\.ts|\/)/.test(path))).toEqual([]);
    },
  );
});
