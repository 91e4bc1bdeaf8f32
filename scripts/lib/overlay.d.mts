// Types of overlay.mjs for the TypeScript test files.
import type { OpenApiDocument } from './openapi.mjs';

export interface OverlayAction {
  target: string;
  description?: string;
  update?: unknown;
  remove?: boolean;
}

export interface UnmatchedAction {
  /** Position in `actions`, from 0. */
  index: number;
  action: OverlayAction;
  /** `action 3 ("its description", target $.…)`: how errors and reports name it. */
  label: string;
}

export function checkOverlay(overlay: unknown): void;
export function applyOverlay(
  document: OpenApiDocument,
  overlay: unknown,
): { document: OpenApiDocument; unmatched: UnmatchedAction[] };
