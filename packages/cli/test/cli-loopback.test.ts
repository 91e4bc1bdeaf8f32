// End-to-end: the built CLI against the scripted loopback server, for what Prism cannot do: status
// sequences while waiting, failed and canceled runs, auth failures, server errors and refused
// connections. Tests run one after another because they share one server's scripts.
import { describe, expect, it } from 'vitest';
import { refusedUrl, useLoopbackServer } from '../../../scripts/test-harness/loopback-server.js';
import { parseJsonDocument, runCli, startCli } from './run-cli.js';

const server = useLoopbackServer();
const KEY = 'tfy-loopback-key-9f8e7d6c5b4a';
const APP = 'app-1';
const DEPLOYMENT = 'dep-1';
const RUN = 'train-4f8z2';
const TRIGGER = 'POST /api/svc/v1/jobs/trigger';
const GET_RUN = `GET /api/svc/v1/jobs/${APP}/runs/${RUN}`;
const LIST_RUNS = `GET /api/svc/v1/jobs/${APP}/runs`;

function tfyRun(status: string, extra: Record<string, unknown> = {}) {
  return {
    id: 'jqfwg345gi25n5ju2yz5iz6m',
    name: RUN,
    applicationName: 'train',
    deploymentVersion: '3',
    createdAt: 1736935200000,
    endTime: null,
    duration: null,
    command: 'python train.py',
    totalRetries: 0,
    error: null,
    status,
    triggeredBy: 'ci@acme.com',
    exitCode: null,
    applicationId: APP,
    deploymentId: DEPLOYMENT,
    tenantName: 'acme',
    ...extra,
  };
}

const triggered = {
  status: 200,
  body: { message: 'Job triggered', jobRunName: RUN, data: tfyRun('CREATED') },
};
const polled = (status: string, extra?: Record<string, unknown>) => ({
  status: 200,
  body: { data: tfyRun(status, extra) },
});

const env = () => ({ TFY_API_KEY: KEY, TFY_HOST: server.url });
const triggerArgs = ['trigger', 'truefoundry', '--application', APP, '--param', 'epochs=3'];
const fast = ['--poll-interval', '10ms'];

