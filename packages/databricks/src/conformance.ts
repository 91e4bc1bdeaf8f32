// Databricks' live conformance plan (`anyjob doctor databricks`, `pnpm contract:live databricks`),
// loaded on first use. Read-only, two requests: list runs (of --job-id, else of every job) → read
// the first. Every answer is checked against the schemas generated from specs/databricks.yaml.
import { defineConformance, firstItem, fromInput } from '@anyjob/core/conformance';
import { createDatabricksClient, resolveDatabricksBaseUrl } from './client.js';
import { conformance } from './generated/conformance.gen.js';
import { databricksGetRun, databricksListRuns } from './generated/sdk.gen.js';
import { databricksId } from './ids.js';
import type { DatabricksSettings } from './provider.js';

export const checkConformance = defineConformance<DatabricksSettings, keyof typeof conformance>({
  provider: 'databricks',
  operations: conformance,
  createClient: createDatabricksClient,
  resolveBaseUrl: resolveDatabricksBaseUrl,
  prepare: ({ jobId }) => ({
    jobId: jobId === undefined ? undefined : databricksId(jobId, 'jobId', 'checkConformance'),
  }),
  reads: [
    { operation: 'listRuns', send: databricksListRuns, query: { limit: 5, job_id: fromInput('jobId') } },
    {
      operation: 'getRun',
      send: databricksGetRun,
      query: { run_id: firstItem('listRuns', 'runs', 'run_id') },
      skip: 'no run to read: the list was empty',
    },
  ],
});
