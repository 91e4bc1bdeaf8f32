// What a bundler keeps of the facade: composeAnyJob with one adapter must not pull in the other
// provider packages (they are imported by createAnyJob and the module-level functions, and only
// `sideEffects: false` plus side-effect-free modules let a bundler drop them).
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { workspaceSources } from '../../../scripts/lib/package-entries.mjs';

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
    plugins: [workspaceSources()],
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

  it('createAnyJob reaches every provider (the control for the test above)', async () => {
    const packages = await bundledPackages("export { createAnyJob } from 'anyjob';");
    expect(packages).toEqual(['anyjob', 'core', 'kognitos', 'runchat', 'truefoundry']);
  });
});
