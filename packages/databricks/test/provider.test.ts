// The Databricks provider: its contract and status spec against specs/databricks.yaml; trigger,
// read, list and cancel against Prism; and on a loopback server what Prism cannot show: an int64
// run id beyond 2^53 kept exactly through a ref's JSON round trip, the idempotency token reused by
// a retry, and a lost run-now answer recovered by re-sending the same token (the proof lookup).
import { InvalidRequestError, readRunStatus, TriggerUnconfirmedError } from '@anyjob/core';
import { describe, expect, it } from 'vitest';
import { MOCK_API_KEY, mockUrl, preferExampleFetch } from '#test-harness';
import { describeContractCoverage } from '../../../scripts/test-harness/contract-coverage.js';
import { useLoopbackServer } from '../../../scripts/test-harness/loopback-server.js';
import { describeStatusSpecCoverage } from '../../../scripts/test-harness/status-coverage.js';
import { DATABRICKS_CONTRACT, DATABRICKS_STATUS, databricks } from '../src/provider.js';

describeStatusSpecCoverage('databricks', 'specs/databricks.yaml', DATABRICKS_STATUS, 'getRun');
describeContractCoverage('databricks', 'specs/databricks.yaml', DATABRICKS_CONTRACT, {
  trigger: 'runNow',
  get: 'getRun',
  list: 'listRuns',
});

describe('the databricks status', () => {
  const status = (run: unknown) => readRunStatus(DATABRICKS_STATUS, run).status;

  it('reads status.state and termination_details.code, not the deprecated state beside them', () => {
    const legacy = { life_cycle_state: 'TERMINATED', result_state: 'SUCCESS' };
    expect(status({ status: { state: 'RUNNING' }, state: legacy })).toBe('running');
    expect(status({ status: { state: 'TERMINATED', termination_details: { code: 'SUCCESS' } } })).toBe(
      'succeeded',
    );
    expect(status({ status: { state: 'TERMINATED', termination_details: { code: 'USER_CANCELED' } } })).toBe(
      'canceled',
    );
    expect(status({ status: { state: 'TERMINATED', termination_details: { code: 'DRIVER_ERROR' } } })).toBe(
      'failed',
    );
    expect(status({ status: { state: 'TERMINATED' }, state: legacy })).toBe('unknown');
  });

  it('reads the deprecated state only where status is absent', () => {
    expect(status({ state: { life_cycle_state: 'TERMINATED', result_state: 'TIMEDOUT' } })).toBe('timed_out');
    expect(status({ state: { life_cycle_state: 'PENDING' } })).toBe('queued');
  });
});

const settings = (baseUrl: string, extra: object = {}) => ({
  apiKey: MOCK_API_KEY,
  baseUrl,
  env: {},
  retryDelayMs: 1,
  ...extra,
});

