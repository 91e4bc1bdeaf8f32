// Types of upstream.mjs for the TypeScript test files.
import type { OpenApiDocument } from './openapi.mjs';

export function extractDocuments(text: string, source?: string): OpenApiDocument[];
export function readPublishedDocuments(paths: string[]): Array<{ source: string; document: OpenApiDocument }>;
export function mergeDocuments(
  entries: Array<{ source: string; document: OpenApiDocument }>,
): OpenApiDocument;
export function loadPublished(paths: string[]): OpenApiDocument;
