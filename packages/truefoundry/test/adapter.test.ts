// The TrueFoundry adapter (createTrueFoundry) against Prism, plus request-shape checks against the
// loopback server, which records exactly what was sent.
import {
  ConfigError,
  InvalidRequestError,
  ResponseValidationError,
  TriggerUnconfirmedError,
} from '@anyjob/core';
import { describe, expect, it } from 'vitest';
import { MOCK_API_KEY, mockUrl } from '#test-harness';
import { useLoopbackServer } from '../../../scripts/test-harness/loopback-server.js';
import { createTrueFoundry, type TrueFoundryTriggerRequest } from '../src/index.js';

const APP = 'cm8k2x1a00001abcd1234efgh';
const DEPLOYMENT = 'cm8k2x1b40003wxyz5678ijkl';
const prism = (headers?: Record<string, string>) =>
  createTrueFoundry({ apiKey: MOCK_API_KEY, baseUrl: mockUrl('truefoundry'), headers });

describe('createTrueFoundry against Prism', () => {
  it('triggerJob returns a queued run whose ref survives JSON and holds both ids, the run name and the origin', async () => {
    const run = await prism().triggerJob({
      provider: 'truefoundry',
      applicationId: APP,
      params: { epochs: '3' },
    });
    expect(run).toMatchObject({ provider: 'truefoundry', status: 'queued', providerStatus: 'CREATED' });
    expect(run.id).toBe(run.ref.jobRunName);
    expect(run.ref).toEqual({
      provider: 'truefoundry',
      applicationId: expect.any(String),
      deploymentId: expect.any(String),
      jobRunName: expect.any(String),
      origin: new URL(mockUrl('truefoundry')).origin,
    });
    expect(JSON.parse(JSON.stringify(run.ref))).toEqual(run.ref);
  });

  it('getJobRun reads a stored ref (the default example is FINISHED)', async () => {
    const ref = JSON.parse(
      JSON.stringify({ provider: 'truefoundry', applicationId: APP, jobRunName: 'my-training-job-4f8z2' }),
    );
    const run = await prism().getJobRun(ref);
    expect(run).toMatchObject({
      status: 'succeeded',
      providerStatus: 'FINISHED',
      id: 'my-training-job-4f8z2',
    });
    // The read fills in the deployment id that cancel needs.
    expect(run.ref.deploymentId).toBe(DEPLOYMENT);
  });

  it('getJobRun maps FAILED to failed and keeps the error message', async () => {
    const run = await prism({ Prefer: 'example=failed' }).getJobRun({
      provider: 'truefoundry',
      applicationId: APP,
      jobRunName: 'my-training-job-4f8z2',
    });
    expect(run.status).toBe('failed');
    expect(run.error).toContain('non-zero exit code');
  });

  it('cancelJob terminates by deployment id and run name; TERMINATION_REQUESTED is still running', async () => {
    const run = await prism().cancelJob({
      provider: 'truefoundry',
      deploymentId: DEPLOYMENT,
      jobRunName: 'my-training-job-4f8z2',
    });
    expect(run).toMatchObject({
      status: 'running',
      providerStatus: 'TERMINATION_REQUESTED',
      id: 'my-training-job-4f8z2',
    });
  });
});

