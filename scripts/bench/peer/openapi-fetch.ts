// The peer client: openapi-fetch typed by openapi-typescript, doing the same two calls as the
// other clients. `prepare.mjs` generates the `paths` types into ../.generated/ and type-checks this
// file, so a spec change that breaks these calls fails the bench instead of timing a wrong call.
import createClient from 'openapi-fetch';
import type { paths as KognitosPaths } from '../.generated/kognitos.js';
import type { paths as TrueFoundryPaths } from '../.generated/truefoundry.js';
import { API_KEY, RUN_ID, TRIGGER_BODY } from '../fixtures.mjs';

export function createPeer(baseUrl: string) {
  const truefoundry = createClient<TrueFoundryPaths>({
    baseUrl,
    headers: { Authorization: `Bearer ${API_KEY}` },
  });
  const kognitos = createClient<KognitosPaths>({ baseUrl, headers: { 'x-api-key': API_KEY } });
  return {
    async trigger() {
      const { data, error } = await truefoundry.POST('/api/svc/v1/jobs/trigger', { body: TRIGGER_BODY });
      if (error !== undefined) throw new Error(`openapi-fetch trigger failed: ${JSON.stringify(error)}`);
      return data.jobRunName;
    },
    async getRun() {
      const { data, error } = await kognitos.GET('/runs/{run_id}', { params: { path: { run_id: RUN_ID } } });
      if (error !== undefined) throw new Error(`openapi-fetch getRun failed: ${JSON.stringify(error)}`);
      return data.status;
    },
  };
}
