// Runchat's live conformance plan (`anyjob doctor runchat`, `pnpm contract:live runchat`), loaded
// on first use. Runchat's only read operation is the flow schema, so the plan is one request:
// GET /{runchat_id}/schema of --flow. `GET /job/{id}` runs the job (the spec marks it
// `x-anyjob-side-effect: trigger`), so it is not in the generated table and cannot be called.
import { defineConformance, fromInput } from '@anyjob/core/conformance';
import { createRunchatClient, resolveRunchatBaseUrl } from './client.js';
import { conformance } from './generated/conformance.gen.js';
import { runchatGetFlowSchema } from './generated/sdk.gen.js';
import type { RunchatSettings } from './provider.js';

export const checkConformance = defineConformance<RunchatSettings, keyof typeof conformance>({
  provider: 'runchat',
  operations: conformance,
  createClient: createRunchatClient,
  resolveBaseUrl: resolveRunchatBaseUrl,
  required: ['flowId'],
  reads: [
    { operation: 'getFlowSchema', send: runchatGetFlowSchema, path: { runchat_id: fromInput('flowId') } },
  ],
});
