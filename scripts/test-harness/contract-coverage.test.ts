// The v2 contract check on the fixture spec of each registered provider that has one (see
// fixture-providers.ts), and that the check finds drift: a contract wrong in status, run id,
// idempotency and pagination against the Databricks fixture (token pagination, int64 ids answered
// alone, an idempotency token in the body, the status in two nested fields).
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { ProviderContract } from '../../packages/core/src/job/contract-v2.js';
import { loadSpec } from '../lib/openapi.mjs';
import { contractIssues, describeContractCoverage } from './contract-coverage.js';
import { fixtureProviders } from './fixture-providers.js';

for (const { name, fixture, contract, operations } of fixtureProviders)
  describeContractCoverage(`${name} fixture`, fixture, contract, operations);

const FIXTURE = fileURLToPath(new URL('../release/fixtures/databricks.yaml', import.meta.url));
const OPS = { trigger: 'runNow', get: 'getRun', list: 'listRuns' };

describe('contractIssues', () => {
  it('names each part that drifts from the spec', () => {
    const drifted: ProviderContract = {
      triggerAnswer: { kind: 'id', field: 'run_id' },
      status: { field: 'status.phase', table: { done: 'succeeded' } },
      runId: 'string',
      idempotency: { in: 'header', name: 'Idempotency-Key' },
      pagination: {
        style: 'token',
        tokenParam: 'cursor',
        nextToken: 'next',
        sizeParam: 'limit',
        items: 'items',
        maxPageSize: 100,
      },
    };
    expect(contractIssues(loadSpec(FIXTURE), drifted, OPS)).toEqual([
      "status: getRun's answer has no status.phase",
      "runId: runNow's run_id is integer, the contract says string",
      'idempotency: runNow has no header Idempotency-Key',
      'pagination: listRuns has no query parameter cursor',
      'pagination: maxPageSize 100 where the spec says 25',
      "pagination: listRuns's answer has no array at items",
      "pagination: listRuns's answer has no next",
    ]);
  });
});
