// Databricks' live conformance plan (`anyjob doctor databricks`, `pnpm contract:live databricks`),
// loaded on first use. Read-only, two requests: list runs (of --job-id, else of every job) → read
// the first. Every answer is checked against the schemas generated from specs/databricks.yaml.
import type { ConformanceModule } from '@anyjob/core';
import type { ConformancePlan } from '@anyjob/core/conformance';
import { runConformance } from '@anyjob/core/conformance';
import { idText } from '@anyjob/core/internal';
import { createDatabricksClient, resolveDatabricksBaseUrl } from './client.js';
import { conformance, type ReadOperation } from './generated/conformance.gen.js';
import { databricksGetRun, databricksListRuns } from './generated/sdk.gen.js';
import { databricksId } from './ids.js';
import type { DatabricksSettings } from './provider.js';

const plan: ConformancePlan<{ jobId?: string }, ReadOperation> = {
  provider: 'databricks',
  spec: 'specs/databricks.yaml',
  operations: conformance,
  steps: [
    {
      operation: 'listRuns',
      call: ({ sdk, input }) =>
        databricksListRuns({
          ...sdk,
          query: { limit: 5, ...(input.jobId ? { job_id: input.jobId as never } : {}) },
        }),
    },
    {
      operation: 'getRun',
      call: ({ sdk, answers }) => {
        const runId = idText((answers.listRuns as { runs?: { run_id?: unknown }[] })?.runs?.[0]?.run_id);
        if (runId === undefined) return 'no run to read: the list was empty';
        return databricksGetRun({ ...sdk, query: { run_id: runId as never } });
      },
    },
  ],
};

export const checkConformance: ConformanceModule<DatabricksSettings>['checkConformance'] = async (
  settings,
  input,
  options,
) => {
  const jobId =
    input.jobId === undefined ? undefined : databricksId(input.jobId, 'jobId', 'checkConformance');
  return runConformance({
    plan,
    input: { jobId },
    baseUrl: resolveDatabricksBaseUrl(settings),
    createClient: (fetch) =>
      createDatabricksClient({ ...settings, fetch, validateRequests: false, validateResponses: false }),
    fetch: settings.fetch,
    signal: options?.signal,
  });
};
