// Cloudflare Workers (workerd through miniflare): POST the config, get the result as JSON.
import { runScenario, runtimeInfo } from './scenario.mjs';

export default {
  async fetch(request) {
    const result = await runScenario(await request.json());
    return Response.json({ ...runtimeInfo(), ...result });
  },
};
