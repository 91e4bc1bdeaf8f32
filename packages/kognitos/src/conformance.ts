// Kognitos's live conformance plan (`anyjob doctor kognitos`, `pnpm contract:live kognitos`),
// loaded on first use. Read operations only, a handful of requests: health → the agent's
// processes → one process (--process, else the first listed) → its runs → the first run. Every
// answer is checked against the schemas generated from specs/kognitos.yaml (conformance.gen.ts).
import type { ConformanceModule } from '@anyjob/core';
import { type ConformancePlan, firstOf, requireInput, runConformance } from '@anyjob/core/conformance';
import { createKognitosClient, resolveKognitosBaseUrl } from './client.js';
import { conformance, type ReadOperation } from './generated/conformance.gen.js';
import {
  kognitosGetHealth,
  kognitosGetProcess,
  kognitosGetRun,
  kognitosListProcesses,
  kognitosListRuns,
} from './generated/sdk.gen.js';
import type { KognitosSettings } from './provider.js';

interface Input {
  agentId: string;
  processId?: string;
}

/** Items per list: enough to see a few shapes, one request each. */
const SAMPLE = 10;

const processOf = (input: Input, answers: Readonly<Record<string, unknown>>) =>
  input.processId ?? firstOf(answers.listProcesses, 'items', 'id');

const plan: ConformancePlan<Input, ReadOperation> = {
  provider: 'kognitos',
  spec: 'specs/kognitos.yaml',
  operations: conformance,
  steps: [
    { operation: 'getHealth', call: ({ sdk }) => kognitosGetHealth({ ...sdk }) },
    {
      operation: 'listProcesses',
      call: ({ sdk, input }) =>
        kognitosListProcesses({ ...sdk, query: { agent_id: input.agentId, limit: SAMPLE } }),
    },
    {
      operation: 'getProcess',
      call: ({ sdk, input, answers }) => {
        const processId = processOf(input, answers);
        if (processId === undefined) return 'no process to read: the agent listed none';
        return kognitosGetProcess({
          ...sdk,
          path: { process_id: processId },
          query: { agent_id: input.agentId },
        });
      },
    },
    {
      operation: 'listRuns',
      call: ({ sdk, input, answers }) => {
        const processId = processOf(input, answers);
        if (processId === undefined) return 'no process to list the runs of';
        return kognitosListRuns({
          ...sdk,
          query: { agent_id: input.agentId, process_id: processId, limit: SAMPLE },
        });
      },
    },
    {
      operation: 'getRun',
      call: ({ sdk, answers }) => {
        const runId = firstOf(answers.listRuns, 'items', 'id');
        if (runId === undefined) return 'no run to read: the process listed none';
        return kognitosGetRun({ ...sdk, path: { run_id: runId } });
      },
    },
  ],
};

export const checkConformance: ConformanceModule<KognitosSettings>['checkConformance'] = async (
  settings,
  input,
  options,
) => {
  requireInput('kognitos', input, ['agentId']);
  return runConformance({
    plan,
    input: input as unknown as Input,
    baseUrl: resolveKognitosBaseUrl(settings),
    // Requests are not checked against the spec first: an id the API itself returned is sent as
    // it is, and what the API says of it is part of the report.
    createClient: (fetch) =>
      createKognitosClient({ ...settings, fetch, validateRequests: false, validateResponses: false }),
    fetch: settings.fetch,
    signal: options?.signal,
  });
};
