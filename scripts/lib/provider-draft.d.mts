// Types of provider-draft.mjs.
import type { OpenApiDocument } from './openapi.mjs';

export interface DraftedFlag {
  name: string;
  field: string;
  kind: 'string' | 'boolean' | 'list' | 'pairs' | 'json';
  value?: string;
  help: string;
  json?: boolean;
  required?: boolean;
}

export interface DraftedOperation {
  operationId: string;
  method: string;
  path: string;
  param?: string;
  hasBody?: boolean;
}

export interface ProviderDraft {
  trigger: DraftedOperation;
  get: DraftedOperation & { param: string };
  cancel: (DraftedOperation & { param: string }) | undefined;
  statusField: string;
  idField: string;
  statusSource: 'enum' | 'examples' | undefined;
  statuses: { word: string; status: string | undefined }[];
  flags: DraftedFlag[];
  notes: string[];
}

export function draftProvider(spec: OpenApiDocument): ProviderDraft;
export function documentedStatusWords(
  spec: OpenApiDocument,
  operationId: string,
  field: string,
): { words: string[]; source: 'enum' | 'examples' | undefined };
export function likelyStatus(word: string): string | undefined;
export function statusWords(
  spec: OpenApiDocument,
  schema: unknown,
): { words: string[]; source: 'enum' | 'examples' | undefined };
export function schemaAt(spec: OpenApiDocument, schema: unknown, dotted: string): unknown;
export function successSchema(spec: OpenApiDocument, entry: unknown): unknown;
export function envNames(
  spec: OpenApiDocument,
  flags: { apiKey?: string; baseUrl?: string; prefix?: string },
  CONST: string,
): { apiKey: string; baseUrl: string; origin: 'flag' | 'spec' | 'convention' };
export function withRegistration(source: string, line: string): string;
