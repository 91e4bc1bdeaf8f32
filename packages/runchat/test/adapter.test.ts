// The Runchat adapter (createRunchat) against Prism, plus request shapes and "no request" checks
// against the loopback server.
import {
  InvalidRequestError,
  ResponseValidationError,
  TriggerUnconfirmedError,
  UnsupportedOperationError,
} from '@anyjob/core';
import { describe, expect, it } from 'vitest';
import { MOCK_API_KEY, mockUrl, prismViolations } from '#test-harness';
import { useLoopbackServer } from '../../../scripts/test-harness/loopback-server.js';
import { createRunchat, type RunchatTriggerRequest } from '../src/index.js';

const prism = (headers?: Record<string, string>) =>
  createRunchat({ apiKey: MOCK_API_KEY, baseUrl: mockUrl('runchat'), headers });

describe('createRunchat against Prism', () => {
  it('a job without message or payload runs by GET and comes back succeeded with outputs by parameter id', async () => {
    const run = await prism().triggerJob({ provider: 'runchat', jobId: 'job_7Hq2mX9vKp4R' });
    expect(run).toMatchObject({ provider: 'runchat', status: 'succeeded', id: 'job_7Hq2mX9vKp4R' });
    expect(run.output).toEqual({ summary_n4Kx8: [expect.stringContaining('Revenue')] });
    expect(run.ref).toEqual({
      provider: 'runchat',
      jobId: 'job_7Hq2mX9vKp4R',
      status: 'succeeded',
      origin: new URL(mockUrl('runchat')).origin,
    });
  });

  it('an agent job returns its transcript as output.messages', async () => {
    const run = await prism({ Prefer: 'example=agentJob' }).triggerJob({
      provider: 'runchat',
      jobId: 'job_3Lm8pW2sXy6T',
    });
    expect(run).toMatchObject({ status: 'succeeded', providerStatus: 'success' });
    expect(Array.isArray(run.output?.messages)).toBe(true);
  });

  it('a message runs the agent job by POST; status "error" becomes failed with the error', async () => {
    const ok = await prism().triggerJob({
      provider: 'runchat',
      jobId: 'job_3Lm8pW2sXy6T',
      message: 'Summarize.',
    });
    expect(ok.status).toBe('succeeded');
    const failed = await prism({ Prefer: 'example=agentError' }).triggerJob({
      provider: 'runchat',
      jobId: 'job_3Lm8pW2sXy6T',
      payload: { event: 'form.submitted' },
    });
    expect(failed).toMatchObject({
      status: 'failed',
      providerStatus: 'error',
      error: expect.stringContaining('channel'),
    });
    expect(failed.ref).toMatchObject({ status: 'failed', error: failed.error });
  });

  it('a flow runs by POST /{flowId}; the run id and ref carry the instance id', async () => {
    const run = await prism().triggerJob({
      provider: 'runchat',
      flowId: 'flow_8f2c',
      inputs: { query_nodeA: 'hi' },
    });
    expect(run.status).toBe('succeeded');
    expect(run.id).toBe('3f2b8c1e-9d4a-4c7e-8b1f-2a6d5e9c0f41');
    expect(run.ref).toMatchObject({ flowId: 'flow_8f2c', instanceId: run.id });
    expect(run.output).toEqual({ story_xyz789: [expect.any(String)] });
  });

  it("a webhook payload continues an instance, as in the spec's webhookInput example", async () => {
    const run = await prism().triggerJob({
      provider: 'runchat',
      flowId: 'flow_8f2c',
      instanceId: 'new-or-existing-instance-uuid',
      payload: { event: 'user_created', user_id: 'usr_789', timestamp: '2024-01-01T12:00:00Z' },
    });
    expect(run.status).toBe('succeeded');
    expect(prismViolations().flatMap((seen) => seen.violations)).toEqual([]);
  });
});