describe('createTrueFoundry request shapes', () => {
  const server = useLoopbackServer();
  const adapter = () => createTrueFoundry({ apiKey: MOCK_API_KEY, baseUrl: server.url, maxRetries: 0 });
  const runBody = (status: string) => ({
    id: 'r1',
    name: 'train-abc12',
    applicationName: 'train',
    deploymentVersion: '3',
    createdAt: 1,
    command: 'python train.py',
    totalRetries: 0,
    status,
    applicationId: APP,
    deploymentId: DEPLOYMENT,
  });

  it('sends command, deployment id and alias as input.command and metadata.job_run_name_alias', async () => {
    server.script('POST /api/svc/v1/jobs/trigger', {
      body: { message: 'Job triggered', jobRunName: 'train-abc12', data: runBody('CREATED') },
    });
    await adapter().triggerJob({
      provider: 'truefoundry',
      deploymentId: DEPLOYMENT,
      command: ['python', 'train.py'],
      alias: 'nightly',
    });
    expect(JSON.parse(server.requests()[0].body)).toEqual({
      deploymentId: DEPLOYMENT,
      input: { command: ['python', 'train.py'] },
      metadata: { job_run_name_alias: 'nightly' },
    });
  });

  it('terminates with the ids in the query and no body', async () => {
    server.script('POST /api/svc/v1/jobs/terminate', {
      body: { message: 'ok', jobRunStatus: 'TERMINATING' },
    });
    await adapter().cancelJob({
      provider: 'truefoundry',
      applicationId: APP,
      deploymentId: DEPLOYMENT,
      jobRunName: 'train-abc12',
    });
    const [request] = server.requests('POST /api/svc/v1/jobs/terminate');
    expect(Object.fromEntries(request.query)).toEqual({
      deploymentId: DEPLOYMENT,
      jobRunName: 'train-abc12',
    });
    expect(request.body).toBe('');
  });

  const circular: Record<string, unknown> = { a: '1' };
  circular.self = circular;
  const bad: [string, Record<string, unknown>, string][] = [
    ['no id', { params: { a: '1' } }, 'applicationId'],
    ['both ids', { applicationId: APP, deploymentId: DEPLOYMENT }, 'deploymentId'],
    ['command and params', { applicationId: APP, command: 'x', params: { a: '1' } }, 'params'],
    ['a param JSON cannot send', { applicationId: APP, params: { epochs: () => 3 } }, 'params.epochs'],
    ['a circular param', { applicationId: APP, params: circular }, 'params.self'],
    ['an empty command list', { applicationId: APP, command: [] }, 'command'],
    ['a misspelt field', { applicationID: APP }, 'applicationID'],
  ];
  it('sends params of any JSON type, as TrueFoundry documents them (`additionalProperties: true`)', async () => {
    server.script('POST /api/svc/v1/jobs/trigger', {
      body: { message: 'Job triggered', jobRunName: 'train-abc12', data: runBody('CREATED') },
    });
    const params = { epochs: 3, tags: ['a'], dry: false };
    await adapter().triggerJob({ provider: 'truefoundry', applicationId: APP, params });
    expect(JSON.parse(server.requests()[0].body).input).toEqual({ params });
  });

  it.each(bad)('rejects %s before any request, naming the field', async (_, fields, path) => {
    const error = await adapter()
      .triggerJob({ provider: 'truefoundry', ...fields } as unknown as TrueFoundryTriggerRequest)
      .catch((e: unknown) => e);
    expect(InvalidRequestError.isInstance(error)).toBe(true);
    expect((error as InvalidRequestError).issues.map((issue) => issue.path)).toContain(path);
    expect((error as Error).message).toContain(path.split('.')[0]);
    expect(server.count()).toBe(0);
  });

  it('names ref fields, not URL parts, for what only the spec checks, even with no API key set', async () => {
    const noKey = createTrueFoundry({ baseUrl: server.url, env: {}, maxRetries: 0 });
    const ref = {
      provider: 'truefoundry' as const,
      applicationId: '..',
      deploymentId: DEPLOYMENT,
      jobRunName: '.',
    };
    const getError = await noKey.getJobRun(ref).catch((e: unknown) => e);
    expect(InvalidRequestError.isInstance(getError)).toBe(true);
    expect((getError as InvalidRequestError).issues.map((issue) => issue.path)).toEqual([
      'ref.applicationId',
      'ref.jobRunName',
    ]);
    expect((getError as Error).message).toContain('`ref.applicationId` must not be empty');
    expect(server.count()).toBe(0);
  });

  it('rejects a ref without the id an operation needs, before any request', async () => {
    const ref = { provider: 'truefoundry' as const, jobRunName: 'train-abc12' };
    await expect(adapter().getJobRun(ref)).rejects.toThrow(/applicationId/);
    await expect(adapter().cancelJob(ref)).rejects.toThrow(/deploymentId/);
    expect(server.count()).toBe(0);
  });

  it('refuses a ref recorded on another origin (the key goes only where the client points), before any request', async () => {
    const ref = {
      provider: 'truefoundry' as const,
      applicationId: APP,
      deploymentId: DEPLOYMENT,
      jobRunName: 'train-abc12',
      origin: 'https://other.truefoundry.cloud',
    };
    for (const call of [() => adapter().getJobRun(ref), () => adapter().cancelJob(ref)]) {
      const error = await call().catch((e: unknown) => e);
      expect(ConfigError.isInstance(error)).toBe(true);
      expect(error).toMatchObject({ setting: 'baseUrl' });
      expect((error as Error).message).toContain('https://other.truefoundry.cloud');
    }
    expect(server.count()).toBe(0);
  });

  it('an answer about another run than the one asked for is a ResponseValidationError', async () => {
    server.script(`GET /api/svc/v1/jobs/${APP}/runs/train-abc12`, {
      body: { data: { ...runBody('RUNNING'), name: 'train-other' } },
    });
    const error = await adapter()
      .getJobRun({ provider: 'truefoundry', applicationId: APP, jobRunName: 'train-abc12' })
      .catch((e: unknown) => e);
    expect(ResponseValidationError.isInstance(error)).toBe(true);
    expect((error as ResponseValidationError).issues).toEqual([
      expect.objectContaining({ path: 'response.data.name', rule: 'const' }),
    ]);
  });

  it('a missing base URL fails the first call, not the creation', async () => {
    const provider = createTrueFoundry({ apiKey: MOCK_API_KEY, env: {} });
    const error = await provider
      .triggerJob({ provider: 'truefoundry', applicationId: APP })
      .catch((e: unknown) => e);
    expect(ConfigError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ setting: 'baseUrl' });
    expect((error as Error).message).toMatch(/`baseUrl`.*TFY_HOST/);
  });
});

