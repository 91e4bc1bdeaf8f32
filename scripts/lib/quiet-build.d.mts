// Types of quiet-build.mjs for the TypeScript test files.

/** `turbo run build --filter=<filter>`, silent unless it fails (then it prints turbo's output and throws). */
export function buildQuietly(filter: string): void;