describe('the databricks provider against Prism', () => {
  const provider = databricks.create(settings(mockUrl('databricks')));

  it('triggers a job (run-now answers only the id), reads the run, and again from its stored ref', async () => {
    const run = await provider.triggerJob({
      provider: 'databricks',
      jobId: '11223344',
      jobParameters: { run_date: '2026-12-06' },
    });
    expect(run).toMatchObject({ id: '455644833', status: 'succeeded', providerStatus: 'TERMINATED/SUCCESS' });
    expect(run.ref).toEqual({
      provider: 'databricks',
      runId: '455644833',
      jobId: '11223344',
      origin: new URL(mockUrl('databricks')).origin,
    });
    expect(run.createdAt).toBe(new Date(1765008000123).toISOString());
    const again = await provider.getJobRun(JSON.parse(JSON.stringify(run.ref)));
    expect(again.id).toBe(run.id);
  });

  it('reads a failed run with its message, and a canceled one', async () => {
    for (const [example, status] of [
      ['failed', 'failed'],
      ['canceled', 'canceled'],
    ] as const) {
      const reader = databricks.create(
        settings(mockUrl('databricks'), { fetch: preferExampleFetch(() => example) }),
      );
      const run = await reader.getJobRun({ provider: 'databricks', runId: '455644833' });
      expect(run.status).toBe(status);
    }
    const failed = await databricks
      .create(settings(mockUrl('databricks'), { fetch: preferExampleFetch(() => 'failed') }))
      .getJobRun({ provider: 'databricks', runId: '455644833' });
    expect(failed.error).toMatch(/Task ingest failed/);
  });

  it('lists a page of runs and the token of the next', async () => {
    const page = await provider.listRunPage({ provider: 'databricks', jobId: 11223344 }, undefined, {
      pageSize: 2,
    });
    expect(page.runs.map((run) => [run.id, run.status])).toEqual([
      ['455644833', 'running'],
      ['455519021', 'succeeded'],
    ]);
    expect(page.next).toEqual({ token: 'CAEomPuciYcxMKbM9JvMlwU=' });
  });

  it('cancels: runs/cancel answers {}, cancelJob returns the run as it is (cancellation is asynchronous)', async () => {
    const reader = databricks.create(
      settings(mockUrl('databricks'), {
        fetch: preferExampleFetch((url) => (url.pathname.endsWith('/cancel') ? 'requested' : 'running')),
      }),
    );
    const run = await reader.cancelJob({ provider: 'databricks', runId: '455644833' });
    expect(run.status).toBe('running');
  });

  it('refuses a bad job id, key or ref with a typed error naming the field, before any request', async () => {
    let sent = 0;
    const counting = databricks.create(
      settings(mockUrl('databricks'), {
        fetch: (...args: Parameters<typeof fetch>) => {
          sent++;
          return fetch(...args);
        },
      }),
    );
    const refusals = [
      [counting.triggerJob({ provider: 'databricks', jobId: 'nightly' }), 'jobId'],
      [counting.triggerJob({ provider: 'databricks', jobId: 1.5 }), 'jobId'],
      [
        counting.triggerJob({ provider: 'databricks', jobId: '1', idempotencyKey: 'k'.repeat(65) }),
        'idempotencyKey',
      ],
      [
        counting.triggerJob({
          provider: 'databricks',
          jobId: '1',
          jobParameters: { n: 1 as unknown as string },
        }),
        'jobParameters.n',
      ],
      [counting.getJobRun({ provider: 'databricks', runId: '9'.repeat(20) }), 'ref.runId'],
      [counting.listRunPage({ provider: 'databricks', jobId: '-4' }, undefined), 'jobId'],
      [
        counting.listRunPage({ provider: 'databricks', activeOnly: true, completedOnly: true }, undefined),
        'completedOnly',
      ],
      [
        counting.triggerJob({ provider: 'databricks', jobId: '1', only: 'ingest' as unknown as string[] }),
        'only',
      ],
    ] as const;
    for (const [refused, field] of refusals) {
      const error = await (refused as Promise<unknown>).catch((e: unknown) => e);
      expect(InvalidRequestError.isInstance(error), String(error)).toBe(true);
      expect((error as InvalidRequestError).issues.map((issue) => issue.path)).toContain(field);
    }
    expect(sent).toBe(0);
  });
});

