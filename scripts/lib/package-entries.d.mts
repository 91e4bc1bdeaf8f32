// Types of package-entries.mjs for the TypeScript test files.
import type { Plugin } from 'esbuild';

export function sourceOfDist(distPath: string, packageName?: string): string;
export function packageEntries(packageDir: string): {
  name: string;
  entries: Array<{ subpath?: string; bin?: string; source: string }>;
};
export function workspaceSources(): Plugin;