describe('waiting for a TrueFoundry run', () => {
  it('CREATED → RUNNING → FINISHED: exit 0, one JSON document, progress on stderr, one trigger', async () => {
    server.script(TRIGGER, triggered);
    server.script(GET_RUN, [polled('RUNNING'), polled('RUNNING'), polled('FINISHED', { exitCode: 0 })]);
    const { code, stdout, stderr } = await runCli([...triggerArgs, '--wait', '--json', ...fast], {
      env: env(),
    });
    expect(code).toBe(0);
    expect(parseJsonDocument(stdout)).toMatchObject({
      provider: 'truefoundry',
      id: RUN,
      status: 'succeeded',
      providerStatus: 'FINISHED',
      ref: { provider: 'truefoundry', applicationId: APP, deploymentId: DEPLOYMENT, jobRunName: RUN },
    });
    // stderr is not a terminal here, so each status change is one line.
    expect(stderr).toMatch(
      /^truefoundry run train-4f8z2: running \(RUNNING\) \(.+\)\ntruefoundry run train-4f8z2: succeeded \(FINISHED\) \(.+\)\n$/,
    );
    expect(server.count(TRIGGER)).toBe(1);
    expect(server.count(GET_RUN)).toBe(3);
    expect(JSON.parse(server.requests(TRIGGER)[0].body)).toEqual({
      applicationId: APP,
      input: { params: { epochs: '3' } },
    });
  });

  it("the README's `anyjob trigger truefoundry --application app --param epochs=3 --wait --json | jq .status`", async () => {
    server.script(TRIGGER, {
      status: 200,
      body: { message: 'Job triggered', jobRunName: RUN, data: tfyRun('CREATED', { applicationId: 'app' }) },
    });
    server.script(`GET /api/svc/v1/jobs/app/runs/${RUN}`, {
      status: 200,
      body: { data: tfyRun('FINISHED', { applicationId: 'app' }) },
    });
    const { code, stdout } = await runCli(
      ['trigger', 'truefoundry', '--application', 'app', '--param', 'epochs=3', '--wait', '--json'],
      { env: env() },
    );
    expect(code).toBe(0);
    // What `jq .status` reads: stdout is one JSON document.
    expect(parseJsonDocument(stdout).status).toBe('succeeded');
  });

  it('a run that FAILED exits 1, prints the failed run and the provider error', async () => {
    server.script(TRIGGER, triggered);
    server.script(GET_RUN, polled('FAILED', { error: 'Container exited with code 1', exitCode: 1 }));
    const { code, stdout, stderr } = await runCli([...triggerArgs, '--wait', ...fast], { env: env() });
    expect(code).toBe(1);
    expect(stdout).toMatch(/^truefoundry run train-4f8z2: failed \(FAILED\)/);
    expect(stdout).toContain('error: Container exited with code 1');
    expect(stderr).toContain(
      'error: truefoundry run train-4f8z2 is failed (FAILED): Container exited with code 1',
    );
  });

  it('--wait that runs out of time exits 1 and still prints the last state as JSON', async () => {
    server.script(TRIGGER, triggered);
    server.script(GET_RUN, polled('RUNNING'));
    const { code, stdout, stderr } = await runCli(
      [...triggerArgs, '--wait', '--timeout', '300ms', '--json', ...fast],
      { env: env() },
    );
    expect(code).toBe(1);
    expect(parseJsonDocument(stdout)).toMatchObject({ provider: 'truefoundry', status: 'running' });
    expect(stderr).toMatch(/Gave up waiting after 300 ms/);
  });

  it('a run that was TERMINATED exits 1 with status canceled', async () => {
    server.script(TRIGGER, triggered);
    server.script(GET_RUN, polled('TERMINATED'));
    const { code, stdout } = await runCli([...triggerArgs, '--wait', '--json', ...fast], { env: env() });
    expect(code).toBe(1);
    expect(parseJsonDocument(stdout)).toMatchObject({ status: 'canceled', providerStatus: 'TERMINATED' });
  });

  it.each([
    ['SIGINT', 130],
    ['SIGTERM', 143],
    ['SIGHUP', 129],
  ] as const)(
    '%s while waiting exits %d and prints the last state with its ref; the run is not canceled',
    async (signal, exitCode) => {
      server.script(TRIGGER, triggered);
      server.script(GET_RUN, polled('RUNNING'));
      const cli = startCli([...triggerArgs, '--wait', '--json', '--poll-interval', '50ms'], { env: env() });
      await cli.stderrMatching(/running \(RUNNING\)/);
      cli.kill(signal);
      const { code, stdout, stderr } = await cli.done;
      expect(code).toBe(exitCode);
      expect(parseJsonDocument(stdout)).toMatchObject({ status: 'running', ref: { jobRunName: RUN } });
      expect(stderr).toContain(
        `Stopped by ${signal}; the run itself keeps going. Follow it with \`anyjob wait\`.`,
      );
      expect(server.count('POST /api/svc/v1/jobs/terminate')).toBe(0);
    },
  );

  it('wait - follows a saved ref from stdin; a 503 while polling is retried, not fatal', async () => {
    server.script(GET_RUN, [{ status: 503, body: { message: 'busy' } }, polled('FINISHED')]);
    const ref = { provider: 'truefoundry', applicationId: APP, deploymentId: DEPLOYMENT, jobRunName: RUN };
    const { code, stdout } = await runCli(['wait', '-', ...fast], {
      env: env(),
      stdin: JSON.stringify({ ref }),
    });
    expect(code).toBe(0);
    expect(stdout).toMatch(/^truefoundry run train-4f8z2: succeeded \(FINISHED\) in /);
  });

  it('cancel sends the deployment id and run name TrueFoundry needs', async () => {
    server.script('POST /api/svc/v1/jobs/terminate', {
      status: 200,
      body: { message: 'Termination requested', jobRunStatus: 'TERMINATION_REQUESTED' },
    });
    const ref = { provider: 'truefoundry', applicationId: APP, deploymentId: DEPLOYMENT, jobRunName: RUN };
    const { code, stdout } = await runCli(['cancel', '-', '--json'], {
      env: env(),
      stdin: JSON.stringify(ref),
    });
    expect(code).toBe(0);
    expect(parseJsonDocument(stdout)).toMatchObject({
      provider: 'truefoundry',
      providerStatus: 'TERMINATION_REQUESTED',
    });
    const [request] = server.requests('POST /api/svc/v1/jobs/terminate');
    expect(Object.fromEntries(request.query)).toEqual({ deploymentId: DEPLOYMENT, jobRunName: RUN });
  });
});

