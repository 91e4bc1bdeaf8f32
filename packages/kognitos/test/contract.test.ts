// Contract tests: each generated SDK function against Prism serving specs/kognitos.yaml.
import { readFileSync } from 'node:fs';
import { ConfigError } from '@anyjob/core';
import { createClient } from '@anyjob/core/fetch-client';
import { describe, expect, it } from 'vitest';
import { expectRequestViolations, MOCK_API_KEY, mockUrl, prismViolations } from '#test-harness';
import {
  createKognitosClient,
  KOGNITOS_REGION_BASE_URLS,
  kognitosCreateFile,
  kognitosGetHealth,
  kognitosGetProcess,
  kognitosGetRun,
  kognitosListProcesses,
  kognitosListRuns,
  kognitosStartRun,
  resolveKognitosBaseUrl,
} from '../src/index.js';

const client = () => createKognitosClient({ apiKey: MOCK_API_KEY, baseUrl: mockUrl('kognitos') });
const AGENT = 'b4fznghynbdemslfd5k044fgd';
const PROCESS = '9nvx1hdm9bd74rp585oe81t5i';

describe('kognitos operations against Prism', () => {
  it('getHealth answers OK', async () => {
    const { data, response } = await kognitosGetHealth({ client: client() });
    expect(response.status).toBe(200);
    expect(data?.status).toBe('OK');
  });

  it('listProcesses returns items and a continuation token', async () => {
    const { data, response } = await kognitosListProcesses({
      client: client(),
      query: { agent_id: AGENT, limit: 10 },
    });
    expect(response.status).toBe(200);
    expect(data).toHaveProperty('continuation_token');
    expect(data?.items === null || Array.isArray(data?.items)).toBe(true);
  });

  it('getProcess returns one process', async () => {
    const { data, response } = await kognitosGetProcess({
      client: client(),
      path: { process_id: PROCESS },
      query: { agent_id: AGENT },
    });
    expect(response.status).toBe(200);
    expect(data?.id).toEqual(expect.any(String));
  });

  it('listRuns filters by process, agent and stage', async () => {
    const { data, response } = await kognitosListRuns({
      client: client(),
      query: { process_id: PROCESS, agent_id: AGENT, stage: 'Published', limit: 5 },
    });
    expect(response.status).toBe(200);
    expect(data).toHaveProperty('items');
  });

  it('startRun sends the seed example and gets a run back', async () => {
    const { data, response } = await kognitosStartRun({
      client: client(),
      body: {
        agent_id: AGENT,
        process_id: PROCESS,
        name: 'Process invoice 42',
        stage: 'Draft',
        inputs: [{ name: 'order_id', value: AGENT }],
        file_ids: ['b4fznghynbdemslfd5k044fgd', '9nvx1hdm9bd74rp585oe81t5i'],
      },
    });
    // The status code of POST /runs is unconfirmed (201 modelled); any 2xx is a started run.
    expect(response.ok).toBe(true);
    expect(data?.id).toEqual(expect.any(String));
    expect(typeof data?.status).toBe('string');
  });

  it('getRun returns status and named outputs', async () => {
    const { data, response } = await kognitosGetRun({
      client: client(),
      path: { run_id: 'kx0c3d9n2wq8r7t6y5u4i3o2p' },
    });
    expect(response.status).toBe(200);
    expect(typeof data?.status).toBe('string');
    for (const output of data?.outputs ?? []) expect(output).toHaveProperty('name');
  });

  it('createFile answers 201 with a presigned upload target', async () => {
    const { data, response } = await kognitosCreateFile({
      client: client(),
      body: { file_name: 'invoice-42.pdf', agent_id: AGENT },
    });
    expect(response.status).toBe(201);
    expect(data?.upload_url).toMatch(/^https:\/\//);
    expect(data?.upload_fields).toBeTypeOf('object');
  });

  it('Prism rejects a request that breaks the spec (agent_id of 27 characters)', async () => {
    expectRequestViolations();
    const { error, response } = await kognitosStartRun({
      // Client-side validation would stop this request before Prism sees it.
      client: createKognitosClient({
        apiKey: MOCK_API_KEY,
        baseUrl: mockUrl('kognitos'),
        validateRequests: false,
      }),
      body: { agent_id: 'a'.repeat(27), process_id: PROCESS, name: 'too long', stage: 'Draft' },
    });
    // Prism answers an invalid request with the operation's documented 4xx: Kognitos documents
    // bad input as 400 "Invalid input values" (it has no 422).
    expect(response.status).toBe(400);
    expect(error).toMatchObject({ status_code: 400 });
    const locations = prismViolations().flatMap((entry) =>
      entry.violations.map((v) => v.location?.join('.')),
    );
    expect(locations).toContain('request.body.agent_id');
  });
});

describe('kognitos auth and regions', () => {
  it('Prism rejects a request without x-api-key', async () => {
    // A bare hey-api client: no settings, so no key header.
    const { response } = await kognitosGetRun({
      client: createClient({ baseUrl: mockUrl('kognitos') }),
      path: { run_id: 'kx0c3d9n2wq8r7t6y5u4i3o2p' },
    });
    expect(response.status).toBe(401);
  });

  it('sends the key as x-api-key, not as a bearer token', async () => {
    const { request, response } = await kognitosGetRun({
      client: client(),
      path: { run_id: 'kx0c3d9n2wq8r7t6y5u4i3o2p' },
    });
    expect(response.status).toBe(200);
    expect(request.headers.get('x-api-key')).toBe(MOCK_API_KEY);
    expect(request.headers.get('authorization')).toBeNull();
  });

  it('a missing key names the option and KOGNITOS_API_KEY', async () => {
    const noKey = createKognitosClient({ baseUrl: mockUrl('kognitos'), env: {} });
    await expect(
      kognitosGetHealth({ client: noKey, security: [{ in: 'header', name: 'x-api-key', type: 'apiKey' }] }),
    ).rejects.toThrow(/`apiKey`.*KOGNITOS_API_KEY/);
    await expect(kognitosGetRun({ client: noKey, path: { run_id: 'x' } })).rejects.toThrow(ConfigError);
  });

  it('picks a region server, defaulting to us', () => {
    expect(resolveKognitosBaseUrl({ env: {} })).toBe(KOGNITOS_REGION_BASE_URLS.us);
    expect(resolveKognitosBaseUrl({ region: 'eu', env: {} })).toBe(KOGNITOS_REGION_BASE_URLS.eu);
    expect(resolveKognitosBaseUrl({ env: { KOGNITOS_REGION: 'UK' } })).toBe(KOGNITOS_REGION_BASE_URLS.uk);
    expect(() => resolveKognitosBaseUrl({ region: 'apac' as never, env: {} })).toThrow(/us, eu, uk/);
  });

  it('what the caller passes beats the env: baseUrl > region > KOGNITOS_BASE_URL > KOGNITOS_REGION', () => {
    const env = { KOGNITOS_BASE_URL: 'https://proxy.example/v2', KOGNITOS_REGION: 'uk' };
    const proxy = 'https://mine.example/v2';
    expect(resolveKognitosBaseUrl({ baseUrl: proxy, region: 'eu', env })).toBe(proxy);
    expect(resolveKognitosBaseUrl({ region: 'eu', env })).toBe(KOGNITOS_REGION_BASE_URLS.eu);
    expect(resolveKognitosBaseUrl({ env })).toBe('https://proxy.example/v2');
    expect(resolveKognitosBaseUrl({ env: { KOGNITOS_REGION: 'uk' } })).toBe(KOGNITOS_REGION_BASE_URLS.uk);
  });

  it('the region table matches the servers in the spec', () => {
    const spec = readFileSync(new URL('../../../specs/kognitos.yaml', import.meta.url), 'utf8');
    const specServers = [...spec.matchAll(/-\s+url:\s*(\S+)/g)].map((m) => m[1]);
    expect(specServers.sort()).toEqual(Object.values(KOGNITOS_REGION_BASE_URLS).sort());
  });
});
