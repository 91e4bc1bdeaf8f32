// What the global setup hands to test files through vitest's provide/inject.
declare module 'vitest' {
  export interface ProvidedContext {
    /** Base URL of the Prism mock for each provider, keyed by spec name. */
    mockUrls: Record<string, string>;
  }
}

export {};