describe('failures map to exit codes', () => {
  it('401 is an auth error (exit 3), and the key never appears, even when the server echoes it', async () => {
    server.script(TRIGGER, (request) => ({
      status: 401,
      body: { statusCode: 401, message: `Invalid token ${request.headers.authorization}` },
    }));
    const { code, stdout, stderr } = await runCli([...triggerArgs, '--json'], { env: env() });
    expect(code).toBe(3);
    expect(stdout).toBe('');
    expect(stderr).toContain('HTTP 401');
    expect(stderr).toContain('Check the API key');
    expect(stderr).not.toContain(KEY);
  });

  it('403 is an auth error too (exit 3)', async () => {
    server.script(GET_RUN, { status: 403, body: { statusCode: 403, message: 'Forbidden' } });
    const ref = { provider: 'truefoundry', applicationId: APP, deploymentId: DEPLOYMENT, jobRunName: RUN };
    const { code } = await runCli(['status', '-'], { env: env(), stdin: JSON.stringify(ref) });
    expect(code).toBe(3);
  });

  // A 500 may come after the run started: the trigger is not retried, the job's run list is
  // searched (again after 1 s and 3 s), and with no run found the outcome is unknown (exit 5).
  it('500 on a trigger is an unconfirmed trigger (exit 5) and is not retried: one request only', async () => {
    server.script(TRIGGER, { status: 500, body: { statusCode: 500, message: 'Internal error' } });
    server.script(LIST_RUNS, { body: { data: [], pagination: { total: 0, offset: 0, limit: 100 } } });
    const { code, stdout, stderr } = await runCli([...triggerArgs, '--wait', '--json'], { env: env() });
    expect(code).toBe(5);
    expect(parseJsonDocument(stdout)).toMatchObject({
      status: 'unconfirmed',
      provider: 'truefoundry',
      request: { applicationId: APP },
      reconciliation: { outcome: 'not-found' },
      candidates: [],
    });
    expect(stderr).toContain('the run may have started, but its outcome is unknown');
    expect(stderr).toContain('HTTP 500');
    expect(stderr).toContain('do not trigger it again before checking');
    expect(server.count(TRIGGER)).toBe(1);
    // One search: after a 500 the provider has answered, so the run list says it all.
    expect(server.count(LIST_RUNS)).toBe(1);
    expect(server.count(GET_RUN)).toBe(0);
  });

  it('404 on status is a provider error (exit 4)', async () => {
    server.script(GET_RUN, { status: 404, body: { statusCode: 404, message: 'Job run not found' } });
    const ref = { provider: 'truefoundry', applicationId: APP, deploymentId: DEPLOYMENT, jobRunName: RUN };
    const { code, stderr } = await runCli(['status', '-', '--json'], {
      env: env(),
      stdin: JSON.stringify(ref),
    });
    expect(code).toBe(4);
    expect(stderr).toContain('Job run not found');
  });

  it('a refused connection is a network error (exit 4)', async () => {
    const { code, stderr } = await runCli([...triggerArgs], {
      env: { TFY_API_KEY: KEY, TFY_HOST: await refusedUrl() },
    });
    expect(code).toBe(4);
    expect(stderr).toMatch(/could not reach http:\/\/127\.0\.0\.1:\d+/);
  });

  it('a host answering 200 with a web page is an unconfirmed trigger (exit 5) naming the operation, not a crash', async () => {
    const page = { headers: { 'content-type': 'text/html' }, body: '<html>console</html>' };
    server.script(TRIGGER, page);
    server.script(LIST_RUNS, page);
    const { code, stdout, stderr } = await runCli([...triggerArgs, '--json'], { env: env() });
    expect(code).toBe(5);
    expect(parseJsonDocument(stdout)).toMatchObject({
      status: 'unconfirmed',
      reconciliation: { outcome: 'failed' },
    });
    expect(stderr).toContain(
      'truefoundry triggerJob answered HTTP 200 with text (text/html) instead of a JSON object',
    );
    expect(stderr).toContain('--base-url');
    expect(stderr).not.toContain('console');
    expect(server.count(TRIGGER)).toBe(1);
  });

  it('a run body without a status is a provider error (exit 4) naming the field', async () => {
    server.script(GET_RUN, { body: { data: { name: RUN } } });
    const ref = { provider: 'truefoundry', applicationId: APP, deploymentId: DEPLOYMENT, jobRunName: RUN };
    const { code, stderr } = await runCli(['status', '-'], { env: env(), stdin: JSON.stringify(ref) });
    expect(code).toBe(4);
    expect(stderr).toContain('truefoundry getJobRun');
    expect(stderr).toContain('response.data.status: must be a string, got nothing');
  });

  it('runchat --flow --instance --payload sends the webhook fields with the instance id (exit 0)', async () => {
    server.script('POST /f1', { body: { runchat_instance_id: 'i1', data: [] } });
    const { code } = await runCli(
      [
        'trigger',
        'runchat',
        '--flow',
        'f1',
        '--instance',
        'i1',
        '--payload',
        '{"event":"user_created"}',
        '--base-url',
        server.url,
      ],
      { env: { RUNCHAT_API_KEY: KEY } },
    );
    expect(code).toBe(0);
    expect(JSON.parse(server.requests('POST /f1')[0].body)).toEqual({
      event: 'user_created',
      runchat_instance_id: 'i1',
    });
  });

  describe('a Runchat run that outlasts --timeout (its runs finish inside the trigger request)', () => {
    const slowFlow = () => server.script('POST /f1', { delayMs: 3_000, body: { data: [] } });
    const args = () => [
      'trigger',
      'runchat',
      '--flow',
      'f1',
      '--timeout',
      '300ms',
      '--json',
      '--base-url',
      server.url,
    ];

    it('with --wait is the wait timing out: exit 1, and the run may still finish', async () => {
      slowFlow();
      const { code, stdout, stderr } = await runCli([...args(), '--wait'], { env: { RUNCHAT_API_KEY: KEY } });
      expect(code).toBe(1);
      expect(stdout).toBe('');
      expect(stderr).toContain(
        'gave up waiting after 300ms (--timeout); the run may still finish on Runchat',
      );
    });

    it('without --wait is a trigger whose outcome is unknown: exit 5, and the run may have run', async () => {
      slowFlow();
      const { code, stdout, stderr } = await runCli(args(), { env: { RUNCHAT_API_KEY: KEY } });
      expect(code).toBe(5);
      expect(parseJsonDocument(stdout)).toMatchObject({
        status: 'unconfirmed',
        provider: 'runchat',
        request: { flowId: 'f1' },
        reconciliation: { outcome: 'unsupported' },
      });
      expect(stderr).toContain('runchat runFlow timed out after 300 ms');
      expect(stderr).toContain('the provider offers no way to look the run up');
      expect(server.count('POST /f1')).toBe(1);
    });
  });

  it('a Runchat agent job that reports status error exits 1 without --wait', async () => {
    server.script('GET /job/job_1', {
      status: 200,
      body: {
        job_id: 'job_1',
        runchat_id: 'rc_1',
        status: 'error',
        messages: [{ role: 'assistant', content: 'Tool failed' }],
      },
    });
    const { code, stdout } = await runCli(
      ['trigger', 'runchat', '--job', 'job_1', '--json', '--base-url', server.url],
      {
        env: { RUNCHAT_API_KEY: KEY },
      },
    );
    expect(code).toBe(1);
    expect(parseJsonDocument(stdout)).toMatchObject({
      provider: 'runchat',
      status: 'failed',
      providerStatus: 'error',
    });
  });

  it('a Kognitos run that Failed exits 1 from `wait`', async () => {
    server.script('GET /runs/run_1', {
      status: 200,
      body: {
        id: 'run_1',
        name: 'Invoice 42',
        agent_id: 'agent_1',
        process_id: 'proc_1',
        stage: 'Published',
        status: 'Failed',
        created_at: '2025-01-15T10:02:44',
        file_ids: null,
        outputs: null,
      },
    });
    const ref = { provider: 'kognitos', runId: 'run_1', agentId: 'agent_1', processId: 'proc_1' };
    const { code, stdout } = await runCli(['wait', '-', '--json', ...fast, '--base-url', server.url], {
      env: { KOGNITOS_API_KEY: KEY },
      stdin: JSON.stringify(ref),
    });
    expect(code).toBe(1);
    expect(parseJsonDocument(stdout)).toMatchObject({ provider: 'kognitos', status: 'failed' });
  });
});
