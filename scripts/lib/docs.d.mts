// Types of docs.mjs for the TypeScript test files.

export interface DocsEntryPoint {
  /** The import name: `anyjob`, `@anyjob/truefoundry/provider`. */
  name: string;
  /** Its declaration file. */
  path: string;
  /** One line for the front page. */
  description: string;
}

export declare const NOT_PUBLIC: ReadonlySet<string>;
export function publicEntryPoints(): DocsEntryPoint[];
/** Resolves to the number of TypeDoc warnings and errors; writes `out` only when there are none. */
export function buildApiDocs(options: {
  entries?: DocsEntryPoint[];
  out: string;
  workDir?: string;
  onLog?: (message: string, level: string) => void;
}): Promise<number>;
