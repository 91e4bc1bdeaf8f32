// Types of providers.mjs.
export const repoRoot: string;
export const specsDir: string;

export interface ProviderPaths {
  name: string;
  specPath: string;
  packageDir: string;
  generatedDir: string;
}

export function listProviders(): ProviderPaths[];
