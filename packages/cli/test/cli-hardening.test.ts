// The CLI never loses a run and never shows a key: a signal while a trigger is in flight prints
// what is known and that the run may have started (exit 5), keys such as __proto__ are sent as
// data, and a key file holding a character no header can carry is a config error that does not
// quote it.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useLoopbackServer } from '../../../scripts/test-harness/loopback-server.js';
import { runCli, startCli } from './run-cli.js';

const server = useLoopbackServer();
const KEY = 'tfy-cli-hardening-CANARY-77';
const TRIGGER = 'POST /api/svc/v1/jobs/trigger';
const LIST = 'GET /api/svc/v1/jobs/app1/runs';
const env = () => ({ TFY_API_KEY: KEY, TFY_HOST: server.url });
const run = (name: string, createdAt: number) => ({
  id: `id-${name}`,
  name,
  applicationName: 'train',
  deploymentVersion: '1',
  createdAt,
  command: 'python train.py',
  totalRetries: 0,
  status: 'CREATED',
  applicationId: 'app1',
  deploymentId: 'dep1',
});

async function untilRequest(route: string) {
  for (let i = 0; i < 200 && server.count(route) === 0; i++) await new Promise((r) => setTimeout(r, 25));
}

describe('a signal while the trigger is in flight', () => {
  for (const [signal, flag] of [
    ['SIGTERM', '--json'],
    ['SIGINT', undefined],
    ['SIGHUP', '--json'],
  ] as const) {
    it(`${signal}: exit 5, the run it may have started is named, and how to find it`, async () => {
      // The provider takes its time to answer the trigger; meanwhile the run exists in its list.
      server.script(TRIGGER, { delayMs: 10_000, body: {} });
      server.script(LIST, () => ({
        body: { data: [run('train-late', Date.now())], pagination: { total: 1 } },
      }));
      const cli = startCli(['trigger', 'truefoundry', '--application', 'app1', ...(flag ? [flag] : [])], {
        env: env(),
      });
      await untilRequest(TRIGGER);
      cli.kill(signal);
      const { code, stdout, stderr } = await cli.done;
      expect(code).toBe(5);
      expect(stderr).toContain('the run may have started');
      expect(stderr).toContain('train-late');
      expect(server.count(TRIGGER)).toBe(1);
      if (flag === '--json') {
        expect(JSON.parse(stdout)).toMatchObject({
          status: 'unconfirmed',
          // A TrueFoundry run matches on time and job only: a candidate, never proof.
          reconciliation: { outcome: 'unproven' },
          candidates: [{ id: 'train-late', ref: { jobRunName: 'train-late', applicationId: 'app1' } }],
        });
      }
      expect(`${stdout}${stderr}`).not.toContain(KEY);
    });
  }
});

describe('an unconfirmed trigger lists its candidates (exit 5)', () => {
  // The trigger created nothing (502) while two runs of the job started in its window: one may be
  // another caller's. The CLI follows neither, and shows each so a person can decide.
  it('with their id, status and creation time, on stderr and in --json', async () => {
    const now = Date.now();
    server.script(TRIGGER, { status: 502, body: { statusCode: 502, message: 'Bad gateway' } });
    server.script(LIST, {
      body: {
        data: [{ ...run('train-b', now), status: 'RUNNING' }, run('train-a', now - 5_000)],
        pagination: { total: 2 },
      },
    });
    for (const flag of [[], ['--json']]) {
      const { code, stdout, stderr } = await runCli(
        ['trigger', 'truefoundry', '--application', 'app1', ...flag],
        { env: env() },
      );
      expect(code).toBe(5);
      expect(stderr).toContain("none is provably this trigger's");
      expect(stderr).toContain(
        `candidate: truefoundry run train-b, running (RUNNING), created ${new Date(now).toISOString()}`,
      );
      expect(stderr).toContain(
        `candidate: truefoundry run train-a, queued (CREATED), created ${new Date(now - 5_000).toISOString()}`,
      );
      if (flag.length > 0) {
        expect(JSON.parse(stdout)).toMatchObject({
          status: 'unconfirmed',
          reconciliation: { outcome: 'unproven' },
          candidates: [
            { id: 'train-b', status: 'running', createdAt: new Date(now).toISOString() },
            { id: 'train-a', status: 'queued', createdAt: new Date(now - 5_000).toISOString() },
          ],
        });
      } else expect(stdout).toBe('');
    }
    expect(server.count(TRIGGER)).toBe(2);
  });
});

describe('data is sent as given', () => {
  it('--param __proto__=x is sent as a param, not dropped (exit 0)', async () => {
    server.script(TRIGGER, { body: { message: 'ok', jobRunName: 'train-1', data: run('train-1', 1) } });
    const { code, stderr } = await runCli(
      ['trigger', 'truefoundry', '--application', 'app1', '--param', '__proto__=x', '--param', 'epochs:=3'],
      { env: env() },
    );
    expect(code, stderr).toBe(0);
    const body = server.requests(TRIGGER)[0].body;
    expect(JSON.parse(body).input.params).toEqual(JSON.parse('{"__proto__":"x","epochs":3}'));
  });
});

describe('a key file a header cannot carry', () => {
  it('is a config error (exit 3) naming --api-key-file, without the key', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'anyjob-key-'));
    const file = join(dir, 'key');
    await writeFile(file, `${KEY}\u0000\n`);
    try {
      const { code, stderr } = await runCli(
        ['status', '-', '--api-key-file', file, '--base-url', server.url],
        {
          env: {},
          stdin: JSON.stringify({ provider: 'truefoundry', applicationId: 'app1', jobRunName: 'r' }),
        },
      );
      expect(code).toBe(3);
      expect(stderr).toMatch(/cannot be sent in an HTTP header/);
      expect(stderr).toContain('--api-key-file');
      expect(stderr).not.toContain(KEY);
      expect(server.count()).toBe(0);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
