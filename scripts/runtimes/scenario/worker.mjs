// Cloudflare Workers (workerd through miniflare): POST the config, get the result as JSON.
import { runFakeScenario } from './fake.mjs';
import { runScenario, runtimeInfo } from './scenario.mjs';

export default {
  async fetch(request) {
    const config = await request.json();
    const steps = [...(await runScenario(config)).steps, ...(await runFakeScenario(config)).steps];
    return Response.json({ ...runtimeInfo(), ok: steps.every((s) => s.ok), steps });
  },
};
