// Contract tests: each generated SDK function against Prism serving specs/truefoundry.yaml.
import { ConfigError, InvalidRequestError } from '@anyjob/core';
import { createClient } from '@anyjob/core/fetch-client';
import { describe, expect, it } from 'vitest';
import { expectRequestViolations, MOCK_API_KEY, mockUrl, prismViolations } from '#test-harness';
import {
  createTrueFoundryClient,
  resolveTrueFoundryBaseUrl,
  truefoundryDeleteJobRun,
  truefoundryGetJobRun,
  truefoundryListJobRuns,
  truefoundryTerminateJobRun,
  truefoundryTriggerJob,
  validateTrueFoundryRequest,
} from '../src/index.js';

const client = () => createTrueFoundryClient({ apiKey: MOCK_API_KEY, baseUrl: mockUrl('truefoundry') });
const JOB_RUN_STATUSES = [
  'CREATED',
  'SCHEDULED',
  'RUNNING',
  'FINISHED',
  'FAILED',
  'TERMINATION_REQUESTED',
  'TERMINATING',
  'TERMINATED',
  'UNKNOWN',
];

describe('truefoundry operations against Prism', () => {
  it('triggerJob returns the run name and the ids later calls need', async () => {
    const { data, error, response } = await truefoundryTriggerJob({
      client: client(),
      body: { applicationId: 'cm8k2x1a00001abcd1234efgh', input: { params: { epochs: '3' } } },
    });
    expect(error).toBeUndefined();
    expect(response.status).toBe(200);
    expect(data?.jobRunName).toBe(data?.data.name);
    expect(data?.data.applicationId).toEqual(expect.any(String));
    expect(data?.data.deploymentId).toEqual(expect.any(String));
    expect(JOB_RUN_STATUSES).toContain(data?.data.status);
  });

  it('triggerJob accepts a command list and a run-name alias', async () => {
    const { response } = await truefoundryTriggerJob({
      client: client(),
      body: {
        deploymentId: 'cm8k2x1a00002abcd1234efgh',
        input: { command: ['python', 'train.py', '--epochs', '3'] },
        metadata: { job_run_name_alias: 'nightly-retrain' },
      },
    });
    expect(response.status).toBe(200);
  });

  it('getJobRun returns one run with nullable fields typed as null', async () => {
    const { data, response } = await truefoundryGetJobRun({
      client: client(),
      path: { jobId: 'cm8k2x1a00001abcd1234efgh', jobRunName: 'my-training-job-4f8z2' },
    });
    expect(response.status).toBe(200);
    expect(JOB_RUN_STATUSES).toContain(data?.data.status);
    expect(data?.data.endTime === null || typeof data?.data.endTime === 'number').toBe(true);
  });

  it('listJobRuns sends repeated array query keys and returns a page', async () => {
    const { data, response } = await truefoundryListJobRuns({
      client: client(),
      path: { jobId: 'cm8k2x1a00001abcd1234efgh' },
      query: { limit: 20, offset: 0, sortBy: 'startTime', order: 'desc', status: ['RUNNING', 'FAILED'] },
    });
    expect(response.status).toBe(200);
    expect(new URL(response.url).search).toContain('status=RUNNING&status=FAILED');
    expect(Array.isArray(data?.data)).toBe(true);
    expect(data?.pagination).toMatchObject({ total: expect.any(Number), limit: expect.any(Number) });
  });

  it('terminateJobRun passes deploymentId and jobRunName in the query', async () => {
    const { data, response } = await truefoundryTerminateJobRun({
      client: client(),
      query: { deploymentId: 'cm8k2x1a00002abcd1234efgh', jobRunName: 'my-training-job-4f8z2' },
    });
    expect(response.status).toBe(200);
    expect(JOB_RUN_STATUSES).toContain(data?.jobRunStatus);
  });

  it('deleteJobRun returns a message', async () => {
    const { data, response } = await truefoundryDeleteJobRun({
      client: client(),
      path: { jobId: 'cm8k2x1a00001abcd1234efgh', jobRunName: 'my-training-job-4f8z2' },
    });
    expect(response.status).toBe(200);
    expect(typeof data?.message).toBe('string');
  });

  it('a documented error comes back as HttpError', async () => {
    const { error, response } = await truefoundryGetJobRun({
      client: client(),
      path: { jobId: 'cm8k2x1a00001abcd1234efgh', jobRunName: 'gone' },
      headers: { Prefer: 'code=404' },
    });
    expect(response.status).toBe(404);
    expect(error).toMatchObject({ statusCode: 404, message: expect.any(String) });
  });
});

