// The clients under test. Each loader imports only its own client, so a child process that loads
// one client measures that client's memory alone. Every client exposes the same two calls against
// the loopback server — TrueFoundry trigger and Kognitos get-run — and returns one field of the
// parsed response, so all of them read and parse the full body.
import { existsSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { sdkFunctionName } from '../lib/naming.mjs';
import { API_KEY, RUN_ID, TRIGGER_BODY } from './fixtures.mjs';
import { distEntry, facadeEntry, peerModule } from './paths.mjs';

const importDist = (pkg) => import(pathToFileURL(distEntry(pkg)).href);

function failed(client, operation, detail) {
  return new Error(
    `${client} ${operation} failed: ${typeof detail === 'string' ? detail : JSON.stringify(detail)}`,
  );
}

/** The floor: fetch with a hand-built request and nothing else. */
async function raw(baseUrl) {
  const triggerUrl = `${baseUrl}/api/svc/v1/jobs/trigger`;
  const runUrl = `${baseUrl}/runs/${encodeURIComponent(RUN_ID)}`;
  return {
    async trigger() {
      const response = await fetch(triggerUrl, {
        method: 'POST',
        headers: { authorization: `Bearer ${API_KEY}`, 'content-type': 'application/json' },
        body: JSON.stringify(TRIGGER_BODY),
      });
      if (!response.ok) throw failed('raw fetch', 'trigger', response.status);
      return (await response.json()).jobRunName;
    },
    async getRun() {
      const response = await fetch(runUrl, { headers: { 'x-api-key': API_KEY } });
      if (!response.ok) throw failed('raw fetch', 'getRun', response.status);
      return (await response.json()).status;
    },
  };
}

/**
 * The generated hey-api SDK functions of the provider packages (`<provider><OperationId>`, see
 * scripts/lib/naming.mjs), with their client factories.
 */
async function sdk(baseUrl) {
  const [truefoundry, kognitos] = await Promise.all([importDist('truefoundry'), importDist('kognitos')]);
  const tfClient = truefoundry.createTrueFoundryClient({ baseUrl, apiKey: API_KEY });
  const kgClient = kognitos.createKognitosClient({ baseUrl, apiKey: API_KEY });
  const triggerJob = truefoundry[sdkFunctionName('truefoundry', 'triggerJob')];
  const getRun = kognitos[sdkFunctionName('kognitos', 'getRun')];
  return {
    async trigger() {
      const { data, error } = await triggerJob({ client: tfClient, body: TRIGGER_BODY });
      if (error !== undefined) throw failed('sdk', 'trigger', error);
      return data.jobRunName;
    },
    async getRun() {
      const { data, error } = await getRun({ client: kgClient, path: { run_id: RUN_ID } });
      if (error !== undefined) throw failed('sdk', 'getRun', error);
      return data.status;
    },
  };
}

/** The `anyjob` facade: triggerJob / getJobRun, configured the way a user would (settings). */
async function facade(baseUrl) {
  const anyjob = await import(pathToFileURL(facadeEntry).href);
  const jobs = anyjob.createAnyJob({
    truefoundry: { baseUrl, apiKey: API_KEY },
    kognitos: { baseUrl, apiKey: API_KEY },
  });
  const request = {
    provider: 'truefoundry',
    applicationId: TRIGGER_BODY.applicationId,
    params: TRIGGER_BODY.input.params,
  };
  const ref = { provider: 'kognitos', runId: RUN_ID };
  return {
    async trigger() {
      return (await jobs.triggerJob(request)).id;
    },
    async getRun() {
      return (await jobs.getJobRun(ref)).providerStatus;
    },
  };
}

async function openapiFetch(baseUrl) {
  const { createPeer } = await import(pathToFileURL(peerModule).href);
  return createPeer(baseUrl);
}

export const clients = {
  'raw fetch': raw,
  // The same code again, measured like any other client: its ratio to raw fetch is the noise of
  // the measurement, the yardstick for reading the other ratios (a 1.05× target needs it small).
  'raw fetch (control)': raw,
  'generated SDK': sdk,
  'anyjob facade': facade,
  'openapi-fetch': openapiFetch,
};

/** Client names available in this checkout: the facade only once packages/anyjob is built. */
export function availableClients() {
  return Object.keys(clients).filter((name) => name !== 'anyjob facade' || existsSync(facadeEntry));
}

export async function loadClient(name, baseUrl) {
  const client = await clients[name](baseUrl);
  // One call each before any timing, so a broken client fails loudly instead of timing errors.
  await client.trigger();
  await client.getRun();
  return client;
}
