// TrueFoundry's live conformance plan (`anyjob doctor truefoundry`, `pnpm contract:live
// truefoundry`), loaded on first use. Read operations only, two requests: the newest runs of
// --application → the first of them. Every answer is checked against the schemas generated from
// specs/truefoundry.yaml (conformance.gen.ts).
import type { ConformanceModule } from '@anyjob/core';
import { type ConformancePlan, firstOf, requireInput, runConformance } from '@anyjob/core/conformance';
import { createTrueFoundryClient, resolveTrueFoundryBaseUrl } from './client.js';
import { conformance, type ReadOperation } from './generated/conformance.gen.js';
import { truefoundryGetJobRun, truefoundryListJobRuns } from './generated/sdk.gen.js';
import type { TrueFoundrySettings } from './provider.js';

interface Input {
  applicationId: string;
}

/** Runs per list: enough to see a few statuses, one request. */
const SAMPLE = 10;

const plan: ConformancePlan<Input, ReadOperation> = {
  provider: 'truefoundry',
  spec: 'specs/truefoundry.yaml',
  operations: conformance,
  steps: [
    {
      operation: 'listJobRuns',
      call: ({ sdk, input }) =>
        truefoundryListJobRuns({
          ...sdk,
          path: { jobId: input.applicationId },
          query: { limit: SAMPLE, sortBy: 'startTime', order: 'desc' },
        }),
    },
    {
      operation: 'getJobRun',
      call: ({ sdk, input, answers }) => {
        const jobRunName = firstOf(answers.listJobRuns, 'data', 'name');
        if (jobRunName === undefined) return 'no run to read: the job listed none';
        return truefoundryGetJobRun({ ...sdk, path: { jobId: input.applicationId, jobRunName } });
      },
    },
  ],
};

export const checkConformance: ConformanceModule<TrueFoundrySettings>['checkConformance'] = async (
  settings,
  input,
  options,
) => {
  requireInput('truefoundry', input, ['applicationId']);
  return runConformance({
    plan,
    input: input as unknown as Input,
    baseUrl: resolveTrueFoundryBaseUrl(settings),
    // Requests are not checked against the spec first: what the API says of them is the report.
    createClient: (fetch) =>
      createTrueFoundryClient({ ...settings, fetch, validateRequests: false, validateResponses: false }),
    fetch: settings.fetch,
    signal: options?.signal,
  });
};