describe('createTrueFoundry with a 2xx body it cannot read', () => {
  const server = useLoopbackServer();
  const adapter = () => createTrueFoundry({ apiKey: MOCK_API_KEY, baseUrl: server.url, maxRetries: 0 });
  const TRIGGER = 'POST /api/svc/v1/jobs/trigger';
  const LIST = `GET /api/svc/v1/jobs/${APP}/runs`;
  const ref = {
    provider: 'truefoundry' as const,
    applicationId: APP,
    deploymentId: DEPLOYMENT,
    jobRunName: 'r1',
  };

  async function failure(call: Promise<unknown>) {
    const error = await call.catch((e: unknown) => e);
    expect(ResponseValidationError.isInstance(error)).toBe(true);
    return error as ResponseValidationError;
  }

  // A trigger answered with a body it cannot read may still have started a run: it is not retried,
  // the run list is searched, and with no run found it ends unconfirmed, the reading error as cause.
  async function unconfirmedTrigger(outcome: string): Promise<ResponseValidationError> {
    const error = await adapter()
      .triggerJob({ provider: 'truefoundry', applicationId: APP })
      .catch((e: unknown) => e);
    expect(TriggerUnconfirmedError.isInstance(error)).toBe(true);
    expect((error as TriggerUnconfirmedError).reconciliation.outcome).toBe(outcome);
    expect(server.count(TRIGGER)).toBe(1);
    expect(server.count(LIST)).toBeGreaterThan(0);
    return failure(Promise.reject((error as TriggerUnconfirmedError).cause));
  }

  it('a web page (a base URL pointing at the UI) names the operation and the content type, not the page', async () => {
    const page = { headers: { 'content-type': 'text/html' }, body: '<html>tenant-console</html>' };
    server.script(TRIGGER, page);
    // The base URL points at the UI, so the search of the run list gets the page as well.
    server.script(LIST, page);
    const error = await unconfirmedTrigger('failed');
    expect(error).toMatchObject({ provider: 'truefoundry', operation: 'triggerJob' });
    expect(error.issues).toEqual([
      { path: 'response', rule: 'type', message: 'must be a JSON object, got text' },
    ]);
    expect(error.message).toContain('text/html');
    expect(error.message).toContain('base URL');
    expect(error.message).not.toContain('tenant-console');
  });

  it('a body without a content type is refused the same way', async () => {
    server.script('GET /api/svc/v1/jobs/app1/runs/r1', { body: 'ok' });
    const error = await failure(adapter().getJobRun({ ...ref, applicationId: 'app1' }));
    expect(error.issues.map((issue) => issue.path)).toEqual(['response']);
  });

  it('an empty object names each missing field', async () => {
    server.script(TRIGGER, { body: {} });
    server.script(LIST, { body: { data: [], pagination: { total: 0, offset: 0, limit: 100 } } });
    const error = await unconfirmedTrigger('not-found');
    expect(error.issues.map((issue) => issue.path)).toEqual(['response.jobRunName', 'response.data']);
    expect(error.message).toMatch(
      /^truefoundry triggerJob .*response\.jobRunName: must be a non-empty string, got nothing/,
    );
  });

  it('a run without a status, or a mistyped name, is refused rather than reported as unknown', async () => {
    server.script(`GET /api/svc/v1/jobs/${APP}/runs/r1`, { body: { data: { name: 7 } } });
    const error = await failure(adapter().getJobRun(ref));
    expect(error.operation).toBe('getJobRun');
    expect(error.issues).toEqual([
      { path: 'response.data.name', rule: 'type', message: 'must be a non-empty string, got a number' },
      { path: 'response.data.status', rule: 'required', message: 'must be a string, got nothing' },
    ]);
  });

  it('a terminate answer without jobRunStatus names it', async () => {
    server.script('POST /api/svc/v1/jobs/terminate', { body: { message: 'ok' } });
    const error = await failure(adapter().cancelJob(ref));
    expect(error).toMatchObject({ operation: 'terminateJobRun' });
    expect(error.issues.map((issue) => issue.path)).toEqual(['response.jobRunStatus']);
  });
});
