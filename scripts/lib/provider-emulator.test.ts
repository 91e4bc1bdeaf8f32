// The provider emulator against its own contract: bodies match the specs' schemas (the generated
// validators), runs progress with the clock, pagination follows the providers, faults do what they
// say and the server's records account for every run.
import { spawn } from 'node:child_process';
import { request as httpRequest } from 'node:http';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { checkSchema } from '../../packages/core/src/validation/schemas.js';
import { operations as kognitosOps } from '../../packages/kognitos/src/generated/operations.gen.js';
import { operations as tfOps } from '../../packages/truefoundry/src/generated/operations.gen.js';
import { type Emulator, type EmulatorOptions, startEmulator } from './provider-emulator.mjs';

const TF_KEY = 'tfy-emulator-key';
const KG_KEY = 'kognitos-emulator-key';

let emulator: Emulator;
let now = 1_750_000_000_000;
const clock = () => now;

async function restart(options: EmulatorOptions = {}) {
  await emulator?.close();
  emulator = await startEmulator({ clock, queueMs: 100, durationMs: 1_000, terminationMs: 200, ...options });
}

beforeAll(() => restart());
afterEach(() => emulator.reset());
afterAll(() => emulator.close());

function tf(path: string, init: RequestInit & { key?: string | null } = {}) {
  const { key = TF_KEY, ...rest } = init;
  const headers = new Headers(rest.headers);
  if (key !== null) headers.set('authorization', `Bearer ${key}`);
  if (rest.body) headers.set('content-type', 'application/json');
  return fetch(`${emulator.urls.truefoundry}/api/svc/v1${path}`, { ...rest, headers });
}

function kg(path: string, init: RequestInit & { key?: string | null } = {}) {
  const { key = KG_KEY, ...rest } = init;
  const headers = new Headers(rest.headers);
  if (key !== null) headers.set('x-api-key', key);
  if (rest.body) headers.set('content-type', 'application/json');
  return fetch(`${emulator.urls.kognitos}${path}`, { ...rest, headers });
}

async function json(responsePromise: Promise<Response>) {
  const response = await responsePromise;
  return { status: response.status, headers: response.headers, body: await response.json() };
}

function expectSchema(schema: unknown, value: unknown) {
  expect(checkSchema(schema as Parameters<typeof checkSchema>[0], value, 'body')).toEqual([]);
}

const trigger = (body: object = { applicationId: 'app1' }) =>
  json(tf('/jobs/trigger', { method: 'POST', body: JSON.stringify(body) }));
const startRun = (body: object = {}) =>
  json(
    kg('/runs', {
      method: 'POST',
      body: JSON.stringify({
        agent_id: 'agent1',
        process_id: 'proc1',
        name: 'run 1',
        stage: 'Published',
        ...body,
      }),
    }),
  );

