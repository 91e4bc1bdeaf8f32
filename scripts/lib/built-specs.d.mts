// Types of built-specs.mjs for the TypeScript test files.
import type { OpenApiDocument } from './openapi.mjs';
import type { UnmatchedAction } from './overlay.mjs';

export const overlaysDir: string;
export const sharedSeedsDir: string;
export function listBuiltProviders(): string[];
export function overlayPath(provider: string): string;
// biome-ignore lint/suspicious/noExplicitAny: a parsed overlay document is untyped YAML
export function loadOverlay(provider: string): any;
export function recordedUpstream(overlay: unknown, seedsDir?: string): string[];
export function buildSpec(
  paths: string[],
  overlay: unknown,
): { document: OpenApiDocument; unmatched: UnmatchedAction[] };
export function serializeSpec(provider: string, document: OpenApiDocument): string;
