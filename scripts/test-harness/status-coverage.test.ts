// The status-spec check on a spec whose status is two nested fields (the Databricks fixture:
// `status.state` + `status.termination_details.code`), with a table of every combination.
import { fileURLToPath } from 'node:url';
import type { CombinedStatusSpec } from '../../packages/core/src/job/run-status.js';
import { describeStatusSpecCoverage } from './status-coverage.js';

const FIXTURE = fileURLToPath(new URL('../release/fixtures/databricks.yaml', import.meta.url));

const failed = [
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
    ...Object.fromEntries(failed.map((code) => [`terminated/${code.toLowerCase()}`, 'failed' as const])),
  },
};

describeStatusSpecCoverage('databricks fixture', FIXTURE, databricksStatus, 'getRun');
