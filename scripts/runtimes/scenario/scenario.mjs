// The runtime smoke scenario, run from the packed tarballs on every runtime (scripts/runtimes/run.mjs):
// through the facade, trigger a run on TrueFoundry and on Kognitos (@anyjob/testing's fake over HTTP), wait for
// each, and check that a bad key gives a typed error. Plain JavaScript with no runtime API, so the
// same file runs on Node, Bun, Deno, workerd and in a browser page (bundled by esbuild there).
import { AnyJobError, AuthenticationError, ConfigError, createAnyJob } from 'anyjob';

/**
 * @param {{ urls: { truefoundry: string, kognitos: string }, keys: { truefoundry: string, kognitos: string },
 *   label: string, browserOptIn?: boolean }} config
 *   `label` names the runs (TrueFoundry alias, Kognitos name) so the harness finds them in the
 *   fake's records; `browserOptIn` adds `dangerouslyAllowBrowser: true`.
 */
export async function runScenario(config) {
  const { steps, step } = stepRecorder();
  const settings = (keys) => ({
    truefoundry: { apiKey: keys.truefoundry, baseUrl: config.urls.truefoundry },
    kognitos: { apiKey: keys.kognitos, baseUrl: config.urls.kognitos },
    env: {},
    ...(config.browserOptIn ? { dangerouslyAllowBrowser: true } : {}),
  });
  const aj = createAnyJob(settings(config.keys));

  await step('truefoundry trigger + wait', async () => {
    const run = await aj.triggerJob({ provider: 'truefoundry', applicationId: 'app1', alias: config.label });
    expect(run.status === 'queued', `trigger answered status ${run.status}, expected queued`);
    const done = await aj.waitForJob(run, { pollIntervalMs: 50, maxPollIntervalMs: 200, timeoutMs: 20_000 });
    expect(done.status === 'succeeded', `run ended ${done.status}`);
    return { id: done.id, providerStatus: done.providerStatus };
  });

  await step('kognitos trigger + wait', async () => {
    const run = await aj.triggerJob({
      provider: 'kognitos',
      agentId: 'agent1',
      processId: 'proc1',
      name: config.label,
    });
    expect(run.status === 'queued', `trigger answered status ${run.status}, expected queued`);
    const done = await aj.waitForJob(run, { pollIntervalMs: 50, maxPollIntervalMs: 200, timeoutMs: 20_000 });
    expect(done.status === 'succeeded', `run ended ${done.status}`);
    expect(done.output?.result === 'ok', `outputs ${JSON.stringify(done.output)}`);
    return { id: done.id, providerStatus: done.providerStatus };
  });

  const wrong = createAnyJob(settings({ truefoundry: 'wrong-key', kognitos: 'wrong-key' }));
  for (const [provider, request] of /** @type {Array<[string, any]>} */ ([
    ['truefoundry', { provider: 'truefoundry', applicationId: 'app1', alias: `${config.label}-bad-key` }],
    [
      'kognitos',
      { provider: 'kognitos', agentId: 'agent1', processId: 'proc1', name: `${config.label}-bad-key` },
    ],
  ])) {
    await step(`${provider} bad key → AuthenticationError`, async () => {
      const error = await rejection(() => wrong.triggerJob(request));
      expect(
        AnyJobError.isInstance(error),
        `not an AnyJobError: ${describe(error).name}: ${describe(error).message}`,
      );
      expect(AuthenticationError.isInstance(error), `${describe(error).name} instead of AuthenticationError`);
      return { name: error.name, status: error.status };
    });
  }
  return { ok: steps.every((s) => s.ok), steps };
}

/**
 * Browsers only: without `dangerouslyAllowBrowser` the library must refuse, with a ConfigError
 * naming the option, before any request (the key would be in the page).
 */
export async function runBrowserRefusal(config) {
  const started = Date.now();
  try {
    const aj = createAnyJob({
      truefoundry: { apiKey: config.keys.truefoundry, baseUrl: config.urls.truefoundry },
      kognitos: { apiKey: config.keys.kognitos, baseUrl: config.urls.kognitos },
      env: {},
    });
    const run = await aj.triggerJob({ provider: 'truefoundry', applicationId: 'app1', alias: config.label });
    return fail(`ran in a browser without dangerouslyAllowBrowser (run ${run.id})`);
  } catch (error) {
    const { name, message } = describe(error);
    if (!AnyJobError.isInstance(error)) return fail(`${name} (not an AnyJobError): ${message}`);
    if (!(ConfigError.isInstance?.(error) ?? name === 'ConfigError'))
      return fail(`${name} instead of ConfigError: ${message}`);
    if (!message.includes('dangerouslyAllowBrowser'))
      return fail(`ConfigError without dangerouslyAllowBrowser: ${message}`);
    return {
      name: 'browser without opt-in → ConfigError',
      ok: true,
      ms: Date.now() - started,
      detail: { message },
    };
  }
  function fail(message) {
    return {
      name: 'browser without opt-in → ConfigError',
      ok: false,
      ms: Date.now() - started,
      error: { message },
    };
  }
}

/** The steps of a scenario: `step(name, work)` runs `work` and records its time and outcome, never throwing. */
export function stepRecorder() {
  const steps = [];
  const step = async (name, work) => {
    const started = Date.now();
    try {
      const detail = await work();
      steps.push({ name, ok: true, ms: Date.now() - started, ...(detail === undefined ? {} : { detail }) });
    } catch (error) {
      steps.push({ name, ok: false, ms: Date.now() - started, error: describe(error) });
    }
  };
  return { steps, step };
}

export function expect(condition, message) {
  if (!condition) throw new Error(message);
}

export async function rejection(work) {
  try {
    await work();
  } catch (error) {
    return error;
  }
  throw new Error('resolved, expected a rejection');
}

export function describe(error) {
  if (error instanceof Error || (error && typeof error === 'object' && 'message' in error)) {
    return {
      name: error.name ?? 'Error',
      message: String(error.message),
      stack: String(error.stack ?? '')
        .split('\n')
        .slice(0, 6)
        .join('\n'),
    };
  }
  return { name: typeof error, message: String(error) };
}

/** Which runtime this is and its version, without any runtime-specific import. */
export function runtimeInfo() {
  const g = globalThis;
  if (g.Bun) return { runtime: 'bun', version: g.Bun.version };
  if (g.Deno) return { runtime: 'deno', version: g.Deno.version.deno };
  if (g.navigator?.userAgent === 'Cloudflare-Workers')
    return { runtime: 'workerd', version: 'Cloudflare-Workers' };
  if (g.process?.versions?.node) return { runtime: 'node', version: g.process.version };
  return { runtime: 'browser', version: g.navigator?.userAgent ?? 'unknown' };
}
