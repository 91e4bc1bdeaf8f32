// Redirects never carry a key to another origin. Matrix: every redirect status × same or other
// origin × each provider's way of sending the key (Authorization: Bearer for TrueFoundry and
// Runchat, x-api-key for Kognitos), on a trigger and on a read. A second loopback server stands
// for "another origin" and records every request and header it receives.
import { describe, expect, it } from 'vitest';
import { type RecordedRequest, useLoopbackServer } from '../../../scripts/test-harness/loopback-server.js';
import { trueFoundryRun } from '../../../scripts/test-harness/run-fixtures.js';
import { createAnyJob, RedirectError, type TriggerRequest } from '../src/index.js';

const KEY = 'redirect-CANARY-key-3e7a91';
const STATUSES = [301, 302, 303, 307, 308] as const;

const tfRun = trueFoundryRun('CREATED');
const kgRun = {
  id: 'run1',
  name: 'n',
  agent_id: 'a1',
  process_id: 'p1',
  stage: 'Published',
  status: 'Created',
  created_at: '2026-01-01T00:00:00',
};

interface Case {
  provider: 'truefoundry' | 'kognitos' | 'runchat';
  /** The trigger's route and a read's route, and how the key travels. */
  trigger: { method: string; path: string; body: unknown };
  read?: { path: string; body: unknown };
  request: TriggerRequest;
  ref?: Record<string, unknown>;
  keyHeader: 'authorization' | 'x-api-key';
  basePath: string;
}

const CASES: Case[] = [
  {
    provider: 'truefoundry',
    trigger: {
      method: 'POST',
      path: '/api/svc/v1/jobs/trigger',
      body: { message: 'ok', jobRunName: 'train-1', data: tfRun },
    },
    read: { path: '/api/svc/v1/jobs/app1/runs/train-1', body: { data: tfRun } },
    request: { provider: 'truefoundry', applicationId: 'app1', params: { epochs: '3' } },
    ref: { provider: 'truefoundry', applicationId: 'app1', deploymentId: 'dep1', jobRunName: 'train-1' },
    keyHeader: 'authorization',
    basePath: '',
  },
  {
    provider: 'kognitos',
    trigger: { method: 'POST', path: '/v2/runs', body: kgRun },
    read: { path: '/v2/runs/run1', body: kgRun },
    request: { provider: 'kognitos', agentId: 'a1', processId: 'p1', name: 'n' },
    ref: { provider: 'kognitos', runId: 'run1' },
    keyHeader: 'x-api-key',
    basePath: '/v2',
  },
  {
    provider: 'runchat',
    // GET /job/{id} starts a Runchat job: a redirect of a GET trigger.
    trigger: { method: 'GET', path: '/api/v1/job/job1', body: { job_id: 'job1', data: [] } },
    request: { provider: 'runchat', jobId: 'job1' },
    keyHeader: 'authorization',
    basePath: '/api/v1',
  },
];

function keyIn(request: RecordedRequest): boolean {
  return JSON.stringify(request.headers).includes(KEY);
}

describe('redirects', () => {
  const api = useLoopbackServer();
  const other = useLoopbackServer();
  const client = (c: Case) =>
    createAnyJob({
      [c.provider]: { apiKey: KEY, baseUrl: `${api.url}${c.basePath}` },
      maxRetries: 0,
      env: {},
    } as never);

  for (const c of CASES) {
    for (const status of STATUSES) {
      it(`${c.provider}: a ${status} to another origin is refused, and that origin receives nothing`, async () => {
        const calls: { name: string; call: () => Promise<unknown>; path: string }[] = [
          { name: 'trigger', path: c.trigger.path, call: () => client(c).triggerJob(c.request) },
        ];
        if (c.read && c.ref) {
          calls.push({ name: 'read', path: c.read.path, call: () => client(c).getJobRun(c.ref as never) });
        }
        for (const { path, call } of calls) {
          const method = path === c.trigger.path ? c.trigger.method : 'GET';
          api.script(`${method} ${path}`, { status, headers: { location: `${other.url}/steal${path}` } });
          other.script(`${method} /steal${path}`, { status: 200, body: {} });
          other.script(`GET /steal${path}`, { status: 200, body: {} });
          const error = await call().catch((e: unknown) => e);
          // A trigger redirected away started nothing here, so it is the redirect error itself.
          expect(RedirectError.isInstance(error), String(error)).toBe(true);
          expect(error).toMatchObject({
            status,
            toOrigin: new URL(other.url).origin,
            fromOrigin: new URL(api.url).origin,
          });
          expect((error as Error).message).toContain(new URL(other.url).origin);
          expect((error as Error).message).toMatch(/base URL/);
          expect(other.requests()).toEqual([]);
          expect(api.count(`${method} ${path}`)).toBe(1);
          expect(api.requests().every(keyIn)).toBe(true);
          api.reset();
          other.reset();
        }
      });

      it(`${c.provider}: a ${status} within the origin is followed, with the key and the method the status calls for`, async () => {
        const { method, path, body } = c.trigger;
        const moved = `${path}-moved`;
        // 303 always becomes GET; 301/302 turn a POST into a GET (the fetch standard); 307/308 keep both.
        const nextMethod =
          status === 303 || ((status === 301 || status === 302) && method === 'POST') ? 'GET' : method;
        api.script(`${method} ${path}`, { status, headers: { location: moved } });
        api.script(`${nextMethod} ${moved}`, { status: 200, body });
        const run = await client(c).triggerJob(c.request);
        expect(run.provider).toBe(c.provider);
        const [first, second] = api.requests();
        expect(second).toMatchObject({ method: nextMethod, path: moved });
        expect(keyIn(first) && keyIn(second)).toBe(true);
        // A 307/308 re-sends the body, whole and readable (no detached buffer).
        if (nextMethod === method && method === 'POST') expect(second.body).toBe(first.body);
        if (nextMethod === 'GET') expect(second.body).toBe('');
        expect(other.requests()).toEqual([]);
      });
    }
  }

  it('stops after 5 hops within the origin', async () => {
    const c = CASES[0];
    api.script('GET /api/svc/v1/jobs/app1/runs/train-1', {
      status: 307,
      headers: { location: '/api/svc/v1/jobs/app1/runs/train-1' },
    });
    const error = await client(c)
      .getJobRun(c.ref as never)
      .catch((e: unknown) => e);
    expect(RedirectError.isInstance(error)).toBe(true);
    expect((error as Error).message).toMatch(/more than 5 times/);
    expect(api.count()).toBe(6);
  });
});
