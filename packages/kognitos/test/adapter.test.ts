// The Kognitos adapter (createKognitos) against Prism, plus request shapes, status spellings and
// "no request" checks against the loopback server.
import {
  ConfigError,
  InvalidRequestError,
  ResponseValidationError,
  TriggerUnconfirmedError,
  UnsupportedOperationError,
} from '@anyjob/core';
import { describe, expect, it } from 'vitest';
import { MOCK_API_KEY, mockUrl } from '#test-harness';
import { useLoopbackServer } from '../../../scripts/test-harness/loopback-server.js';
import { createKognitos, type KognitosTriggerRequest } from '../src/index.js';

const AGENT = 'b4fznghynbdemslfd5k044fgd';
const prism = (headers?: Record<string, string>) =>
  createKognitos({ apiKey: MOCK_API_KEY, baseUrl: mockUrl('kognitos'), headers });

describe('createKognitos against Prism', () => {
  it('triggerJob starts a run (Created → queued) with a ref holding the run id and the origin', async () => {
    const run = await prism().triggerJob({
      provider: 'kognitos',
      agentId: AGENT,
      processId: AGENT,
      inputs: { invoice: 42 },
    });
    expect(run).toMatchObject({ provider: 'kognitos', status: 'queued', providerStatus: 'Created' });
    expect(run.ref).toEqual({
      provider: 'kognitos',
      runId: run.id,
      agentId: AGENT,
      processId: AGENT,
      origin: new URL(mockUrl('kognitos')).origin,
    });
  });

  it('getJobRun maps Succeeded and turns outputs into a record by name', async () => {
    const run = await prism().getJobRun({ provider: 'kognitos', runId: '5344tfjgvq4k7bn7xj8b7tfq7' });
    expect(run).toMatchObject({ status: 'succeeded', providerStatus: 'Succeeded' });
    expect(run.output).toEqual({ total_items: 42, customer_id: '9nvx1hdm9bd74rp585oe81t5i' });
  });

  it('getJobRun maps Running to running', async () => {
    const run = await prism({ Prefer: 'example=running' }).getJobRun({
      provider: 'kognitos',
      runId: '5344tfjgvq4k7bn7xj8b7tfq7',
    });
    expect(run.status).toBe('running');
    expect(run.output).toBeUndefined();
  });
});

