// The fake-backed runtime scenario (scripts/runtimes/run.mjs runs it after scenario.mjs, on every
// runtime): @anyjob/testing's in-process `fetch`, no port and no server, so it runs the same in
// Node, Bun, Deno, workerd and a browser page. For every provider of anyjob's registry: trigger a
// run and wait for it to succeed, then script a failure and see `JobFailedError`; the fake's own
// records must hold exactly those runs, and its request log no key.
import { createFakeProviders } from '@anyjob/testing';
import { createAnyJob, defaultProviders, JobFailedError } from 'anyjob';
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
    const request = triggerRequest(descriptor);

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

/**
 * (A copy of exampleTriggerRequest in scripts/test-harness/trigger-requests.mjs: runtimes/run.mjs
 * copies this directory's files alone into a scratch project, where that module is out of reach.)
 * A trigger request for any provider, from its descriptor: the fields of the flags its CLI usage
 * requires (outside `[…]`; of `(a | b)`, the first), each set to a made-up id (or to its placeholder
 * where that is a literal shape, like `owner/name`).
 */
function triggerRequest(descriptor) {
  const usage = descriptor.cli.usage[0] ?? '';
  const required = usage
    .replace(/\[[^\]]*\]/g, '')
    .replace(/\(([^|)]*)\|[^)]*\)/g, '$1')
    .match(/--[a-z][a-z-]*/g);
  const request = { provider: descriptor.name };
  for (const flag of required ?? []) {
    const found = descriptor.cli.flags.find((f) => `--${f.name}` === flag);
    // A placeholder that is no `<…>` is the value's shape itself (`owner/name`): a valid value.
    const literal = found?.value && !/[<>|]/.test(found.value) ? found.value : undefined;
    if (found?.field && found.kind === 'string') request[found.field] = literal ?? `${found.name}-1`;
    if (found?.field && found.kind === 'integer') request[found.field] = '1'; // an integer id, as digits
  }
  return request;
}
