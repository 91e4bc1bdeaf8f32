// What a bundler keeps of the facade: composeAnyJob with one adapter must not pull in the other
// provider packages (they are imported by createAnyJob and the module-level functions, and only
// `sideEffects: false` plus side-effect-free modules let a bundler drop them).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { build, type Plugin } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { workspaceSources } from '../../../scripts/lib/package-entries.mjs';

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

  it('createAnyJob reaches every provider (the control for the test above)', async () => {
    const packages = await bundledPackages("export { createAnyJob } from 'anyjob';");
    expect(packages).toEqual(['anyjob', 'core', 'kognitos', 'runchat', 'truefoundry']);
  });
});