describe('createRunchat request shapes and local answers', () => {
  const server = useLoopbackServer();
  const adapter = () => createRunchat({ apiKey: MOCK_API_KEY, baseUrl: server.url, maxRetries: 0 });
  const agentBody = { messages: [], status: 'success' };

  it('sends message as {message} and payload as the raw body', async () => {
    server.script('POST /job/j1', { body: agentBody });
    await adapter().triggerJob({ provider: 'runchat', jobId: 'j1', message: 'hello' });
    await adapter().triggerJob({ provider: 'runchat', jobId: 'j1', payload: { order: 7 } });
    expect(server.requests('POST /job/j1').map((r) => JSON.parse(r.body))).toEqual([
      { message: 'hello' },
      { order: 7 },
    ]);
  });

  it('sends flow inputs and the instance id as runchat_instance_id', async () => {
    server.script('POST /f1', { body: { runchat_instance_id: 'i2', data: [] } });
    await adapter().triggerJob({ provider: 'runchat', flowId: 'f1', inputs: { a_n1: 1 }, instanceId: 'i1' });
    expect(JSON.parse(server.requests()[0].body)).toEqual({ inputs: { a_n1: 1 }, runchat_instance_id: 'i1' });
  });

  it('sends a payload with the instance id added, leaving the caller its own object', async () => {
    server.script('POST /f1', { body: { runchat_instance_id: 'i1', data: [] } });
    const payload = { event: 'user_created' };
    await adapter().triggerJob({ provider: 'runchat', flowId: 'f1', instanceId: 'i1', payload });
    await adapter().triggerJob({
      provider: 'runchat',
      flowId: 'f1',
      instanceId: 'i1',
      payload: { ...payload, runchat_instance_id: 'i1' },
    });
    expect(server.requests().map((r) => JSON.parse(r.body))).toEqual([
      { event: 'user_created', runchat_instance_id: 'i1' },
      { event: 'user_created', runchat_instance_id: 'i1' },
    ]);
    expect(payload).toEqual({ event: 'user_created' });
  });

  it('getJobRun answers from a stored ref and cancelJob is unsupported, both without a request', async () => {
    const ref = JSON.parse(
      JSON.stringify({ provider: 'runchat', jobId: 'j1', status: 'failed', error: 'boom' }),
    );
    await expect(adapter().getJobRun(ref)).resolves.toMatchObject({
      id: 'j1',
      status: 'failed',
      error: 'boom',
    });
    const error = await adapter()
      .cancelJob(ref)
      .catch((e: unknown) => e);
    expect(UnsupportedOperationError.isInstance(error)).toBe(true);
    expect(server.count()).toBe(0);
  });

  it.each([
    ['neither jobId nor flowId', { status: 'succeeded' }, 'ref.jobId'],
    ['no status', { jobId: 'j1' }, 'ref.status'],
    ['a status that is not a run status', { flowId: 'f1', status: 'done' }, 'ref.status'],
  ])('getJobRun refuses a ref with %s, naming the field, without a request', async (_, fields, path) => {
    const error = await adapter()
      .getJobRun({ provider: 'runchat', ...fields } as never)
      .catch((e: unknown) => e);
    expect(InvalidRequestError.isInstance(error)).toBe(true);
    expect((error as InvalidRequestError).issues.map((issue) => issue.path)).toEqual([path]);
    expect(server.count()).toBe(0);
  });

  it('getJobRun refuses a ref recorded as unfinished instead of pretending to refresh it', async () => {
    await expect(
      adapter().getJobRun({ provider: 'runchat', jobId: 'j1', status: 'unknown' }),
    ).rejects.toSatisfy(UnsupportedOperationError.isInstance);
    expect(server.count()).toBe(0);
  });

  it.each([
    ['a job id the URL would resolve away', { jobId: '..' }, 'jobId'],
    ['a flow id the URL would resolve away', { flowId: '.' }, 'flowId'],
    [
      'a payload with a numeric instance id',
      { flowId: 'f1', payload: { runchat_instance_id: 5 } },
      'payload.runchat_instance_id',
    ],
    ['a payload whose message is not a string', { jobId: 'j1', payload: { message: 5 } }, 'payload.message'],
  ])(
    'names the facade field for %s, which only the spec catches, even with no API key set',
    async (_, fields, path) => {
      const noKey = createRunchat({ baseUrl: server.url, env: {}, maxRetries: 0 });
      const error = await noKey
        .triggerJob({ provider: 'runchat', ...fields } as unknown as RunchatTriggerRequest)
        .catch((e: unknown) => e);
      expect(InvalidRequestError.isInstance(error)).toBe(true);
      expect((error as InvalidRequestError).issues.map((issue) => issue.path)).toEqual([path]);
      expect((error as Error).message).toContain(`\`${path}\` must`);
      expect(server.count()).toBe(0);
    },
  );

  const bad: [string, Record<string, unknown>, string][] = [
    ['no id', {}, 'flowId'],
    ['an empty jobId', { jobId: '' }, 'jobId'],
    ['both ids', { jobId: 'j1', flowId: 'f1' }, 'flowId'],
    ['message and payload', { jobId: 'j1', message: 'a', payload: { b: 1 } }, 'payload'],
    ['payload and inputs', { flowId: 'f1', payload: { b: 1 }, inputs: { a: 1 } }, 'payload'],
    [
      'two different instance ids',
      { flowId: 'f1', instanceId: 'i1', payload: { runchat_instance_id: 'i2' } },
      'instanceId',
    ],
    [
      'a non-object payload with an instance id',
      { flowId: 'f1', instanceId: 'i1', payload: ['x'] },
      'payload',
    ],
    ['a non-object payload', { jobId: 'j1', payload: 'text' }, 'payload'],
    ['a misspelt field', { jobId: 'j1', mesage: 'hi' }, 'mesage'],
  ];
  it.each(bad)('rejects %s before any request, naming the field', async (_, fields, path) => {
    const error = await adapter()
      .triggerJob({ provider: 'runchat', ...fields } as unknown as RunchatTriggerRequest)
      .catch((e: unknown) => e);
    expect(InvalidRequestError.isInstance(error)).toBe(true);
    expect((error as InvalidRequestError).issues.map((issue) => issue.path)).toContain(path);
    expect(server.count()).toBe(0);
  });
});

