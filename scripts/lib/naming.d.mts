// Types of naming.mjs for the TypeScript test files.

/** `acme-jobs` → `acmeJobs`. */
export function camelProvider(provider: string): string;
/** The generated SDK function of an operation: `<provider><OperationId>`. */
export function sdkFunctionName(provider: string, operationId: string): string;