describe('createKognitos request shapes and statuses', () => {
  const server = useLoopbackServer();
  const adapter = () => createKognitos({ apiKey: MOCK_API_KEY, baseUrl: server.url, maxRetries: 0 });
  const run = (status: string) => ({
    id: 'run1',
    name: 'n',
    agent_id: AGENT,
    process_id: 'p1',
    stage: 'Published',
    status,
    created_at: '2025-01-15T10:02:44',
  });

  it('sends object inputs as [{name, value}], stage Published and a readable default name with a marker', async () => {
    server.script('POST /runs', { status: 201, body: run('Created') });
    await adapter().triggerJob({
      provider: 'kognitos',
      agentId: AGENT,
      processId: 'p1',
      inputs: { invoice: 42, rush: true },
    });
    const body = JSON.parse(server.requests()[0].body);
    expect(body).toMatchObject({
      agent_id: AGENT,
      process_id: 'p1',
      stage: 'Published',
      inputs: [
        { name: 'invoice', value: 42 },
        { name: 'rush', value: true },
      ],
    });
    // `anyjob <ISO time> <8 random hex>`: the marker finds the run again after an unknown outcome.
    expect(body.name).toMatch(/^anyjob \d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z [0-9a-f]{8}$/);
  });

  it.each([
    ['SUCCEEDED', 'succeeded'],
    ['Pending', 'queued'],
    ['Cancelled', 'canceled'],
    ['TimedOut', 'timed_out'],
    ['Paused', 'unknown'],
  ])('maps status %s to %s, keeping the provider word', async (providerStatus, status) => {
    server.script('GET /runs/run1', { body: run(providerStatus) });
    await expect(adapter().getJobRun({ provider: 'kognitos', runId: 'run1' })).resolves.toMatchObject({
      status,
      providerStatus,
    });
  });

  it('cancelJob is unsupported and sends nothing', async () => {
    await expect(adapter().cancelJob({ provider: 'kognitos', runId: 'run1' })).rejects.toSatisfy(
      UnsupportedOperationError.isInstance,
    );
    expect(server.count()).toBe(0);
  });

  const bad: [string, Record<string, unknown>, string][] = [
    ['a missing agentId', { processId: 'p1' }, 'agentId'],
    ['a process id with spaces', { agentId: AGENT, processId: 'Process invoice' }, 'processId'],
    ['an unknown stage', { agentId: AGENT, processId: 'p1', stage: 'Live' }, 'stage'],
    ['a name over 100 characters', { agentId: AGENT, processId: 'p1', name: 'x'.repeat(101) }, 'name'],
    ['inputs without names', { agentId: AGENT, processId: 'p1', inputs: [{ value: 1 }] }, 'inputs[0]'],
    ['fileIds that are not strings', { agentId: AGENT, processId: 'p1', fileIds: [1] }, 'fileIds'],
    // JSON would drop the value and send `{"name":"invoice"}`, which the spec forbids.
    [
      'an undefined input value',
      { agentId: AGENT, processId: 'p1', inputs: { invoice: undefined } },
      'inputs.invoice',
    ],
    [
      'an undefined value in the array form',
      { agentId: AGENT, processId: 'p1', inputs: [{ name: 'invoice', value: undefined }] },
      'inputs[0].value',
    ],
  ];
  it('names facade fields, not wire fields, for what only the spec checks, even with no API key set', async () => {
    const noKey = createKognitos({ baseUrl: server.url, env: {}, maxRetries: 0 });
    const error = await noKey
      .triggerJob({ provider: 'kognitos', agentId: 'a b', processId: 'p1' })
      .catch((e: unknown) => e);
    expect(InvalidRequestError.isInstance(error)).toBe(true);
    expect((error as InvalidRequestError).issues).toEqual([
      { path: 'agentId', rule: 'pattern', message: '`agentId` must match the pattern /^[a-zA-Z0-9-_]+$/.' },
    ]);
    expect((error as Error).message).not.toContain('agent_id');
    const refError = await noKey.getJobRun({ provider: 'kognitos', runId: '..' }).catch((e: unknown) => e);
    expect((refError as InvalidRequestError).issues.map((issue) => issue.path)).toEqual(['ref.runId']);
    expect(server.count()).toBe(0);
  });

  // The default name carries 8 random hex characters no other call sends: a run with that name in
  // the list is proof, so the trigger resolves with it (and not with a run named otherwise).
  it('a trigger with an unknown outcome resolves with the run carrying its random name marker', async () => {
    server.script('POST /runs', { status: 503 });
    const now = new Date().toISOString().replace(/Z$/, '');
    server.script('GET /runs', () => {
      const sent = JSON.parse(server.requests('POST /runs')[0].body) as { name: string };
      return {
        body: {
          items: [
            { ...run('Running'), id: 'other', name: `anyjob ${now}Z 00000000`, created_at: now },
            { ...run('Running'), id: 'mine', name: sent.name, created_at: now },
          ],
          continuation_token: null,
        },
      };
    });
    const found = await adapter().triggerJob({ provider: 'kognitos', agentId: AGENT, processId: 'p1' });
    expect(found).toMatchObject({ id: 'mine', status: 'running', ref: { runId: 'mine', agentId: AGENT } });
    expect(found.createdAt).toBe(`${now}Z`);
    expect(server.count('POST /runs')).toBe(1);
    expect(Object.fromEntries(server.requests('GET /runs')[0].query)).toMatchObject({
      agent_id: AGENT,
      process_id: 'p1',
    });
  });

  // A name the caller chose may be reused by a cron or a batch: a run with it may be another
  // caller's, so even the only match is a candidate, never the trigger's run.
  it('a caller-chosen name finds only candidates: the run of that name is not returned', async () => {
    server.script('POST /runs', { status: 503 });
    const now = new Date().toISOString().replace(/Z$/, '');
    server.script('GET /runs', {
      body: {
        items: [
          { ...run('Running'), id: 'other', name: 'someone else', created_at: now },
          { ...run('Running'), id: 'same-name', name: 'nightly 42', created_at: now },
        ],
        continuation_token: null,
      },
    });
    const error = await adapter()
      .triggerJob({ provider: 'kognitos', agentId: AGENT, processId: 'p1', name: 'nightly 42' })
      .catch((e: unknown) => e);
    expect(TriggerUnconfirmedError.isInstance(error), String(error)).toBe(true);
    const { reconciliation, candidates } = error as TriggerUnconfirmedError;
    expect(reconciliation.outcome).toBe('unproven');
    expect(candidates.map((candidate) => candidate.id)).toEqual(['same-name']);
    expect(server.count('POST /runs')).toBe(1);
  });

  it('a bad region fails the first call, not the creation, without echoing the value', async () => {
    const provider = createKognitos({ apiKey: MOCK_API_KEY, region: 'apac' as never, env: {} });
    const error = await provider.getJobRun({ provider: 'kognitos', runId: 'run1' }).catch((e: unknown) => e);
    expect(ConfigError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ setting: 'region' });
    expect((error as Error).message).toContain('not one of us, eu, uk');
    expect((error as Error).message).not.toContain('apac');
    expect(server.count()).toBe(0);
  });

  it('sends a null input value: null is how to say "no value"', async () => {
    server.script('POST /runs', { status: 201, body: run('Created') });
    await adapter().triggerJob({
      provider: 'kognitos',
      agentId: AGENT,
      processId: 'p1',
      inputs: { invoice: null },
    });
    expect(JSON.parse(server.requests()[0].body).inputs).toEqual([{ name: 'invoice', value: null }]);
  });

  it.each(bad)('rejects %s before any request, naming the field', async (_, fields, path) => {
    const error = await adapter()
      .triggerJob({ provider: 'kognitos', ...fields } as unknown as KognitosTriggerRequest)
      .catch((e: unknown) => e);
    expect(InvalidRequestError.isInstance(error)).toBe(true);
    expect((error as InvalidRequestError).issues.map((issue) => issue.path)).toContain(path);
    expect(server.count()).toBe(0);
  });
});

