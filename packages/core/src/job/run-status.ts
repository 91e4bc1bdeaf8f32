// Where a run's status lives in the provider's answer, declared as data: one field with a table of
// its words (today's StatusTable), several fields with a table keyed by the combination of their
// words (`completed/failure`), or a function with the table of every combination it understands.
// Core reads the status with readRunStatus; a test checks each field's words against the spec.
import { type JobStatus, mapStatus, type StatusTable } from './status.js';

/** The status is one field's word: `{ field: 'status', table: { running: 'running', … } }`. */
export interface FieldStatusSpec {
  /** Dotted path of the status field in the run object (`status.state`). */
  readonly field: string;
  readonly table: StatusTable;
}

/**
 * The status is the combination of several fields' words. Table keys are the words joined with
 * `/` in the order of `fields`, lower-case (`completed/failure`). `*` stands for any word, an absent
 * field included, and a key with fewer words than fields has `*` for the rest (`queued` =
 * `queued/*`). The most specific key wins: an exact word beats `*`, leftmost fields first.
 */
export interface CombinedStatusSpec {
  readonly fields: readonly string[];
  readonly table: StatusTable;
}

/**
 * The status needs logic no table says (a fallback field, a word that depends on another field):
 * `map` gets each field's word in lower case (undefined where absent). `table` lists every combination `map`
 * understands, keyed like CombinedStatusSpec without `*`, so a test can check it against the spec
 * and against `map` itself.
 */
export interface MappedStatusSpec {
  readonly fields: readonly string[];
  readonly map: (words: readonly (string | undefined)[]) => JobStatus;
  readonly table: StatusTable;
}

/** How a run's status is read from the provider's run object. */
export type StatusSpec = FieldStatusSpec | CombinedStatusSpec | MappedStatusSpec;

/** A run's neutral status and the provider's own words (`completed/failure`). */
export interface RunStatus {
  status: JobStatus;
  /** Every field's word joined with `/`, absent trailing words dropped; undefined when none is set. */
  providerStatus: string | undefined;
}

/** The value at a dotted path (`status.termination_details.code`), or undefined. */
export function valueAt(value: unknown, path: string): unknown {
  let current = value;
  for (const key of path.split('.')) {
    if (typeof current !== 'object' || current === null || !Object.hasOwn(current, key)) return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

/** The fields a spec reads, in order. */
export function statusFields(spec: StatusSpec): readonly string[] {
  return 'field' in spec ? [spec.field] : spec.fields;
}

function wordAt(run: unknown, path: string): string | undefined {
  const value = valueAt(run, path);
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** The combination key of some words: joined with `/`, absent trailing words dropped. */
export function statusKey(words: readonly (string | undefined)[]): string {
  const parts = words.map((word) => word ?? '');
  while (parts.length > 0 && parts[parts.length - 1] === '') parts.pop();
  return parts.join('/');
}

/**
 * The table entry for some words: each word is tried exactly and as `*`, combinations with fewer
 * `*` first and, among those, exact words on the left first.
 */
export function lookUpCombination(table: StatusTable, words: readonly (string | undefined)[]): JobStatus {
  const n = words.length;
  const masks = Array.from({ length: 2 ** n }, (_, mask) => mask).sort(
    (a, b) => bitCount(a) - bitCount(b) || a - b,
  );
  for (const mask of masks) {
    // Bit i (from the right end) set: the i-th word from the end is `*`, so low masks keep the left exact.
    const parts = words.map((word, i) => (mask & (1 << (n - 1 - i)) ? '*' : word?.toLowerCase()));
    if (parts.includes(undefined)) continue;
    for (let keep = n; keep >= 1; keep--) {
      // Trailing `*` may be left out of a key.
      if (keep < n && parts.slice(keep).some((part) => part !== '*')) break;
      const key = parts.slice(0, keep).join('/');
      if (Object.hasOwn(table, key)) return table[key];
    }
  }
  return 'unknown';
}

function bitCount(mask: number): number {
  let count = 0;
  for (let m = mask; m > 0; m >>= 1) count += m & 1;
  return count;
}

/** Reads a run's status by its spec: `{ status: 'failed', providerStatus: 'completed/failure' }`. */
export function readRunStatus(spec: StatusSpec, run: unknown): RunStatus {
  const words = statusFields(spec).map((field) => wordAt(run, field));
  const key = statusKey(words);
  const providerStatus = key === '' ? undefined : key;
  if ('field' in spec) return { status: mapStatus(spec.table, words[0]), providerStatus };
  if ('map' in spec) return { status: spec.map(words.map((word) => word?.toLowerCase())), providerStatus };
  return { status: lookUpCombination(spec.table, words), providerStatus };
}

/** One problem of a status spec against the words its spec documents. */
export interface StatusSpecIssue {
  /** The field (dotted path) or table key concerned. */
  path: string;
  message: string;
}

/**
 * Checks a status spec against the words the API's spec documents for each field (its enum or
 * examples), for a provider's status test: every documented word must be in a key (or the field
 * must have an explicit `*` in one), every word a key names must be documented, and a MappedStatusSpec's
 * `map` must agree with its table. An empty list means the spec covers the API.
 */
export function statusSpecIssues(
  spec: StatusSpec,
  documented: Readonly<Record<string, readonly string[]>>,
): StatusSpecIssue[] {
  const fields = statusFields(spec);
  const issues: StatusSpecIssue[] = [];
  const keys = Object.keys(spec.table).map((key) => key.split('/'));
  fields.forEach((field, index) => {
    const words = (documented[field] ?? []).map((word) => word.toLowerCase());
    if (words.length === 0) {
      issues.push({ path: field, message: 'the spec documents no words for this field' });
      return;
    }
    // A key shorter than the fields (`queued`) says nothing of the later fields' words: only an
    // explicit `*` covers every word of a field.
    const inKeys = new Set(keys.map((parts) => parts[index]).filter((part) => part !== undefined));
    const missing = inKeys.has('*') ? [] : words.filter((word) => !inKeys.has(word));
    if (missing.length > 0) {
      issues.push({ path: field, message: `words in no table key: ${missing.join(', ')}` });
    }
    const unknown = [...inKeys].filter((word) => word !== '*' && word !== '' && !words.includes(word));
    if (unknown.length > 0) {
      issues.push({ path: field, message: `table words the spec does not document: ${unknown.join(', ')}` });
    }
  });
  for (const parts of keys) {
    if (parts.length > fields.length) {
      issues.push({
        path: parts.join('/'),
        message: `has ${parts.length} words for ${fields.length} field(s)`,
      });
    }
  }
  if ('map' in spec) {
    for (const [key, expected] of Object.entries(spec.table)) {
      const words = fields.map((_, i) => key.split('/')[i] || undefined);
      const actual = spec.map(words);
      if (actual !== expected) {
        issues.push({ path: key, message: `map answers ${actual}, the table says ${expected}` });
      }
    }
  }
  return issues;
}
