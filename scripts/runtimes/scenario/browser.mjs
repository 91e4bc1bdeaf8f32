// The browser page: the config is in the page's #config script; the result goes to window.__anyjobResult.
import { runFakeScenario } from './fake.mjs';
import { runBrowserRefusal, runScenario, runtimeInfo } from './scenario.mjs';

async function main() {
  const config = JSON.parse(document.getElementById('config')?.textContent ?? '');
  const refusal = await runBrowserRefusal({ ...config, label: `${config.label}-no-opt-in` });
  const result = await runScenario({ ...config, browserOptIn: true });
  const fake = await runFakeScenario({ ...config, browserOptIn: true });
  const steps = [refusal, ...result.steps, ...fake.steps];
  return { ...runtimeInfo(), ok: steps.every((s) => s.ok), steps };
}

/** The harness (scripts/runtimes/run.mjs) waits for this global. */
const page = /** @type {Window & { __anyjobResult?: unknown }} */ (window);
main().then(
  (result) => {
    page.__anyjobResult = result;
  },
  (error) => {
    page.__anyjobResult = {
      ok: false,
      steps: [{ name: 'page', ok: false, error: { message: String(error?.stack ?? error) } }],
    };
  },
);