describe('TrueFoundry', () => {
  it('triggers a run that progresses CREATED → SCHEDULED → RUNNING → FINISHED with the clock', async () => {
    const created = await trigger({ applicationId: 'app1', metadata: { job_run_name_alias: 'nightly' } });
    expect(created.status).toBe(200);
    expectSchema(tfOps.triggerJob.response, created.body);
    expect(created.body).toMatchObject({
      message: 'Job triggered',
      data: { status: 'CREATED', applicationId: 'app1', deploymentId: 'app1-dep', endTime: null },
    });
    const name = created.body.jobRunName;
    const statusAfter = async (ms: number) => {
      const t0 = now;
      now += ms;
      const got = await json(tf(`/jobs/app1/runs/${name}`));
      now = t0;
      expectSchema(tfOps.getJobRun.response, got.body);
      return got.body.data;
    };
    expect((await statusAfter(49)).status).toBe('CREATED');
    expect((await statusAfter(50)).status).toBe('SCHEDULED');
    expect((await statusAfter(100)).status).toBe('RUNNING');
    expect(emulator.runs()[0].finalServedAt).toBeNull();
    const finished = await statusAfter(1_100);
    expect(finished).toMatchObject({ status: 'FINISHED', exitCode: 0, endTime: now + 1_100, duration: 1 });

    const [run] = emulator.runs();
    expect(run).toMatchObject({
      alias: 'nightly',
      finalAt: now + 1_100,
      finalServedAt: now + 1_100,
      state: 'queued',
    });
    const [req] = emulator.requests('truefoundry.triggerJob');
    expect(run.createdByRequest).toBe(req.id);
    expect(req.createdRunId).toBe(run.id);
    expect(req.headers.authorization).toBe(`Bearer ${TF_KEY}`);
  });

  it('maps deployment ids to applications and answers the documented errors', async () => {
    const byDeployment = await trigger({ deploymentId: 'app2-dep', input: { command: ['python', 'x.py'] } });
    expect(byDeployment.body.data).toMatchObject({ applicationId: 'app2', command: 'python x.py' });
    for (const [body, status] of [
      [{}, 422],
      [{ applicationId: 'app1', input: { command: 3 } }, 422],
    ] as const) {
      const answer = await trigger(body);
      expect(answer.status).toBe(status);
      expectSchema(tfOps.triggerJob.errors[422], answer.body);
    }
    const missing = await json(tf('/jobs/app1/runs/nope'));
    expect(missing.status).toBe(404);
    expectSchema(tfOps.getJobRun.errors[404], missing.body);
  });

  it('knows only the configured applications when given a list', async () => {
    await restart({ truefoundry: { applications: { app1: { deploymentId: 'd-1', name: 'train' } } } });
    try {
      expect((await trigger({ applicationId: 'other' })).status).toBe(404);
      const ok = await trigger({ deploymentId: 'd-1' });
      expect(ok.body.data).toMatchObject({ applicationId: 'app1', applicationName: 'train' });
      expect((await json(tf('/jobs/other/runs'))).status).toBe(404);
    } finally {
      await restart();
    }
  });

  it('terminates a running run (TERMINATION_REQUESTED, then TERMINATED) and refuses a final one with 417', async () => {
    const { body } = await trigger();
    const query = `deploymentId=app1-dep&jobRunName=${body.jobRunName}`;
    const terminated = await json(tf(`/jobs/terminate?${query}`, { method: 'POST' }));
    expect(terminated.status).toBe(200);
    expectSchema(tfOps.terminateJobRun.response, terminated.body);
    expect((await json(tf(`/jobs/app1/runs/${body.jobRunName}`))).body.data.status).toBe(
      'TERMINATION_REQUESTED',
    );
    now += 200;
    try {
      expect((await json(tf(`/jobs/app1/runs/${body.jobRunName}`))).body.data.status).toBe('TERMINATED');
      expect(emulator.runs()[0]).toMatchObject({ state: 'canceled', outcome: 'canceled' });
      const again = await json(tf(`/jobs/terminate?${query}`, { method: 'POST' }));
      expect(again.status).toBe(417);
      expect((await json(tf('/jobs/terminate?deploymentId=app1-dep', { method: 'POST' }))).status).toBe(422);
    } finally {
      now -= 200;
    }
  });

  it('deletes only final runs', async () => {
    const { body } = await trigger();
    const path = `/jobs/app1/runs/${body.jobRunName}`;
    expect((await tf(path, { method: 'DELETE' })).status).toBe(409);
    now += 5_000;
    try {
      const deleted = await json(tf(path, { method: 'DELETE' }));
      expectSchema(tfOps.deleteJobRun.response, deleted.body);
      expect((await tf(path)).status).toBe(404);
      expect(emulator.runs()).toEqual([]);
      expect(emulator.runs({ deleted: true })).toHaveLength(1);
    } finally {
      now -= 5_000;
    }
  });

  describe('list runs (offset pagination)', () => {
    const list = (query: string) => json(tf(`/jobs/app1/runs${query}`));

    it('pages with limit/offset; an offset past the end is an empty page with the total', async () => {
      const seeded = emulator.seedRuns('truefoundry', 'app1', 250);
      const first = await list('');
      expectSchema(tfOps.listJobRuns.response, first.body);
      expect(first.body.pagination).toEqual({ total: 250, offset: 0, limit: 100 });
      expect(first.body.data).toHaveLength(100);
      // Newest first by default.
      expect(first.body.data[0].name).toBe(seeded.at(-1)?.name);
      const last = await list('?limit=100&offset=200');
      expect(last.body.data).toHaveLength(50);
      expect(last.body.data.at(-1).name).toBe(seeded[0].name);
      const past = await list('?offset=300');
      expect(past.body).toEqual({ data: [], pagination: { total: 250, offset: 300, limit: 100 } });
      const asc = await list('?order=asc&limit=3&offset=1');
      expect(asc.body.data.map((r: { name: string }) => r.name)).toEqual(
        seeded.slice(1, 4).map((r) => r.name),
      );
      const all = new Set<string>();
      for (let offset = 0; offset < 250; offset += 1000) {
        for (const run of (await list(`?limit=1000&offset=${offset}`)).body.data) all.add(run.name);
      }
      expect(all.size).toBe(250);
    });

    it('an unknown job in open mode is an empty list', async () => {
      expect((await json(tf('/jobs/never-seen/runs'))).body).toEqual({
        data: [],
        pagination: { total: 0, offset: 0, limit: 100 },
      });
    });

    it('filters by repeated status keys and searchPrefix, and sorts by status', async () => {
      emulator.seedRuns('truefoundry', 'app1', 40, { failureRate: 0.5 });
      const failed = emulator.runs().filter((r) => r.status === 'FAILED').length;
      expect(failed).toBeGreaterThan(5);
      expect(failed).toBeLessThan(35);
      const onlyFailed = await list('?status=FAILED&limit=1000');
      expect(onlyFailed.body.pagination.total).toBe(failed);
      const both = await list('?status=FAILED&status=FINISHED');
      expect(both.body.pagination.total).toBe(40);
      const prefix = await list('?searchPrefix=app1-0000');
      expect(prefix.body.pagination.total).toBe(35); // app1-00001 … app1-00009, 0000a … 0000z
      const byStatus = await list('?sortBy=status&order=asc&limit=1000');
      const statuses = byStatus.body.data.map((r: { status: string }) => r.status);
      expect(statuses).toEqual([...statuses].sort());
    });

    it('rejects out-of-range parameters with 422 HttpError', async () => {
      for (const query of [
        '?limit=1001',
        '?limit=0',
        '?limit=x',
        '?offset=-1',
        '?sortBy=name',
        '?order=up',
        '?status=DONE',
      ]) {
        const answer = await list(query);
        expect(answer.status, query).toBe(422);
        expectSchema(tfOps.listJobRuns.errors[422], answer.body);
      }
      expect((await list('?limit=1000')).status).toBe(200);
    });
  });
});

