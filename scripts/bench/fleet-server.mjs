// The loopback side of the fleet benchmark: the provider emulator (scripts/lib/provider-emulator.mjs,
// TrueFoundry and Kognitos with state, time-based progress, real pagination and request records)
// in a child process of its own, so the client's memory and CPU figures are the client's alone.
//
//   fork('fleet-server.mjs', ['<timeScale>'])  →  { type: 'ready', urls, keys }
//
// then answers IPC messages `{ id, cmd, args }` with `{ id, result }` or `{ id, error }`:
//   seed    { jobs, perJob, final, durationMs, queueMs, failureRate } → the runs' refs, as the
//           providers' triggerJob would return them
//   collect → every run (finalAt, finalServedAt) and every request (time, route, run), compact
//   reset   → forgets runs and requests (between cases)
import { startEmulator } from '../lib/provider-emulator.mjs';

const timeScale = Number(process.argv[2] ?? 1);
const emulator = await startEmulator({ timeScale, seed: 7 });
const origins = {
  truefoundry: new URL(emulator.urls.truefoundry).origin,
  kognitos: new URL(emulator.urls.kognitos).origin,
};

/** The ref the provider's triggerJob would have returned for an emulated run. */
function refOf(run) {
  if (run.provider === 'truefoundry') {
    return {
      provider: 'truefoundry',
      jobRunName: run.name,
      origin: origins.truefoundry,
      applicationId: run.applicationId,
      deploymentId: run.deploymentId,
    };
  }
  return {
    provider: 'kognitos',
    runId: run.id,
    origin: origins.kognitos,
    agentId: run.agentId,
    processId: run.processId,
  };
}

/** The run a get request reads (TrueFoundry by run name, Kognitos by run id); undefined for others. */
function runOfRequest(record) {
  if (record.route === 'truefoundry.getJobRun') return decodeURIComponent(record.path.split('/').at(-1));
  if (record.route === 'kognitos.getRun') return decodeURIComponent(record.path.split('/').at(-1));
  return undefined;
}

const isList = (route) => route === 'truefoundry.listJobRuns' || route === 'kognitos.listRuns';

const commands = {
  seed({ jobs, perJob, final, durationMs, queueMs, failureRate }) {
    const refs = [];
    for (const { provider, job } of jobs) {
      const runs = emulator.seedRuns(provider, job, perJob, { final, durationMs, queueMs, failureRate });
      for (const run of runs) refs.push(refOf(run));
    }
    return refs;
  },
  collect() {
    const runs = emulator.runs().map((run) => ({
      provider: run.provider,
      // The key the client reports: JobRun.id (TrueFoundry: the run name; Kognitos: the run id).
      key: `${run.provider}:${run.provider === 'truefoundry' ? run.name : run.id}`,
      finalAt: run.finalAt,
      finalServedAt: run.finalServedAt,
      outcome: run.outcome,
    }));
    const requests = emulator.requests().map((record) => {
      const run = runOfRequest(record);
      return {
        time: record.time,
        provider: record.provider,
        route: record.route ?? `${record.provider}.unmatched`,
        status: record.status,
        run: run === undefined ? undefined : `${record.provider}:${run}`,
        // A list request for a job's first page starts a read of that job (later pages continue it).
        firstPage: isList(record.route)
          ? record.query.continuation_token === undefined && Number(record.query.offset ?? 0) === 0
          : undefined,
      };
    });
    return { runs, requests, stats: emulator.stats() };
  },
  reset() {
    emulator.reset();
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
// The parent's IPC channel closing (it finished or died) ends the emulator.
process.on('disconnect', () => emulator.close().then(() => process.exit(0)));
send({ type: 'ready', urls: emulator.urls, keys: emulator.keys });
