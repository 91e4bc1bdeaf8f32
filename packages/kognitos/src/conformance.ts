// Kognitos's live conformance plan (`anyjob doctor kognitos`, `pnpm contract:live kognitos`),
// loaded on first use. Read operations only, a handful of requests: health → the agent's
// processes → one process (--process, else the first listed) → its runs → the first run. Every
// answer is checked against the schemas generated from specs/kognitos.yaml (conformance.gen.ts).
import { defineConformance, firstItem, fromInput } from '@anyjob/core/conformance';
import { createKognitosClient, resolveKognitosBaseUrl } from './client.js';
import { conformance } from './generated/conformance.gen.js';
import * as sdk from './generated/sdk.gen.js';
import type { KognitosSettings } from './provider.js';

const agent_id = fromInput('agentId');
const process_id = fromInput('processId', firstItem('listProcesses', 'items', 'id'));
/** Items per list: enough to see a few shapes, one request each. */
const limit = 10;

export const checkConformance = defineConformance<KognitosSettings, keyof typeof conformance>({
  provider: 'kognitos',
  operations: conformance,
  createClient: createKognitosClient,
  resolveBaseUrl: resolveKognitosBaseUrl,
  required: ['agentId'],
  reads: [
    { operation: 'getHealth', send: sdk.kognitosGetHealth },
    { operation: 'listProcesses', send: sdk.kognitosListProcesses, query: { agent_id, limit } },
    {
      operation: 'getProcess',
      send: sdk.kognitosGetProcess,
      path: { process_id },
      query: { agent_id },
      skip: 'no process to read: the agent listed none',
    },
    {
      operation: 'listRuns',
      send: sdk.kognitosListRuns,
      query: { agent_id, process_id, limit },
      skip: 'no process to list the runs of',
    },
    {
      operation: 'getRun',
      send: sdk.kognitosGetRun,
      path: { run_id: firstItem('listRuns', 'items', 'id') },
      skip: 'no run to read: the process listed none',
    },
  ],
});