describe('Kognitos', () => {
  it('starts a run (201) that progresses Created → Pending → Running → Succeeded with outputs', async () => {
    const created = await startRun({ inputs: [{ name: 'invoice', value: 42 }] });
    expect(created.status).toBe(201);
    expectSchema(kognitosOps.startRun.response, created.body);
    expect(created.body).toMatchObject({ status: 'Created', outputs: null, stage: 'Published' });
    const at = async (ms: number) => {
      now += ms;
      try {
        const got = await json(kg(`/runs/${created.body.id}`));
        expectSchema(kognitosOps.getRun.response, got.body);
        return got.body;
      } finally {
        now -= ms;
      }
    };
    expect((await at(60)).status).toBe('Pending');
    expect((await at(100)).status).toBe('Running');
    const done = await at(1_100);
    expect(done).toMatchObject({
      status: 'Succeeded',
      outputs: [
        { name: 'result', value: 'ok' },
        { name: 'inputs', value: 1 },
      ],
    });
    expect(emulator.runs()[0]).toMatchObject({ agentId: 'agent1', processId: 'proc1', alias: 'run 1' });
  });

  it('answers 400 "Invalid input values" for a bad body and 404 for an unknown run', async () => {
    const bad = await startRun({ stage: 'Live', process_id: 'not valid!' });
    expect(bad.status).toBe(400);
    expectSchema(kognitosOps.startRun.errors[400], bad.body);
    expect(bad.body.details).toHaveLength(2);
    expect(emulator.runs()).toEqual([]);
    const missing = await json(kg('/runs/unknown'));
    expect(missing).toMatchObject({ status: 404, body: { message: 'Run not found', status_code: 404 } });
  });

  describe('list runs (continuation tokens)', () => {
    const list = (query: string) => json(kg(`/runs?agent_id=agent1&process_id=proc1${query}`));
    const ids = (page: { body: { items: { id: string }[] } }) => page.body.items.map((r) => r.id);

    it('pages newest first with opaque tokens; the last page has a null token', async () => {
      const seeded = emulator.seedRuns('kognitos', 'agent1/proc1', 25);
      const first = await list('');
      expectSchema(kognitosOps.listRuns.response, first.body);
      expect(ids(first)).toEqual(
        seeded
          .slice(15)
          .reverse()
          .map((r) => r.id),
      );
      expect(first.body.continuation_token).toEqual(expect.any(String));
      const second = await list(`&continuation_token=${first.body.continuation_token}`);
      // A run created between pages goes to the front, not into the pages still to read.
      await startRun();
      const third = await list(`&continuation_token=${second.body.continuation_token}`);
      expect(ids(third)).toHaveLength(5);
      expect(third.body.continuation_token).toBeNull();
      const seen = [...ids(first), ...ids(second), ...ids(third)];
      expect(new Set(seen).size).toBe(25);
      expect(seen).toEqual(seeded.map((r) => r.id).reverse());
    });

    it('a last page that is exactly full has a null token, and an empty job an empty page', async () => {
      emulator.seedRuns('kognitos', { agentId: 'agent1', processId: 'proc1' }, 20);
      const second = await list(`&continuation_token=${(await list('')).body.continuation_token}`);
      expect(ids(second)).toHaveLength(10);
      expect(second.body.continuation_token).toBeNull();
      expect((await json(kg('/runs?agent_id=agent1&process_id=empty'))).body).toEqual({
        items: [],
        continuation_token: null,
      });
    });

    it('filters by stage, caps limit at 100 and rejects a foreign token', async () => {
      emulator.seedRuns('kognitos', 'agent1/proc1', 3, { stage: 'Draft' });
      emulator.seedRuns('kognitos', 'agent1/proc1', 4, { stage: 'Published' });
      expect(ids(await list('&stage=Draft'))).toHaveLength(3);
      expect(ids(await list('&stage=Published&limit=100'))).toHaveLength(4);
      expect((await list('&limit=101')).status).toBe(400);
      expect((await list('&stage=Live')).status).toBe(400);
      expect((await json(kg('/runs?agent_id=agent1'))).status).toBe(400);
      const page = await list('&limit=2&stage=Draft');
      const foreign = await list(`&stage=Published&continuation_token=${page.body.continuation_token}`);
      expect(foreign.status).toBe(400);
      expect((await list('&continuation_token=garbage')).status).toBe(400);
    });

    it('lists the processes seen, with the same token scheme', async () => {
      for (const process of ['p1', 'p2', 'p3']) emulator.seedRuns('kognitos', `agent1/${process}`, 1);
      const first = await json(kg('/processes?agent_id=agent1&limit=2'));
      expectSchema(kognitosOps.listProcesses.response, first.body);
      expect(first.body.items.map((p: { id: string }) => p.id)).toEqual(['p1', 'p2']);
      const rest = await json(
        kg(`/processes?agent_id=agent1&limit=2&continuation_token=${first.body.continuation_token}`),
      );
      expect(rest.body).toEqual({ items: [{ id: 'p3', name: 'Process p3' }], continuation_token: null });
      expectSchema(kognitosOps.getHealth.response, (await json(kg('/health'))).body);
    });
  });
});

