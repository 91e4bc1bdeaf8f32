// The v2 contract check on the Databricks fixture (token pagination, int64 ids answered alone,
// an idempotency token in the body, the status in two nested fields), and that it finds drift.
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadSpec } from '../lib/openapi.mjs';
import { contractIssues, describeContractCoverage } from './contract-coverage.js';
import { databricksContract } from './fixture-contracts.js';

const FIXTURE = fileURLToPath(new URL('../release/fixtures/databricks.yaml', import.meta.url));
const OPS = { trigger: 'runNow', get: 'getRun', list: 'listRuns' };

describeContractCoverage('databricks fixture', FIXTURE, databricksContract, OPS);

describe('contractIssues', () => {
  it('names each part that drifts from the spec', () => {
    const drifted = {
      ...databricksContract,
      status: { field: 'status.phase', table: { done: 'succeeded' as const } },
      runId: 'string' as const,
      idempotency: { in: 'header' as const, name: 'Idempotency-Key' },
      pagination: {
        style: 'token' as const,
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
