// The loopback side of the fleet benchmark: @anyjob/testing's fake (TrueFoundry and Kognitos with
// state, time-based progress, real pagination and request records), served over HTTP by
// `fake.listen()` in a child process of its own, so the client's memory and CPU figures are the
// client's alone. Loaded from packages/testing/dist (the bench builds first).
//
//   fork('fleet-server.mjs', ['<timeScale>'])  →  { type: 'ready', urls, keys }
//
// then answers IPC messages `{ id, cmd, args }` with `{ id, result }` or `{ id, error }`:
//   seed    { jobs, perJob, final, durationMs, queueMs, failureRate } → the runs' refs, as the
//           providers' triggerJob would return them
//   collect → every run (finalAt, finalServedAt) and every request (time, route, run), compact
//   reset   → forgets runs and requests (between cases)
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { repoRoot } from '../lib/providers.mjs';

const { createFakeProviders } = await import(
  pathToFileURL(join(repoRoot, 'packages', 'testing', 'dist', 'index.js')).href
);

const timeScale = Number(process.argv[2] ?? 1);
const SEED = 7;

/** mulberry32: the same durations and outcomes on every run of the bench. */
function generator(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}
let random = generator(SEED);

/** A duration in provider ms: a number or `[min, max]` drawn uniformly; scaled by timeScale. */
const draw = (spec) =>
  (Array.isArray(spec) ? spec[0] + random() * (spec[1] - spec[0]) : (spec ?? 0)) * timeScale;

/** How the runs being seeded live: set by each `seed` command, read by the script below. */
let seeding = { final: true, durationMs: 0, queueMs: 0, failureRate: 0 };

const fake = await createFakeProviders();
/** The script of every run: history (final at once), or queued and running for drawn times. */
function script() {
  const failed = random() < (seeding.failureRate ?? 0);
  const end = failed ? { status: 'failed', error: 'Container exited with code 1' } : { status: 'succeeded' };
  if (seeding.final) return [end];
  return [
    { status: 'queued', ms: draw(seeding.queueMs) },
    { status: 'running', ms: draw(seeding.durationMs) },
    end,
  ];
}
const rules = () => {
  for (const provider of ['truefoundry', 'kognitos']) fake.onTrigger(provider).script(script);
};
rules();
const server = await fake.listen();
const urls = { truefoundry: server.baseUrls.truefoundry, kognitos: server.baseUrls.kognitos };
const keys = { truefoundry: fake.apiKey('truefoundry'), kognitos: fake.apiKey('kognitos') };
const origins = { truefoundry: new URL(urls.truefoundry).origin, kognitos: new URL(urls.kognitos).origin };
/** Requests before this id were the seeding's own (sent in-process), not the client's. */
let firstClientRequest = 1;

/** Creates one run as the client's trigger would (in-process, through the fake's fetch) → its ref. */
async function trigger(provider, job) {
  const post = async (path, body, auth) => {
    const answer = await fake.fetch(`${fake.baseUrl(provider)}${path}`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    if (!answer.ok)
      throw new Error(`seeding ${provider} ${job}: HTTP ${answer.status} ${await answer.text()}`);
    return answer.json();
  };
  if (provider === 'truefoundry') {
    const { jobRunName, data } = await post(
      '/api/svc/v1/jobs/trigger',
      { applicationId: job },
      { authorization: `Bearer ${keys.truefoundry}` },
    );
    return {
      provider,
      jobRunName,
      origin: origins.truefoundry,
      applicationId: data.applicationId,
      deploymentId: data.deploymentId,
    };
  }
  const [agentId, processId] = job.split('/');
  const run = await post(
    '/runs',
    { agent_id: agentId, process_id: processId, name: 'seeded run', stage: 'Published' },
    { 'x-api-key': keys.kognitos },
  );
  return { provider, runId: run.id, origin: origins.kognitos, agentId, processId };
}

/** The run a get request reads (TrueFoundry by run name, Kognitos by run id); undefined for others. */
function runOfRequest(record) {
  if (record.operation !== 'getJobRun' && record.operation !== 'getRun') return undefined;
  return decodeURIComponent(record.url.split('?')[0].split('/').at(-1));
}

const isList = (operation) => operation === 'listJobRuns' || operation === 'listRuns';

const commands = {
  async seed({ jobs, perJob, final, durationMs, queueMs, failureRate }) {
    seeding = { final, durationMs, queueMs, failureRate };
    const refs = [];
    for (const { provider, job } of jobs)
      for (let i = 0; i < perJob; i++) refs.push(await trigger(provider, job));
    firstClientRequest = fake.requests().length + 1;
    return refs;
  },
  collect() {
    const runs = fake.runs().map((run) => ({
      provider: run.provider,
      // The key the client reports: JobRun.id (TrueFoundry: the run name; Kognitos: the run id).
      key: `${run.provider}:${run.id}`,
      finalAt: run.endedAt,
      finalServedAt: run.finalReadAt ?? null,
      outcome: run.status,
    }));
    const requests = fake
      .requests()
      .filter((record) => record.id >= firstClientRequest)
      .map((record) => {
        const run = runOfRequest(record);
        const query = new URL(record.url, 'http://fake.test').searchParams;
        return {
          time: record.time,
          provider: record.provider,
          route: `${record.provider}.${record.operation ?? 'unmatched'}`,
          status: record.status ?? null,
          run: run === undefined ? undefined : `${record.provider}:${run}`,
          // A list request for a job's first page starts a read of that job (later pages continue it).
          firstPage: isList(record.operation)
            ? !query.has('continuation_token') && Number(query.get('offset') ?? 0) === 0
            : undefined,
        };
      });
    return { runs, requests };
  },
  reset() {
    fake.reset();
    rules();
    random = generator(SEED);
    firstClientRequest = 1;
    return true;
  },
};

// Forked by fleet.mjs with an IPC channel: the messages are its protocol.
const send = process.send?.bind(process);
if (!send) throw new Error('fleet-server.mjs runs as a child of fleet.mjs (forked with IPC)');
process.on('message', async (/** @type {any} */ { id, cmd, args }) => {
  try {
    send({ id, result: await commands[cmd](args ?? {}) });
  } catch (error) {
    send({ id, error: error?.stack ?? String(error) });
  }
});
// The parent's IPC channel closing (it finished or died) ends the server.
process.on('disconnect', () => server.close().then(() => process.exit(0)));
send({ type: 'ready', urls, keys });
