// The provider list is derived from the spec files, so adding `specs/<name>.yaml` is the only
// place a provider has to be named.
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const specsDir = join(repoRoot, 'specs');

/**
 * @typedef {object} ProviderPaths
 * @property {string} name
 * @property {string} specPath
 * @property {string} packageDir
 * @property {string} generatedDir
 */

/** @returns {ProviderPaths[]} */
export function listProviders() {
  return readdirSync(specsDir)
    .filter((file) => file.endsWith('.yaml'))
    .sort()
    .map((file) => {
      const name = file.slice(0, -'.yaml'.length);
      const packageDir = join(repoRoot, 'packages', name);
      return {
        name,
        specPath: join(specsDir, file),
        packageDir,
        generatedDir: join(packageDir, 'src', 'generated'),
      };
    });
}
