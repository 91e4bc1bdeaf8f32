// Contract tests: each generated SDK function against Prism serving specs/runchat.yaml.
import { ConfigError } from '@anyjob/core';
import { createClient } from '@anyjob/core/fetch-client';
import { describe, expect, it } from 'vitest';
import { expectRequestViolations, MOCK_API_KEY, mockUrl } from '#test-harness';
import {
  createRunchatClient,
  RUNCHAT_DEFAULT_BASE_URL,
  resolveRunchatBaseUrl,
  runchatGetFlowSchema,
  runchatRunFlow,
  runchatTriggerAgentJobWithMessage,
  runchatTriggerJob,
} from '../src/index.js';

const client = () => createRunchatClient({ apiKey: MOCK_API_KEY, baseUrl: mockUrl('runchat') });

describe('runchat operations against Prism', () => {
  it('triggerJob (GET /job/{id}) returns a flow or agent job body', async () => {
    const { data, error, response } = await runchatTriggerJob({
      client: client(),
      path: { runchat_job_id: 'job_01HZX3' },
    });
    expect(error).toBeUndefined();
    expect(response.status).toBe(200);
    expect(data).toBeDefined();
    // The spec makes the oneOf unambiguous: a flow job has `data`, an agent job has `messages`.
    const isFlow = data && 'data' in data;
    const isAgent = data && 'messages' in data;
    expect(isFlow !== isAgent).toBe(true);
  });

  it('triggerAgentJobWithMessage sends {message} and returns an agent transcript', async () => {
    const { data, response } = await runchatTriggerAgentJobWithMessage({
      client: client(),
      path: { runchat_job_id: 'job_01HZX3' },
      body: { message: 'Summarize the new tickets.' },
    });
    expect(response.status).toBe(200);
    expect(Array.isArray(data?.messages)).toBe(true);
    expect(['success', 'error', undefined]).toContain(data?.status);
  });

  it('runFlow posts inputs and returns outputs plus the instance id', async () => {
    const { data, response } = await runchatRunFlow({
      client: client(),
      path: { runchat_id: 'flow_8f2c' },
      body: { inputs: { query_nodeA: 'What is the weather?' } },
    });
    expect(response.status).toBe(200);
    expect(typeof data?.runchat_instance_id).toBe('string');
    for (const parameter of data?.data ?? []) {
      expect(typeof parameter.id).toBe('string');
      expect(Array.isArray(parameter.data)).toBe(true);
    }
  });

  it('getFlowSchema returns the flow name, inputs and outputs', async () => {
    const { data, response } = await runchatGetFlowSchema({
      client: client(),
      path: { runchat_id: 'flow_8f2c' },
    });
    expect(response.status).toBe(200);
    expect(typeof data?.name).toBe('string');
    expect(data?.inputs.length).toBeGreaterThan(0);
    expect(data?.inputs[0]).toMatchObject({ id: expect.any(String), type: expect.any(String) });
    expect(Array.isArray(data?.outputs)).toBe(true);
  });

  it('a documented error status comes back typed as the spec error body', async () => {
    const { data, error, response } = await runchatGetFlowSchema({
      client: client(),
      path: { runchat_id: 'missing' },
      headers: { Prefer: 'code=404' },
    });
    expect(data).toBeUndefined();
    expect(response.status).toBe(404);
    expect(typeof error?.error).toBe('string');
  });
});

describe('runchat auth', () => {
  it('Prism rejects a request without the bearer credential', async () => {
    // The spec documents 401 now, so Prism answers with it and reports the missing credential.
    expectRequestViolations();
    // A bare hey-api client: no settings, so no credential.
    const { response } = await runchatGetFlowSchema({
      client: createClient({ baseUrl: mockUrl('runchat') }),
      path: { runchat_id: 'flow_8f2c' },
    });
    expect(response.status).toBe(401);
  });

  it('Prism rejects a credential in the wrong scheme', async () => {
    expectRequestViolations();
    const { response } = await runchatGetFlowSchema({
      client: createClient({ baseUrl: mockUrl('runchat') }),
      path: { runchat_id: 'flow_8f2c' },
      headers: { Authorization: `Basic ${btoa('user:pass')}` },
    });
    expect(response.status).toBe(401);
  });

  it('a missing key fails before any request, naming the option and both env vars', async () => {
    let requests = 0;
    const noKey = createRunchatClient({
      baseUrl: mockUrl('runchat'),
      env: {},
      fetch: async (input) => {
        requests++;
        return fetch(input);
      },
    });
    const call = runchatGetFlowSchema({ client: noKey, path: { runchat_id: 'flow_8f2c' } });
    await expect(call).rejects.toThrow(ConfigError);
    await expect(call).rejects.toThrow(/`apiKey`.*RUNCHAT_API_KEY.*RUNCHAT_TOKEN/);
    expect(requests).toBe(0);
  });

  it('reads the key from RUNCHAT_TOKEN when RUNCHAT_API_KEY is unset', async () => {
    const fromEnv = createRunchatClient({
      baseUrl: mockUrl('runchat'),
      env: { RUNCHAT_TOKEN: MOCK_API_KEY },
    });
    const { response } = await runchatGetFlowSchema({ client: fromEnv, path: { runchat_id: 'flow_8f2c' } });
    expect(response.status).toBe(200);
  });
});

describe('runchat base URL', () => {
  it('defaults to the public API', () => {
    expect(resolveRunchatBaseUrl({ env: {} })).toBe(RUNCHAT_DEFAULT_BASE_URL);
  });

  it('treats RUNCHAT_BASE_URL as the site origin, as the official CLI does', () => {
    expect(resolveRunchatBaseUrl({ env: { RUNCHAT_BASE_URL: 'https://runchat.example/' } })).toBe(
      'https://runchat.example/api/v1',
    );
    expect(resolveRunchatBaseUrl({ env: { RUNCHAT_BASE_URL: 'https://runchat.example/api/v1' } })).toBe(
      'https://runchat.example/api/v1',
    );
  });

  it('rejects a base URL that is not absolute http(s)', () => {
    expect(() => resolveRunchatBaseUrl({ baseUrl: 'runchat.com' })).toThrow(/`baseUrl`/);
    expect(() => resolveRunchatBaseUrl({ baseUrl: 'ftp://runchat.com' })).toThrow(/http or https/);
  });
});