describe('auth', () => {
  it('answers 401 in each provider error shape for a wrong or missing key, creating nothing', async () => {
    for (const key of ['wrong', null]) {
      const t = await json(tf('/jobs/trigger', { method: 'POST', body: '{"applicationId":"a"}', key }));
      expect(t).toMatchObject({ status: 401, body: { statusCode: 401, message: 'Unauthorized' } });
      expectSchema(tfOps.triggerJob.errors[403], t.body); // HttpError, like every documented error
      const k = await json(kg('/runs', { method: 'POST', body: '{}', key }));
      expect(k).toMatchObject({
        status: 401,
        body: { status_code: 401, message: 'Unauthorized', details: null },
      });
      expectSchema(kognitosOps.startRun.errors[400], k.body);
    }
    // The key is checked exactly: a TrueFoundry key without "Bearer " is wrong.
    const raw = await fetch(`${emulator.urls.truefoundry}/api/svc/v1/jobs/app1/runs`, {
      headers: { authorization: TF_KEY },
    });
    expect(raw.status).toBe(401);
    expect(emulator.runs()).toEqual([]);
  });

  it('accepts the keys given in options', async () => {
    await restart({ apiKeys: { truefoundry: 'k1', kognitos: 'k2' } });
    try {
      expect(emulator.keys).toEqual({ truefoundry: 'k1', kognitos: 'k2' });
      expect((await json(tf('/jobs/app1/runs', { key: 'k1' }))).status).toBe(200);
      expect((await json(kg('/health', { key: 'k2' }))).status).toBe(200);
      expect((await json(kg('/health'))).status).toBe(401);
    } finally {
      await restart();
    }
  });
});

