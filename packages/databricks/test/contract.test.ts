// Contract tests: the generated Databricks Jobs API SDK functions against Prism serving specs/databricks.yaml.
// Scaffolded by `pnpm new-provider` from the spec's examples; extend them with the cases that matter.
import { ConfigError } from '@anyjob/core';
import { createClient } from '@anyjob/core/fetch-client';
import { describe, expect, it } from 'vitest';
import { expectRequestViolations, MOCK_API_KEY, mockUrl } from '#test-harness';
import {
  createDatabricksClient,
  databricksCancelRun,
  databricksGetRun,
  databricksListRuns,
  databricksRunNow,
  resolveDatabricksBaseUrl,
} from '../src/index.js';

const client = () => createDatabricksClient({ apiKey: MOCK_API_KEY, baseUrl: mockUrl('databricks') });

describe('databricks operations against Prism', () => {
  it('runNow (POST /api/2.2/jobs/run-now) answers 2xx with the spec example', async () => {
    const { response } = await databricksRunNow({
      client: client(),
      body: {
        job_id: 11223344,
        idempotency_token: '8f018174-4792-40d5-bcbc-3e6a527352c8',
        job_parameters: { run_date: '2026-12-06', region: 'eu-west-1' },
      },
    });
    expect(response.ok).toBe(true);
  });

  it('listRuns (GET /api/2.2/jobs/runs/list) answers 2xx with the spec example', async () => {
    const { response } = await databricksListRuns({ client: client() });
    expect(response.ok).toBe(true);
  });

  it('cancelRun (POST /api/2.2/jobs/runs/cancel) answers 2xx with the spec example', async () => {
    const { response } = await databricksCancelRun({ client: client(), body: { run_id: 455644833 } });
    expect(response.ok).toBe(true);
  });

  it('getRun (GET /api/2.2/jobs/runs/get?run_id=) answers 2xx with the spec example', async () => {
    const { response } = await databricksGetRun({ client: client(), query: { run_id: 455644833 } });
    expect(response.ok).toBe(true);
  });
});

describe('databricks settings and auth', () => {
  it('Prism rejects runNow without credentials', async () => {
    expectRequestViolations();
    // A bare hey-api client: no settings, so no credential.
    const { response } = await databricksRunNow({
      client: createClient({ baseUrl: mockUrl('databricks') }),
      body: {
        job_id: 11223344,
        idempotency_token: '8f018174-4792-40d5-bcbc-3e6a527352c8',
        job_parameters: { run_date: '2026-12-06', region: 'eu-west-1' },
      },
    });
    expect(response.status).toBe(401);
  });

  it('a missing key names the option and DATABRICKS_TOKEN, before any request', async () => {
    const noKey = createDatabricksClient({ baseUrl: mockUrl('databricks'), env: {} });
    await expect(
      databricksRunNow({
        client: noKey,
        body: {
          job_id: 11223344,
          idempotency_token: '8f018174-4792-40d5-bcbc-3e6a527352c8',
          job_parameters: { run_date: '2026-12-06', region: 'eu-west-1' },
        },
      }),
    ).rejects.toThrow(/`apiKey`.*DATABRICKS_TOKEN/);
  });

  it('asks for a base URL: the spec has no fixed server', () => {
    expect(() => resolveDatabricksBaseUrl({ env: {} })).toThrow(/DATABRICKS_HOST/);
  });

  it("takes the workspace host without a scheme as https, as Databricks' CLI and SDKs do", () => {
    const env = { DATABRICKS_HOST: 'dbc-a1b2345c-d6e7.cloud.databricks.com/' };
    expect(resolveDatabricksBaseUrl({ env })).toBe('https://dbc-a1b2345c-d6e7.cloud.databricks.com');
    expect(resolveDatabricksBaseUrl({ baseUrl: 'http://127.0.0.1:8080', env: {} })).toBe(
      'http://127.0.0.1:8080',
    );
  });

  it('rejects a base URL that is no URL', () => {
    expect(() => resolveDatabricksBaseUrl({ baseUrl: 'not a url', env: {} })).toThrow(ConfigError);
  });
});