describe('createKognitos with a 2xx body it cannot read', () => {
  const server = useLoopbackServer();
  const adapter = () => createKognitos({ apiKey: MOCK_API_KEY, baseUrl: server.url, maxRetries: 0 });
  const trigger = () => adapter().triggerJob({ provider: 'kognitos', agentId: AGENT, processId: 'p1' });

  async function failure(call: Promise<unknown>) {
    const error = await call.catch((e: unknown) => e);
    expect(ResponseValidationError.isInstance(error)).toBe(true);
    return error as ResponseValidationError;
  }

  // A trigger answered with a body it cannot read may still have started a run: it is not retried,
  // the run list is searched (by the run's name), and with no run found it ends unconfirmed, the
  // reading error as cause.
  async function unconfirmed(outcome: string): Promise<ResponseValidationError> {
    const error = await trigger().catch((e: unknown) => e);
    expect(TriggerUnconfirmedError.isInstance(error)).toBe(true);
    expect((error as TriggerUnconfirmedError).reconciliation.outcome).toBe(outcome);
    expect(server.count('POST /runs')).toBe(1);
    const [search] = server.requests('GET /runs');
    expect(Object.fromEntries(search.query)).toMatchObject({ agent_id: AGENT, process_id: 'p1' });
    return failure(Promise.reject((error as TriggerUnconfirmedError).cause));
  }

  it('a web page names the operation and the content type, not the page', async () => {
    const page = { headers: { 'content-type': 'text/html' }, body: '<p>sign in</p>' };
    server.script('POST /runs', { status: 201, ...page });
    // The base URL points at a web page, so the search of the run list gets the page as well.
    server.script('GET /runs', page);
    const error = await unconfirmed('failed');
    expect(error).toMatchObject({ provider: 'kognitos', operation: 'startRun' });
    expect(error.issues.map((issue) => issue.path)).toEqual(['response']);
    expect(error.message).toContain('text/html');
    expect(error.message).not.toContain('sign in');
  });

  it('a run without an id or status names both', async () => {
    server.script('POST /runs', { status: 201, body: { name: 'n' } });
    server.script('GET /runs', { body: { items: [], continuation_token: null } });
    const error = await unconfirmed('not-found');
    expect(error.issues.map((issue) => issue.path)).toEqual(['response.id', 'response.status']);
  });

  it('outputs that are not { name, value } pairs are refused', async () => {
    server.script('GET /runs/run1', { body: { id: 'run1', status: 'Succeeded', outputs: { total: 1 } } });
    const error = await failure(adapter().getJobRun({ provider: 'kognitos', runId: 'run1' }));
    expect(error).toMatchObject({ operation: 'getRun' });
    expect(error.issues).toEqual([
      {
        path: 'response.outputs',
        rule: 'type',
        message: 'must be an array of { name, value } or absent, got an object',
      },
    ]);
  });
});
