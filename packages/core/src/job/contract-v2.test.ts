// A v2 descriptor beside v1: defineJobProvider takes either; a v2 one carries its contract as data
// and its statuses default to the status spec's table.
import { describe, expect, it } from 'vitest';
import type { ProviderContract } from './contract-v2.js';
import {
  defineJobProvider,
  type JobProviderDescriptorV2,
  type JobProviderModule,
  SPECIFICATION_VERSIONS,
} from './provider.js';
import { readRunStatus } from './run-status.js';

const common = {
  displayName: 'Acme',
  synchronousRuns: false,
  capabilities: { cancel: true, list: true },
  env: { apiKey: ['ACME_TOKEN'], baseUrl: ['ACME_HOST'] },
  cli: { summary: 'Acme jobs.', usage: [], flags: [] },
  refs: { check: (ref: unknown) => ref as { provider: 'acme' }, runId: () => '1' },
  load: async () =>
    ({ createJobProvider: () => ({}) }) as unknown as JobProviderModule<never, never, never, never>,
};

const contract: ProviderContract = {
  status: {
    fields: ['status.state', 'status.termination_details.code'],
    table: { running: 'running', 'terminated/success': 'succeeded', 'terminated/*': 'failed' },
  },
  pagination: { style: 'token', tokenParam: 'page_token', nextToken: 'next_page_token', items: 'runs' },
  runId: 'integer',
  idempotency: { in: 'body', name: 'idempotency_token', maxLength: 64 },
  triggerAnswer: { kind: 'id', field: 'run_id' },
};

describe('defineJobProvider, v1 and v2', () => {
  it('writes v1 for a descriptor with a status table and no contract', () => {
    const v1 = defineJobProvider({ ...common, name: 'acme', statuses: { done: 'succeeded' } });
    expect(v1.specificationVersion).toBe('v1');
    expect(v1.contract).toBeUndefined();
    expect(v1.create().specificationVersion).toBe('v1');
  });

  it('writes v2 for a descriptor with a contract, its statuses from the status spec', () => {
    const v2 = defineJobProvider({ ...common, name: 'acme', contract }) as JobProviderDescriptorV2;
    expect(v2.specificationVersion).toBe('v2');
    expect(v2.create().specificationVersion).toBe('v2');
    expect(v2.statuses).toBe(contract.status.table);
    expect(
      readRunStatus(v2.contract.status, {
        status: { state: 'TERMINATED', termination_details: { code: 'DRIVER_ERROR' } },
      }),
    ).toEqual({
      status: 'failed',
      providerStatus: 'TERMINATED/DRIVER_ERROR',
    });
    expect(SPECIFICATION_VERSIONS).toEqual(['v1', 'v2']);
  });
});