describe('createRunchat with a 2xx body it cannot read', () => {
  const server = useLoopbackServer();
  const adapter = () => createRunchat({ apiKey: MOCK_API_KEY, baseUrl: server.url, maxRetries: 0 });

  // A run answered with a body it cannot read may still have run: it is not retried, and Runchat
  // has no run list to search, so the trigger ends unconfirmed with the reading error as cause.
  async function failure(call: Promise<unknown>) {
    const error = await call.catch((e: unknown) => e);
    expect(TriggerUnconfirmedError.isInstance(error)).toBe(true);
    expect((error as TriggerUnconfirmedError).reconciliation.outcome).toBe('unsupported');
    expect(server.count()).toBe(1);
    const cause = (error as TriggerUnconfirmedError).cause;
    expect(ResponseValidationError.isInstance(cause)).toBe(true);
    return cause as ResponseValidationError;
  }

  it('a web page from a flow run names the operation and the content type, not the page', async () => {
    server.script('POST /f1', {
      headers: { 'content-type': 'text/html; charset=utf-8' },
      body: '<html>app</html>',
    });
    const error = await failure(adapter().triggerJob({ provider: 'runchat', flowId: 'f1' }));
    expect(error).toMatchObject({ provider: 'runchat', operation: 'runFlow' });
    expect(error.issues.map((issue) => issue.path)).toEqual(['response']);
    expect(error.message).toContain('text/html');
    expect(error.message).not.toContain('<html>');
  });

  it('a web page from a job run is refused too', async () => {
    server.script('GET /job/j1', { headers: { 'content-type': 'text/html' }, body: '<html>app</html>' });
    const error = await failure(adapter().triggerJob({ provider: 'runchat', jobId: 'j1' }));
    expect(error.operation).toBe('triggerJob');
  });

  it('a job answering {} is not a success: it has neither messages nor data', async () => {
    server.script('POST /job/j1', { body: {} });
    const error = await failure(adapter().triggerJob({ provider: 'runchat', jobId: 'j1', message: 'hi' }));
    expect(error).toMatchObject({ operation: 'triggerAgentJobWithMessage' });
    expect(error.issues.map((issue) => issue.path)).toEqual(['response.messages']);
  });

  it('flow outputs without parameter ids are refused', async () => {
    server.script('POST /f1', { body: { data: [{ label: 'Story', data: ['x'] }] } });
    const error = await failure(adapter().triggerJob({ provider: 'runchat', flowId: 'f1' }));
    expect(error.issues.map((issue) => issue.path)).toEqual(['response.data']);
  });
});
