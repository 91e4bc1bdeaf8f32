// Rendering of runs: one JSON document for machines, a few short lines for people.
import type { JobRun } from 'anyjob';
import { formatDuration } from './duration.js';

/** `--json`: exactly one document on stdout, the JobRun with its ref. */
export function formatJson(run: unknown): string {
  return `${JSON.stringify(run, null, 2)}\n`;
}

export function describeStatus(run: Pick<JobRun, 'status' | 'providerStatus'>): string {
  return run.providerStatus ? `${run.status} (${run.providerStatus})` : run.status;
}

/** The one-line summary: `truefoundry run my-job-4f8z2: succeeded (FINISHED) in 12.3s`. */
export function summaryLine(run: JobRun, elapsedMs?: number): string {
  const took = elapsedMs === undefined ? '' : ` in ${formatDuration(elapsedMs)}`;
  return `${run.provider} run ${run.id}: ${describeStatus(run)}${took}`;
}

function formatValue(value: unknown): string {
  if (typeof value === 'string') return value.includes('\n') ? JSON.stringify(value) : value;
  return JSON.stringify(value);
}

/** `name: value` lines for the outputs; nested values stay JSON so they can be copied. */
export function outputLines(output: Record<string, unknown> | undefined): string[] {
  if (!output || Object.keys(output).length === 0) return [];
  return ['outputs:', ...Object.entries(output).map(([name, value]) => `  ${name}: ${formatValue(value)}`)];
}

export interface HumanOptions {
  elapsedMs?: number;
  /** Print the ref, so the run can be followed with `anyjob wait -` (only while it is not final). */
  showRef: boolean;
}

export function formatHuman(run: JobRun, options: HumanOptions): string {
  const lines = [summaryLine(run, options.elapsedMs)];
  if (run.url) lines.push(`url: ${run.url}`);
  if (run.error) lines.push(`error: ${run.error}`);
  lines.push(...outputLines(run.output));
  if (options.showRef) lines.push(`ref: ${JSON.stringify(run.ref)}`);
  return `${lines.join('\n')}\n`;
}

/** A table with a header row; columns padded to their widest cell. */
export function formatTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => (row[column] ?? '').length)),
  );
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, column) => (column === cells.length - 1 ? cell : cell.padEnd(widths[column])))
      .join('  ')
      .trimEnd();
  return `${[line(header), ...rows.map(line)].join('\n')}\n`;
}

/** One row per run: id, status, error. */
export function runRows(runs: readonly JobRun[]): string[][] {
  return runs.map((run) => [run.provider, run.id, describeStatus(run), run.error ?? '']);
}

export const RUN_TABLE_HEADER = ['PROVIDER', 'RUN', 'STATUS', 'ERROR'];

/** `--json` for lists and multi-run waits: one compact JSON document per line. */
export function formatJsonLine(value: unknown): string {
  return `${JSON.stringify(value)}\n`;
}
