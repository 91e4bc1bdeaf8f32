// The list side of a trigger search (reconcile.ts decides what a match proves): the runs of a list
// created inside the trigger's window, widened by how far the provider's clock may be from ours,
// and matching what the request sent. One scan for every provider's `search.find`.
import type { Page } from './list.js';
import type { TriggerWindow } from './reconcile.js';

/** A trigger window widened by a clock skew: its bounds in epoch ms and in words for messages. */
export interface SkewedWindow {
  from: number;
  to: number;
  /** `2026-12-06T22:00:00.000Z and 2026-12-06T22:02:00.000Z` */
  text: string;
}

export function skewedWindow(window: TriggerWindow, skewMs: number): SkewedWindow {
  const from = window.sentAt - skewMs;
  const to = window.endedAt + skewMs;
  return { from, to, text: `${new Date(from).toISOString()} and ${new Date(to).toISOString()}` };
}

export interface RunScan<Run> {
  window: SkewedWindow;
  /** When the provider created the run, in epoch ms; undefined where the run does not say. */
  createdAtMs(run: Run): number | undefined;
  /** What else the run must share with the request (a name, a deployment). */
  matches(run: Run): boolean;
  /** A run without a creation time is skipped (it cannot be placed in the window). Default false. */
  requireTime?: boolean;
  /** The list is newest first: once a page reaches runs older than the window, later pages hold none. */
  newestFirst?: boolean;
}

/** The runs of `pages` created in the window that match, reading no page after the window ends. */
export async function scanRuns<Run>(pages: AsyncIterable<Page<Run>>, scan: RunScan<Run>): Promise<Run[]> {
  const found: Run[] = [];
  for await (const { items } of pages) {
    let older = false;
    for (const run of items) {
      const created = scan.createdAtMs(run);
      if (created === undefined && scan.requireTime) continue;
      if (created !== undefined && created < scan.window.from) older = true;
      if (created !== undefined && (created < scan.window.from || created > scan.window.to)) continue;
      if (scan.matches(run)) found.push(run);
    }
    if (older && scan.newestFirst) break;
  }
  return found;
}
