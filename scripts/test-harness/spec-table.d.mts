// Types of spec-table.mjs for the TypeScript test files.
export interface RequestParts {
  path?: Record<string, unknown>;
  query?: Record<string, unknown>;
  body?: unknown;
}

export interface SpecOperation {
  provider: string;
  operationId: string;
  method: string;
  url: string;
  parameters: Array<{ name: string; in: string; required?: boolean; schema?: unknown }>;
  bodySchema: unknown;
  bodyExamples: Array<{ name: string; value: unknown }>;
  /** A valid request assembled from the spec's parameter and body examples. */
  request: RequestParts;
  /** Documented response statuses as written in the spec (`'200'`, `'404'`, …). */
  statuses: string[];
}

export interface InvalidVariant {
  at: Array<string | number>;
  /** `body.agent_id`, `query.limit`, … */
  path: string;
  rule: string;
  drop?: boolean;
  value?: unknown;
  request: RequestParts;
}

export function pairTag(provider: string, operationId: string, status: string): string;
export function loadOperations(provider: string): SpecOperation[];
export function listStatusPairs(): Array<{ provider: string; operationId: string; status: string }>;
export function formatPath(at: Array<string | number>): string;
export function negativeCorpus(operation: SpecOperation): InvalidVariant[];
/** Where the request schemas use a keyword the generated validators drop, e.g. `body.input not`. */
export function droppedRequestKeywords(operation: SpecOperation): string[];