describe('truefoundry auth and settings', () => {
  it('Prism rejects a request without the bearer credential', async () => {
    // A bare hey-api client: no settings, so no credential.
    const { response } = await truefoundryDeleteJobRun({
      client: createClient({ baseUrl: mockUrl('truefoundry') }),
      path: { jobId: 'cm8k2x1a00001abcd1234efgh', jobRunName: 'my-training-job-4f8z2' },
    });
    expect(response.status).toBe(401);
  });

  it('reads TFY_API_KEY and TFY_HOST like TrueFoundry’s own tools', async () => {
    const fromEnv = createTrueFoundryClient({
      env: { TFY_API_KEY: MOCK_API_KEY, TFY_HOST: mockUrl('truefoundry') },
    });
    const { response } = await truefoundryGetJobRun({
      client: fromEnv,
      path: { jobId: 'cm8k2x1a00001abcd1234efgh', jobRunName: 'my-training-job-4f8z2' },
    });
    expect(response.status).toBe(200);
  });

  it('has no default URL: a missing one names the option and TFY_HOST', () => {
    expect(() => createTrueFoundryClient({ apiKey: MOCK_API_KEY, env: {} })).toThrow(ConfigError);
    expect(() => resolveTrueFoundryBaseUrl({ env: {} })).toThrow(/`baseUrl`.*TFY_HOST/);
    expect(resolveTrueFoundryBaseUrl({ env: { TFY_BASE_URL: 'https://acme.truefoundry.cloud/' } })).toBe(
      'https://acme.truefoundry.cloud',
    );
  });

  it('a missing key fails the call before any request and never echoes a key', async () => {
    const noKey = createTrueFoundryClient({ baseUrl: mockUrl('truefoundry'), env: {} });
    const call = truefoundryGetJobRun({ client: noKey, path: { jobId: 'a', jobRunName: 'b' } });
    await expect(call).rejects.toThrow(/TrueFoundry API key is missing.*`apiKey`.*TFY_API_KEY/);
  });

  it('rejects a key pasted with its "Bearer " prefix when the client is created, without echoing it', () => {
    const secret = 'tfy-secret-value-123';
    let error: unknown;
    try {
      createTrueFoundryClient({ baseUrl: mockUrl('truefoundry'), apiKey: `Bearer ${secret}` });
    } catch (thrown) {
      error = thrown;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect(String(error)).toMatch(/`apiKey`.*TFY_API_KEY/);
    expect(String(error)).not.toContain(secret);
    expect(JSON.stringify(error)).not.toContain(secret);
  });
});

// The spec's `not` rule, which the generated valibot schemas leave out: a hand-written rule in
// src/validation.ts holds the client to it, and Prism proves the spec says the same.
describe('truefoundry command and params are mutually exclusive', () => {
  const both = {
    applicationId: 'cm8k2x1a00001abcd1234efgh',
    input: { command: 'python train.py', params: { epochs: '3' } },
  };

  it('the client refuses both before any request, naming body.input.params and the rule', async () => {
    let sent = 0;
    const counting = createTrueFoundryClient({
      apiKey: MOCK_API_KEY,
      baseUrl: mockUrl('truefoundry'),
      fetch: (input, init) => {
        sent++;
        return fetch(input, init);
      },
    });
    const error = await truefoundryTriggerJob({ client: counting, body: both }).catch((e) => e);
    expect(InvalidRequestError.isInstance(error)).toBe(true);
    expect(error.issues).toEqual([expect.objectContaining({ path: 'body.input.params', rule: 'not' })]);
    expect(error.message).toMatch(/body\.input\.params: must not be set together with `command`.*\(not\)/);
    expect(sent).toBe(0);
    expect(() => validateTrueFoundryRequest('triggerJob', { body: both })).toThrow(InvalidRequestError);
  });

  it('one of them, or a null beside the other, passes', () => {
    for (const input of [
      { command: ['python', 'train.py'] },
      { params: { epochs: '3' } },
      { command: 'python train.py', params: null },
      { command: null, params: { epochs: '3' } },
    ]) {
      expect(() => validateTrueFoundryRequest('triggerJob', { body: { ...both, input } })).not.toThrow();
    }
  });

  it('sent raw with validation off, Prism refuses it too', async () => {
    expectRequestViolations();
    const raw = createTrueFoundryClient({
      apiKey: MOCK_API_KEY,
      baseUrl: mockUrl('truefoundry'),
      validateRequests: false,
    });
    const { response } = await truefoundryTriggerJob({ client: raw, body: both });
    expect(response.status).toBe(422);
    expect(prismViolations().flatMap((entry) => entry.violations)).not.toHaveLength(0);
  });
});
