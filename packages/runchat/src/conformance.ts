// Runchat's live conformance plan (`anyjob doctor runchat`, `pnpm contract:live runchat`), loaded
// on first use. Runchat's only read operation is the flow schema, so the plan is one request:
// GET /{runchat_id}/schema of --flow. `GET /job/{id}` runs the job (the spec marks it
// `x-anyjob-side-effect: trigger`), so it is not in the generated table and cannot be called.
import type { ConformanceModule } from '@anyjob/core';
import { type ConformancePlan, requireInput, runConformance } from '@anyjob/core/conformance';
import { createRunchatClient, resolveRunchatBaseUrl } from './client.js';
import { conformance, type ReadOperation } from './generated/conformance.gen.js';
import { runchatGetFlowSchema } from './generated/sdk.gen.js';
import type { RunchatSettings } from './provider.js';

interface Input {
  flowId: string;
}

const plan: ConformancePlan<Input, ReadOperation> = {
  provider: 'runchat',
  spec: 'specs/runchat.yaml',
  operations: conformance,
  steps: [
    {
      operation: 'getFlowSchema',
      call: ({ sdk, input }) => runchatGetFlowSchema({ ...sdk, path: { runchat_id: input.flowId } }),
    },
  ],
};

export const checkConformance: ConformanceModule<RunchatSettings>['checkConformance'] = async (
  settings,
  input,
  options,
) => {
  requireInput('runchat', input, ['flowId']);
  return runConformance({
    plan,
    input: input as unknown as Input,
    baseUrl: resolveRunchatBaseUrl(settings),
    // Requests are not checked against the spec first: what the API says of them is the report.
    createClient: (fetch) =>
      createRunchatClient({ ...settings, fetch, validateRequests: false, validateResponses: false }),
    fetch: settings.fetch,
    signal: options?.signal,
  });
};
