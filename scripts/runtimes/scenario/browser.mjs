// The browser page: the config is in the page's #config script; the result goes to window.__anyjobResult.
import { runBrowserRefusal, runScenario, runtimeInfo } from './scenario.mjs';

async function main() {
  const config = JSON.parse(document.getElementById('config').textContent);
  const refusal = await runBrowserRefusal({ ...config, label: `${config.label}-no-opt-in` });
  const result = await runScenario({ ...config, browserOptIn: true });
  const steps = [refusal, ...result.steps];
  return { ...runtimeInfo(), ok: steps.every((s) => s.ok), steps };
}

main().then(
  (result) => {
    window.__anyjobResult = result;
  },
  (error) => {
    window.__anyjobResult = {
      ok: false,
      steps: [{ name: 'page', ok: false, error: { message: String(error?.stack ?? error) } }],
    };
  },
);