describe('durations, outcomes and time scale', () => {
  const finalOffsets = (e: Emulator) =>
    e.runs().map((r) => ({ offset: Math.round(r.finalAt - r.createdAt), outcome: r.outcome }));

  it('draws repeatable durations and outcomes from the seed, scaled by timeScale', async () => {
    const results: ReturnType<typeof finalOffsets>[] = [];
    for (const seed of [7, 7, 8]) {
      const e = await startEmulator({
        clock,
        seed,
        timeScale: 0.01,
        queueMs: [0, 10_000],
        durationMs: [0, 60_000],
        failureRate: 0.5,
      });
      try {
        e.seedRuns('truefoundry', 'app1', 30, { final: false });
        e.seedRuns('kognitos', 'a/p', 30, { final: false });
        results.push(finalOffsets(e));
      } finally {
        await e.close();
      }
    }
    expect(results[0]).toEqual(results[1]);
    expect(results[2]).not.toEqual(results[0]);
    const offsets = results[0].map((r) => r.offset);
    expect(Math.max(...offsets)).toBeLessThanOrEqual(700);
    expect(new Set(results[0].map((r) => r.outcome))).toEqual(new Set(['succeeded', 'failed']));
  });

  it('takes durations from a function', async () => {
    const e = await startEmulator({ clock, queueMs: 0, durationMs: (info) => 1_000 * (info.index + 1) });
    try {
      e.seedRuns('truefoundry', 'app1', 3, { final: false });
      expect(finalOffsets(e).map((r) => r.offset)).toEqual([1_000, 2_000, 3_000]);
    } finally {
      await e.close();
    }
  });

  it('seeds history that is final by now, oldest first', async () => {
    const runs = emulator.seedRuns('truefoundry', 'app1', 5);
    expect(runs.every((r) => r.final && r.finalAt <= now && r.seeded && r.createdByRequest === null)).toBe(
      true,
    );
    expect(runs.map((r) => r.createdAt)).toEqual([...runs.map((r) => r.createdAt)].sort((a, b) => a - b));
  });
});

/** A raw request that reports how it ended instead of throwing. */
function raw(url: string, init: { method?: string; headers?: Record<string, string>; body?: string } = {}) {
  return new Promise<{ status?: number; headers?: Record<string, unknown>; body: Buffer; error?: string }>(
    (resolve) => {
      const chunks: Buffer[] = [];
      const req = httpRequest(url, { method: init.method ?? 'GET', headers: init.headers }, (res) => {
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks) }),
        );
        res.on('error', (error) =>
          resolve({
            status: res.statusCode,
            headers: res.headers,
            body: Buffer.concat(chunks),
            error: error.message,
          }),
        );
      });
      req.on('error', (error) => resolve({ body: Buffer.concat(chunks), error: error.message }));
      req.end(init.body);
    },
  );
}

