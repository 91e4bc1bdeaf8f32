// The fake-backed runtime scenario (scripts/runtimes/run.mjs runs it after scenario.mjs, on every
// runtime): @anyjob/testing's in-process `fetch`, no port and no server, so it runs the same in
// Node, Bun, Deno, workerd and a browser page. For every provider of anyjob's registry: trigger a
// run and wait for it to succeed, then script a failure and see `JobFailedError`; the fake's own
// records must hold exactly those runs, and its request log no key.
import { createFakeProviders } from '@anyjob/testing';
import { createAnyJob, defaultProviders, JobFailedError } from 'anyjob';
import { exampleTriggerRequest } from '../../test-harness/trigger-requests.mjs';
import { describe, expect, rejection, stepRecorder } from './scenario.mjs';

/**
 * @param {{ label: string, browserOptIn?: boolean }} config
 *   `label` names the runs' input; `browserOptIn` adds `dangerouslyAllowBrowser: true`.
 */
export async function runFakeScenario(config) {
  const { steps, step } = stepRecorder();

  /** @type {Awaited<ReturnType<typeof createFakeProviders>> | undefined} */
  let fake;
  await step('fake: createFakeProviders() has every provider of the registry', async () => {
    fake = await createFakeProviders();
    const missing = defaultProviders.map((d) => d.name).filter((name) => !fake?.providers.includes(name));
    expect(missing.length === 0, `no fake for ${missing.join(', ')}`);
    return { providers: [...fake.providers] };
  });
  if (!fake) return { ok: false, steps };
  const aj = createAnyJob({
    ...fake.config(),
    ...(config.browserOptIn ? { dangerouslyAllowBrowser: true } : {}),
  });
  const wait = { pollIntervalMs: 1, maxPollIntervalMs: 5, timeoutMs: 20_000 };

  for (const descriptor of defaultProviders) {
    const name = descriptor.name;
    const request = /** @type {import('anyjob').TriggerRequest} */ (exampleTriggerRequest(descriptor));

    await step(`fake: ${name} trigger + wait`, async () => {
      const run = await aj.triggerJob(request);
      const done = await aj.waitForJob(run, wait);
      expect(done.status === 'succeeded', `run ended ${done.status}`);
      return { id: done.id, providerStatus: done.providerStatus };
    });

    await step(`fake: ${name} scripted failure → JobFailedError`, async () => {
      const { provider: _, ...match } = request;
      fake?.onTrigger(name, match).fail(`${config.label}: out of memory`);
      const error = await rejection(async () => aj.waitForJob(await aj.triggerJob(request), wait));
      expect(JobFailedError.isInstance(error), `${describe(error).name} instead of JobFailedError`);
      // Not every provider's run carries a failure message (Kognitos's has no such field).
      return { name: error.name, message: error.message };
    });

    await step(`fake: ${name} holds one succeeded and one failed run`, async () => {
      const statuses = (fake?.runs(name) ?? []).map((run) => run.status).sort();
      expect(
        statuses.join() === 'failed,succeeded',
        `the fake holds runs ${JSON.stringify(statuses)}, expected one failed and one succeeded`,
      );
    });
  }

  await step('fake: the request log holds no key', async () => {
    const log = JSON.stringify(fake?.requests() ?? []);
    const leaked = defaultProviders.filter((d) => log.includes(fake?.apiKey(d.name) ?? '\0'));
    expect(leaked.length === 0, `the request log shows the key of ${leaked.map((d) => d.name).join(', ')}`);
  });
  return { ok: steps.every((s) => s.ok), steps };
}
