// TrueFoundry's live conformance plan (`anyjob doctor truefoundry`, `pnpm contract:live
// truefoundry`), loaded on first use. Read operations only, two requests: the newest runs of
// --application → the first of them. Every answer is checked against the schemas generated from
// specs/truefoundry.yaml (conformance.gen.ts).
import { defineConformance, firstItem, fromInput } from '@anyjob/core/conformance';
import { createTrueFoundryClient, resolveTrueFoundryBaseUrl } from './client.js';
import { conformance } from './generated/conformance.gen.js';
import { truefoundryGetJobRun, truefoundryListJobRuns } from './generated/sdk.gen.js';
import type { TrueFoundrySettings } from './provider.js';

const jobId = fromInput('applicationId');

export const checkConformance = defineConformance<TrueFoundrySettings, keyof typeof conformance>({
  provider: 'truefoundry',
  operations: conformance,
  createClient: createTrueFoundryClient,
  resolveBaseUrl: resolveTrueFoundryBaseUrl,
  required: ['applicationId'],
  reads: [
    {
      operation: 'listJobRuns',
      send: truefoundryListJobRuns,
      path: { jobId },
      // Enough runs to see a few statuses, one request.
      query: { limit: 10, sortBy: 'startTime', order: 'desc' },
    },
    {
      operation: 'getJobRun',
      send: truefoundryGetJobRun,
      path: { jobId, jobRunName: firstItem('listJobRuns', 'data', 'name') },
      skip: 'no run to read: the job listed none',
    },
  ],
});
