// Client-side validation as callers meet it: the error they get for a bad request, the error they
// get when a provider's response drifts from the spec, and the validators the package exports.
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { InvalidRequestError, ResponseValidationError } from '@anyjob/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MOCK_API_KEY, mockUrl } from '#test-harness';
import {
  createKognitosClient,
  kognitosGetRun,
  kognitosListRuns,
  kognitosOperations,
  kognitosSchemas,
  kognitosStartRun,
  validateKognitosRequest,
} from '../src/index.js';

const AGENT = 'b4fznghynbdemslfd5k044fgd';
const validBody = { agent_id: AGENT, process_id: AGENT, name: 'Process invoice 42', stage: 'Draft' as const };

describe('request validation (on by default)', () => {
  it('names the path, the rule and the limit, and sends nothing', async () => {
    let sent = 0;
    const client = createKognitosClient({
      apiKey: MOCK_API_KEY,
      baseUrl: mockUrl('kognitos'),
      fetch: (input, init) => {
        sent++;
        return fetch(input, init);
      },
    });
    const error = await kognitosStartRun({ client, body: { ...validBody, agent_id: 'a'.repeat(27) } }).catch(
      (e) => e,
    );
    expect(InvalidRequestError.isInstance(error)).toBe(true);
    expect(error.message).toBe(
      'Invalid kognitos.startRun request: body.agent_id: must be at most 26 characters (maxLength)',
    );
    expect(error).toMatchObject({ provider: 'kognitos', operation: 'startRun' });
    expect(error.issues).toEqual([
      { path: 'body.agent_id', rule: 'maxLength', message: 'must be at most 26 characters' },
    ]);
    expect(sent).toBe(0);
  });

  it('reports every broken rule at once, with nested paths', async () => {
    const client = createKognitosClient({ apiKey: MOCK_API_KEY, baseUrl: mockUrl('kognitos') });
    const error = await kognitosStartRun({
      client,
      // @ts-expect-error the call is wrong on purpose: `stage` and `inputs[1].name` break the types
      body: { ...validBody, stage: 'Live', inputs: [{ name: 'a', value: 1 }, { value: 2 }] },
    }).catch((e) => e);
    expect(error.issues).toEqual([
      { path: 'body.stage', rule: 'enum', message: 'must be one of "Draft" | "Published"' },
      { path: 'body.inputs[1].name', rule: 'required', message: 'is required' },
    ]);
  });

  it('never echoes the offending value, which may be a secret', async () => {
    const client = createKognitosClient({ apiKey: MOCK_API_KEY, baseUrl: mockUrl('kognitos') });
    const secret = 'sk_live_should-not-leak!-0123456789';
    const error = await kognitosListRuns({ client, query: { process_id: secret, agent_id: AGENT } }).catch(
      (e) => e,
    );
    expect(error.issues.map((issue: { rule: string }) => issue.rule)).toEqual(['maxLength', 'pattern']);
    expect(JSON.stringify({ message: error.message, issues: error.issues })).not.toContain(secret);

    // A value of the wrong type is named by its type only.
    // @ts-expect-error the call is wrong on purpose: `inputs` must be an array
    const wrongType = await kognitosStartRun({ client, body: { ...validBody, inputs: secret } }).catch(
      (e) => e,
    );
    expect(wrongType.issues).toEqual([
      { path: 'body.inputs', rule: 'type', message: 'must be Array, got a string' },
    ]);
    expect(JSON.stringify({ message: wrongType.message, issues: wrongType.issues })).not.toContain(secret);
  });

  it('rejects path values the URL parser would resolve to another endpoint', async () => {
    const client = createKognitosClient({ apiKey: MOCK_API_KEY, baseUrl: mockUrl('kognitos') });
    for (const runId of ['', '.', '..']) {
      await expect(kognitosGetRun({ client, path: { run_id: runId } })).rejects.toMatchObject({
        issues: [expect.objectContaining({ path: 'path.run_id', rule: 'pathSegment' })],
      });
    }
  });

  it('validateRequests: false sends the request as given', async () => {
    const client = createKognitosClient({
      apiKey: MOCK_API_KEY,
      baseUrl: mockUrl('kognitos'),
      validateRequests: false,
    });
    const { response } = await kognitosGetRun({ client, path: { run_id: 'kx0c3d9n2wq8r7t6y5u4i3o2p' } });
    expect(response.status).toBe(200);
  });
});

describe('response validation (opt-in) against a provider that drifted', () => {
  // Prism only serves bodies that match the spec; this server answers getRun without `status`.
  let server: Server;
  let baseUrl: string;
  const drifted = {
    id: 'r1',
    name: 'n',
    agent_id: AGENT,
    process_id: AGENT,
    stage: 'Draft',
    created_at: 'yesterday',
  };

  beforeAll(async () => {
    server = createServer((_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(drifted));
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('validateResponses: true throws ResponseValidationError naming each drifted field', async () => {
    const client = createKognitosClient({ apiKey: MOCK_API_KEY, baseUrl, validateResponses: true });
    const error = await kognitosGetRun({ client, path: { run_id: 'r1' } }).catch((e) => e);
    expect(ResponseValidationError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ provider: 'kognitos', operation: 'getRun' });
    expect(error.issues).toEqual([
      { path: 'response.status', rule: 'required', message: 'is required' },
      {
        path: 'response.created_at',
        rule: 'pattern',
        message: expect.stringContaining('must match the pattern'),
      },
    ]);
  });

  it('is off by default: the body is returned as received', async () => {
    const client = createKognitosClient({ apiKey: MOCK_API_KEY, baseUrl });
    const { data } = await kognitosGetRun({ client, path: { run_id: 'r1' } });
    expect(data).toEqual(drifted);
  });
});

describe('exported validators', () => {
  it('validateKognitosRequest checks a request without a client', () => {
    expect(() => validateKognitosRequest('startRun', { body: validBody })).not.toThrow();
    expect(() => validateKognitosRequest('startRun', { body: { ...validBody, name: '' } })).toThrow(
      /body\.name: must be at least 1 characters \(minLength\)/,
    );
    expect(() => validateKognitosRequest('listRuns', { query: { agent_id: AGENT } })).toThrow(
      /query\.process_id: is required \(required\)/,
    );
  });

  it('exports the operation table and the valibot schemas', () => {
    expect(kognitosOperations.startRun).toMatchObject({ method: 'POST', url: '/runs', bodyRequired: true });
    expect(Object.keys(kognitosOperations.getRun.errors)).toEqual(['400', '403', '404']);
    expect(kognitosSchemas.vStartRunBody['~standard'].vendor).toBe('valibot');
  });
});