describe('the databricks provider on a loopback server', () => {
  const server = useLoopbackServer();
  const BIG = '9007199254740993'; // 2^53 + 1: a JS number would round it to …992
  const runBody = (id: string, state = 'RUNNING') =>
    `{"job_id":11223344,"run_id":${id},"status":{"state":"${state}"},"start_time":1765008000123}`;
  const RUN_NOW = 'POST /api/2.2/jobs/run-now';
  const tokens = () => server.requests(RUN_NOW).map((request) => JSON.parse(request.body).idempotency_token);

  it(`keeps a run id beyond 2^53 exactly: answer, ref JSON round trip, query and cancel body`, async () => {
    server.script(RUN_NOW, {
      body: `{"run_id":${BIG},"number_in_job":${BIG}}`,
      headers: { 'content-type': 'application/json' },
    });
    server.script('GET /api/2.2/jobs/runs/get', (request) => ({
      status: request.query.get('run_id') === BIG ? 200 : 400,
      headers: { 'content-type': 'application/json' },
      body: runBody(BIG),
    }));
    server.script('POST /api/2.2/jobs/runs/cancel', { body: {} });
    const provider = databricks.create(settings(server.url));
    const run = await provider.triggerJob({ provider: 'databricks', jobId: '11223344' });
    expect(run.id).toBe(BIG);
    const stored = JSON.parse(JSON.stringify(run.ref));
    expect((await provider.getJobRun(stored)).id).toBe(BIG);
    await provider.cancelJob(stored);
    expect(server.requests('POST /api/2.2/jobs/runs/cancel')[0]?.body).toBe(`{"run_id":${BIG}}`);
    expect(server.requests(RUN_NOW)[0]?.body).toMatch(/^\{"job_id":11223344,/);
  });

  it('sends one idempotency token per call and the same one on every retry', async () => {
    server.script(RUN_NOW, [
      { status: 503, body: { error_code: 'TEMPORARILY_UNAVAILABLE', message: 'try again' } },
      { body: { run_id: 7, number_in_job: 7 } },
    ]);
    server.script('GET /api/2.2/jobs/runs/get', {
      headers: { 'content-type': 'application/json' },
      body: runBody('7'),
    });
    const provider = databricks.create(settings(server.url));
    await provider.triggerJob({ provider: 'databricks', jobId: 1 });
    const [first, retry] = tokens();
    expect(first).toMatch(/^[0-9a-f-]{36}$/);
    expect(retry).toBe(first);
    await provider.triggerJob({ provider: 'databricks', jobId: 1, idempotencyKey: 'nightly-2026-12-06' });
    expect(tokens().slice(2)).toEqual(['nightly-2026-12-06']);
    expect(tokens()[2]).not.toBe(first);
  });

  it('recovers a lost run-now answer by proof: the same token again answers the same run', async () => {
    server.script(RUN_NOW, [{ destroy: true }, { body: { run_id: 42, number_in_job: 42 } }]);
    server.script('GET /api/2.2/jobs/runs/get', {
      headers: { 'content-type': 'application/json' },
      body: runBody('42'),
    });
    // No transport retry: the outcome stays unknown, and the proof lookup is what finds the run.
    const provider = databricks.create(settings(server.url, { maxRetries: 0 }));
    const run = await provider.triggerJob({ provider: 'databricks', jobId: 1 });
    expect(run.id).toBe('42');
    const [lost, proof] = tokens();
    expect(tokens()).toHaveLength(2);
    expect(proof).toBe(lost);
  });

  it('a prepared trigger carries its token as proof: sent twice (a worker taking over), one run', async () => {
    // Databricks' own rule: the run a token started is the answer to every run-now with that token.
    const started = new Map<string, number>();
    server.script(RUN_NOW, (request) => {
      const token = JSON.parse(request.body).idempotency_token;
      if (!started.has(token)) started.set(token, 100 + started.size);
      return { headers: { 'content-type': 'application/json' }, body: `{"run_id":${started.get(token)}}` };
    });
    server.script('GET /api/2.2/jobs/runs/get', (request) => ({
      headers: { 'content-type': 'application/json' },
      body: runBody(request.query.get('run_id') ?? ''),
    }));
    const provider = databricks.create(settings(server.url));
    const prepared = await provider.prepareTrigger?.({ provider: 'databricks', jobId: '11223344' });
    const token = prepared?.proof?.idempotency_token;
    expect(token).toMatch(/^[0-9a-f-]{36}$/);
    expect(prepared?.request.idempotencyKey).toBe(token);
    expect(prepared?.origin).toBe(new URL(server.url).origin);
    expect(tokens()).toEqual([]); // preparing sends nothing
    // As a queue stores it (JSON), and as another worker sends it again after the first one stalled.
    const stored = JSON.parse(JSON.stringify(prepared));
    const first = await provider.triggerPrepared?.(stored);
    const second = await provider.triggerPrepared?.(stored);
    expect(second?.id).toBe(first?.id);
    expect(tokens()).toEqual([token, token]);
    expect(started.size).toBe(1);
    // The proof lookup of a lost answer sends the same token once more and answers that run.
    const found = await provider.findPreparedRun?.(stored, { sentAt: Date.now(), endedAt: Date.now() });
    expect(found?.id).toBe(first?.id);
    expect(started.size).toBe(1);
    // The caller's own key is the proof where given.
    const own = await provider.prepareTrigger?.({
      provider: 'databricks',
      jobId: 1,
      idempotencyKey: 'nightly',
    });
    expect(own?.proof).toEqual({ idempotency_token: 'nightly' });
  });

  it('ends in TriggerUnconfirmedError when the proof lookup fails too', async () => {
    server.script(RUN_NOW, { destroy: true });
    const provider = databricks.create(settings(server.url, { maxRetries: 0 }));
    const error = await provider.triggerJob({ provider: 'databricks', jobId: 1 }).catch((e: unknown) => e);
    expect(TriggerUnconfirmedError.isInstance(error), String(error)).toBe(true);
    expect(new Set(tokens()).size).toBe(1);
    // The key is on the error: a later retry with it cannot start a second run.
    expect((error as TriggerUnconfirmedError).request.idempotencyKey).toBe(tokens()[0]);
  });
});
