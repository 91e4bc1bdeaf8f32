// The status table of a provider descriptor against its spec: every status word the spec
// documents (an enum, or the examples of an open string) must be in the table, so a new provider
// status fails CI instead of making waits poll forever on `unknown`.

import { describe, expect, it } from 'vitest';
import { type StatusSpec, statusFields, statusSpecIssues } from '../../packages/core/src/job/run-status.js';
import { loadSpec } from '../lib/openapi.mjs';
import { documentedStatusWords } from '../lib/provider-draft.mjs';
import { listProviders } from '../lib/providers.mjs';

const JOB_STATUSES = ['queued', 'running', 'succeeded', 'failed', 'canceled', 'timed_out', 'unknown'];

export interface StatusSource {
  /** The operation whose success answer carries the run status. */
  operationId: string;
  /** The status field in that answer, dotted (`data.status`). */
  field: string;
}

export function describeStatusCoverage(
  descriptor: { name: string; statuses: Readonly<Record<string, string>> },
  source: StatusSource,
): void {
  describe(`${descriptor.name} status table against specs/${descriptor.name}.yaml`, () => {
    const spec = loadSpec(listProviders().find((p) => p.name === descriptor.name)?.specPath as string);
    const { words, source: kind } = documentedStatusWords(spec, source.operationId, source.field);

    it(`maps every status word the spec documents for ${source.operationId} ${source.field}`, () => {
      expect(words.length, 'the spec documents no status words').toBeGreaterThan(0);
      const unmapped = words.filter((word) => !Object.hasOwn(descriptor.statuses, word.toLowerCase()));
      expect(unmapped, `add these ${kind} words to the status table`).toEqual([]);
    });

    it('maps to anyjob statuses only, and has a success', () => {
      for (const status of Object.values(descriptor.statuses)) expect(JOB_STATUSES).toContain(status);
      expect(Object.values(descriptor.statuses)).toContain('succeeded');
    });
  });
}

/**
 * A status spec (`@anyjob/core`'s StatusSpec: one field, several fields, or a function with its
 * table) against a spec document: each field's documented words (enum or examples) must be in the
 * table, the table must name no undocumented word, and a function must agree with its table.
 */
export function describeStatusSpecCoverage(
  name: string,
  specPath: string,
  statusSpec: StatusSpec,
  operationId: string,
): void {
  describe(`${name} status spec against ${specPath}`, () => {
    const spec = loadSpec(specPath);
    it(`covers the words ${operationId} documents for ${statusFields(statusSpec).join(', ')}`, () => {
      const documented = Object.fromEntries(
        statusFields(statusSpec).map((field) => [
          field,
          documentedStatusWords(spec, operationId, field).words as string[],
        ]),
      );
      expect(statusSpecIssues(statusSpec, documented)).toEqual([]);
    });

    it('maps to anyjob statuses only, and has a success', () => {
      for (const status of Object.values(statusSpec.table)) expect(JOB_STATUSES).toContain(status);
      expect(Object.values(statusSpec.table)).toContain('succeeded');
    });
  });
}