describe('faults', () => {
  const triggerUrl = () => `${emulator.urls.truefoundry}/api/svc/v1/jobs/trigger`;
  const triggerRaw = () =>
    raw(triggerUrl(), {
      method: 'POST',
      headers: { authorization: `Bearer ${TF_KEY}`, 'content-type': 'application/json' },
      body: '{"applicationId":"app1"}',
    });

  it('status: without or after creating the run, with Retry-After; then back to normal', async () => {
    emulator.setFault('truefoundry.triggerJob', { type: 'status', status: 503, retryAfter: 2 });
    emulator.setFault('truefoundry.triggerJob', 'status', { status: 502, sideEffect: true });
    const first = await trigger();
    expect(first).toMatchObject({ status: 503, body: { statusCode: 503, message: 'Service Unavailable' } });
    expect(first.headers.get('retry-after')).toBe('2');
    expect(emulator.runs()).toHaveLength(0);
    const second = await trigger();
    expect(second.status).toBe(502);
    expect(emulator.runs()).toHaveLength(1);
    expect((await trigger()).status).toBe(200);
    const records = emulator.requests('truefoundry.triggerJob');
    expect(records.map((r) => [r.status, r.fault, r.createdRunId !== null])).toEqual([
      [503, 'status', false],
      [502, 'status', true],
      [200, null, true],
    ]);
    expect(emulator.stats().faults).toEqual({ 'truefoundry.triggerJob:status': 2 });
  });

  it('status with times: "always" on every route of a provider until cleared', async () => {
    emulator.setFault('kognitos.*', { type: 'status', status: 429, times: 'always', retryAfter: 1 });
    for (let i = 0; i < 3; i++) expect((await startRun()).status).toBe(429);
    expect((await json(kg('/health'))).body).toEqual({
      message: 'Too Many Requests',
      status_code: 429,
      details: null,
    });
    emulator.clearFaults('kognitos.*');
    expect((await startRun()).status).toBe(201);
  });

  it('reset-before creates nothing; reset-after creates the run the client never hears of', async () => {
    emulator.setFault('truefoundry.triggerJob', 'reset-before');
    expect((await triggerRaw()).error).toMatch(/socket hang up|ECONNRESET/);
    expect(emulator.runs()).toHaveLength(0);
    emulator.setFault('truefoundry.triggerJob', 'reset-after');
    expect((await triggerRaw()).error).toMatch(/socket hang up|ECONNRESET/);
    const [run] = emulator.runs();
    const [, second] = emulator.requests('truefoundry.triggerJob');
    expect(second).toMatchObject({ outcome: 'reset', status: null, createdRunId: run.id });
    expect(run.createdByRequest).toBe(second.id);
  });

  it('timeout holds the request; the run exists only with sideEffect', async () => {
    emulator.setFault('truefoundry.triggerJob', { type: 'timeout', sideEffect: true });
    const held = tf('/jobs/trigger', {
      method: 'POST',
      body: '{"applicationId":"app1"}',
      signal: AbortSignal.timeout(200),
    });
    await expect(held).rejects.toThrow();
    expect(emulator.requests('truefoundry.triggerJob')[0].outcome).toBe('held');
    expect(emulator.runs()).toHaveLength(1);
  });

  it('cut-body sends a Content-Length it does not keep, after creating the run', async () => {
    emulator.setFault('truefoundry.triggerJob', 'cut-body');
    const answer = await triggerRaw();
    expect(answer.status).toBe(200);
    expect(answer.error).toMatch(/aborted|ECONNRESET/);
    expect(Number(answer.headers?.['content-length'])).toBeGreaterThan(answer.body.length);
    expect(emulator.runs()).toHaveLength(1);
    expect(emulator.requests()[0]).toMatchObject({ outcome: 'cut', bytesWritten: answer.body.length });
  });

  it('invalid-json answers 200 with a page; redirect points back at the route', async () => {
    emulator.setFault('truefoundry.getJobRun', 'invalid-json');
    const page = await tf('/jobs/app1/runs/x');
    expect(page.status).toBe(200);
    await expect(page.json()).rejects.toThrow();
    emulator.setFault('truefoundry.triggerJob', 'redirect');
    const redirected = await tf('/jobs/trigger', {
      method: 'POST',
      body: '{"applicationId":"app1"}',
      redirect: 'manual',
    });
    expect(redirected.status).toBe(307);
    expect(redirected.headers.get('location')).toBe('/api/svc/v1/jobs/trigger');
    expect(emulator.runs()).toHaveLength(0);
    emulator.setFault('truefoundry.triggerJob', { type: 'redirect', status: 308 });
    expect((await trigger()).status).toBe(200); // fetch follows a 308 and replays the POST
    expect(emulator.count('truefoundry.triggerJob')).toBe(3);
    expect(emulator.runs()).toHaveLength(1);
  });

  it('huge-body counts the bytes written before the client went away', async () => {
    emulator.setFault('truefoundry.getJobRun', { type: 'huge-body', bytes: 256 * 2 ** 20 });
    const response = await tf('/jobs/app1/runs/x');
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    let read = 0;
    while (read < 1_000_000) read += (await reader.read()).value?.length ?? 0;
    await reader.cancel();
    await expect.poll(() => emulator.requests()[0].outcome).toBe('client-gone');
    const { bytesWritten } = emulator.requests()[0];
    expect(bytesWritten).toBeGreaterThanOrEqual(read);
    expect(bytesWritten).toBeLessThan(256 * 2 ** 20);
  });

  it('huge-body sends the whole JSON body to a client that reads it', async () => {
    emulator.setFault('kognitos.getRun', { type: 'huge-body', bytes: 100_000, contentLength: true });
    const body = await json(kg('/runs/x'));
    expect(body.body.data).toHaveLength(100_000 - 11);
    await expect.poll(() => emulator.requests()[0].bytesWritten).toBe(100_000);
  });

  it('gzip-bomb: a small gzip body that inflates to the size asked for', async () => {
    emulator.setFault('truefoundry.getJobRun', { type: 'gzip-bomb', inflatedBytes: 32 * 2 ** 20 });
    const answer = await raw(`${emulator.urls.truefoundry}/api/svc/v1/jobs/app1/runs/x`, {
      headers: { authorization: `Bearer ${TF_KEY}` },
    });
    expect(answer.headers?.['content-encoding']).toBe('gzip');
    expect(answer.body.length).toBeLessThan(100_000);
    const { gunzipSync } = await import('node:zlib');
    expect(gunzipSync(answer.body).length).toBe(32 * 2 ** 20);
  });

  it('delay answers late; the run is created on arrival', async () => {
    emulator.setFault('kognitos.startRun', { type: 'delay', ms: 150 });
    const started = performance.now();
    const answer = startRun();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(emulator.runs()).toHaveLength(1);
    expect((await answer).status).toBe(201);
    expect(performance.now() - started).toBeGreaterThanOrEqual(140);
  });

  it('rejects unknown routes and fault types', () => {
    expect(() => emulator.setFault('truefoundry.trigger' as never, 'timeout')).toThrow(/unknown route/);
    expect(() => emulator.setFault('*', { type: 'explode' } as never)).toThrow(/unknown fault type/);
    expect(() => emulator.setFault('*', { type: 'reset-after', sideEffect: false } as never)).toThrow(
      /always/,
    );
  });
});

