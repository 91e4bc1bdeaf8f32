// Contract v2 data for fixture specs that have no provider package yet, for the harness's tests:
// what a provider author would declare in a v2 descriptor for the Databricks fixture.
import type { ProviderContract } from '../../packages/core/src/job/contract-v2.js';
import type { CombinedStatusSpec } from '../../packages/core/src/job/run-status.js';

const FAILED_CODES = [
  'INTERNAL_ERROR',
  'DRIVER_ERROR',
  'CLUSTER_ERROR',
  'REPOSITORY_CHECKOUT_FAILED',
  'INVALID_CLUSTER_REQUEST',
  'WORKSPACE_RUN_LIMIT_EXCEEDED',
  'FEATURE_DISABLED',
  'CLUSTER_REQUEST_LIMIT_EXCEEDED',
  'STORAGE_ACCESS_ERROR',
  'RUN_EXECUTION_ERROR',
  'UNAUTHORIZED_ERROR',
  'LIBRARY_INSTALLATION_ERROR',
  'MAX_CONCURRENT_RUNS_EXCEEDED',
  'MAX_SPARK_CONTEXTS_EXCEEDED',
  'RESOURCE_NOT_FOUND',
  'INVALID_RUN_CONFIGURATION',
  'CLOUD_FAILURE',
  'MAX_JOB_QUEUE_SIZE_EXCEEDED',
  'DISABLED',
  'BREAKING_CHANGE',
  'BUDGET_POLICY_LIMIT_EXCEEDED',
  'SUCCESS_WITH_FAILURES',
];

/** `status.state` + `status.termination_details.code`, every combination the fixture documents. */
export const databricksStatus: CombinedStatusSpec = {
  fields: ['status.state', 'status.termination_details.code'],
  table: {
    blocked: 'queued',
    pending: 'queued',
    queued: 'queued',
    waiting: 'queued',
    running: 'running',
    terminating: 'running',
    'terminated/success': 'succeeded',
    'terminated/skipped': 'canceled',
    'terminated/canceled': 'canceled',
    'terminated/user_canceled': 'canceled',
    'terminated/cluster_terminated_by_user': 'canceled',
    ...Object.fromEntries(
      FAILED_CODES.map((code) => [`terminated/${code.toLowerCase()}`, 'failed' as const]),
    ),
  },
};

export const databricksContract: ProviderContract = {
  status: databricksStatus,
  pagination: {
    style: 'token',
    tokenParam: 'page_token',
    nextToken: 'next_page_token',
    sizeParam: 'limit',
    items: 'runs',
    defaultPageSize: 20,
    maxPageSize: 25,
  },
  runId: 'integer',
  idempotency: { in: 'body', name: 'idempotency_token', maxLength: 64 },
  triggerAnswer: { kind: 'id', field: 'run_id' },
};
