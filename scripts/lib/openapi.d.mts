// Types of openapi.mjs for the TypeScript test files.
// biome-ignore lint/suspicious/noExplicitAny: a parsed OpenAPI document is untyped JSON
export type OpenApiDocument = any;

export interface OperationEntry {
  /** Lower-case HTTP method: `get`, `post`, … */
  method: string;
  path: string;
  pathItem: Record<string, unknown>;
  operation: Record<string, unknown>;
  /** Path-level and operation-level parameters merged (the operation's win), each resolved. */
  parameters: Array<{ name: string; in: string; required?: boolean; schema?: unknown }>;
  requestBody: Record<string, unknown> | undefined;
  /** As written: entries may be `$ref`s. */
  responses: Record<string, unknown>;
}

export const HTTP_METHODS: readonly string[];
export function parseSpec(text: string): OpenApiDocument;
export function loadSpec(path: string): OpenApiDocument;
export function getByRef(spec: OpenApiDocument, ref: string): unknown;
export function resolveRef<T = unknown>(spec: OpenApiDocument, node: T): unknown;
export function listOperations(spec: OpenApiDocument): OperationEntry[];
export function forEachOperation(spec: OpenApiDocument, visit: (entry: OperationEntry) => void): void;
export function inlineRefs<T = unknown>(
  spec: OpenApiDocument,
  node: T,
  onCycle?: (ref: string) => unknown,
  stack?: readonly string[],
): unknown;