describe('CORS, admin routes and records', () => {
  it('answers preflights and adds Access-Control-Allow-Origin to every answer', async () => {
    const preflight = await fetch(`${emulator.urls.kognitos}/runs`, {
      method: 'OPTIONS',
      headers: { origin: 'http://example.test', 'access-control-request-method': 'POST' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-headers')).toBe(
      'authorization, x-api-key, content-type',
    );
    const denied = await tf('/jobs/app1/runs', { key: 'wrong' });
    expect(denied.headers.get('access-control-allow-origin')).toBe('*');
    expect(emulator.stats()).toMatchObject({ preflights: 1, requests: 1 });
  });

  it('records method, path, query (repeated keys as arrays), lower-case headers and body', async () => {
    await tf('/jobs/app1/runs?status=RUNNING&status=FAILED&limit=5', { headers: { 'X-Trace': 'abc' } });
    const [record] = emulator.requests({ route: 'truefoundry.listJobRuns' });
    expect(record).toMatchObject({
      method: 'GET',
      path: '/api/svc/v1/jobs/app1/runs',
      query: { status: ['RUNNING', 'FAILED'], limit: '5' },
      headers: { 'x-trace': 'abc' },
      body: '',
      status: 200,
    });
    expect(emulator.count('truefoundry')).toBe(1);
    expect(emulator.count({ method: 'GET' })).toBe(1);
  });

  it('runs as a child process: one JSON line with the URLs, admin routes for counts', async () => {
    const script = fileURLToPath(new URL('./provider-emulator.mjs', import.meta.url));
    const child = spawn(process.execPath, [script, '--time-scale', '0.001'], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    try {
      const line = await new Promise<string>((resolve) =>
        createInterface({ input: child.stdout as NodeJS.ReadableStream }).once('line', resolve),
      );
      const { urls, keys } = JSON.parse(line);
      const created = await fetch(`${urls.kognitos}/runs`, {
        method: 'POST',
        headers: { 'x-api-key': keys.kognitos, 'content-type': 'application/json' },
        body: JSON.stringify({ agent_id: 'a', process_id: 'p', name: 'n', stage: 'Draft' }),
      });
      expect(created.status).toBe(201);
      const stats = await (await fetch(`${urls.truefoundry}/__emulator/stats`)).json();
      expect(stats).toMatchObject({ requests: 1, runs: { kognitos: { total: 1 } } });
      const runs = await (await fetch(`${urls.truefoundry}/__emulator/runs?provider=kognitos`)).json();
      expect(runs).toHaveLength(1);
      const fault = await fetch(`${urls.truefoundry}/__emulator/faults`, {
        method: 'POST',
        body: JSON.stringify({ route: 'truefoundry.triggerJob', type: 'status', status: 500 }),
      });
      expect(fault.status).toBe(200);
      const failed = await fetch(`${urls.truefoundry}/api/svc/v1/jobs/trigger`, {
        method: 'POST',
        headers: { authorization: `Bearer ${keys.truefoundry}` },
        body: '{"applicationId":"a"}',
      });
      expect(failed.status).toBe(500);
    } finally {
      child.kill('SIGTERM');
    }
    const [code] = await new Promise<[number | null]>((resolve) => child.once('exit', (c) => resolve([c])));
    expect(code).toBe(0);
  });
});

describe('scale', () => {
  it('stays fast with 10,000+ runs and thousands of requests', async () => {
    const seedStart = performance.now();
    emulator.seedRuns('truefoundry', 'big', 10_000, { failureRate: 0.2 });
    emulator.seedRuns('kognitos', 'agent1/big', 10_000);
    for (let i = 0; i < 50; i++) emulator.seedRuns('truefoundry', `other${i}`, 100);
    expect(performance.now() - seedStart).toBeLessThan(2_000);

    const started = performance.now();
    const names = emulator.runs({ provider: 'truefoundry', job: 'big' }).map((r) => r.name);
    let cursor: string | null = null;
    let kognitosSeen = 0;
    const work: Promise<unknown>[] = [];
    for (let i = 0; i < 2_000; i++) {
      work.push(tf(`/jobs/big/runs/${names[(i * 37) % names.length]}`).then((r) => r.arrayBuffer()));
      if (work.length >= 32) await Promise.all(work.splice(0));
    }
    await Promise.all(work);
    for (let offset = 0; offset < 10_000; offset += 1000) {
      const page = await json(tf(`/jobs/big/runs?limit=1000&offset=${offset}`));
      expect(page.body.data).toHaveLength(1000);
    }
    const filtered = await json(tf('/jobs/big/runs?status=FAILED&limit=10'));
    expect(filtered.body.pagination.total).toBeGreaterThan(1_000);
    do {
      const page: { body: { items: unknown[]; continuation_token: string | null } } = await json(
        kg(`/runs?agent_id=agent1&process_id=big&limit=100${cursor ? `&continuation_token=${cursor}` : ''}`),
      );
      kognitosSeen += page.body.items.length;
      cursor = page.body.continuation_token;
    } while (cursor);
    expect(kognitosSeen).toBe(10_000);
    const elapsed = performance.now() - started;
    expect(emulator.count('truefoundry.getJobRun')).toBe(2_000);
    // ~2,100 requests, 100 of them listing 10,000 runs: a few hundred ms here; generous for a loaded CI.
    expect(elapsed).toBeLessThan(15_000);
  });
});
