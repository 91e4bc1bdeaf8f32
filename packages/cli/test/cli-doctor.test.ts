// End-to-end: `anyjob doctor <provider>` (and `pnpm contract:live`, which runs it) from the built
// CLI, against a scripted loopback server that departs from the specs in known ways, and against
// Prism serving the specs (which must conform). The server's records show what was sent: read
// operations only, never a trigger. Tests run one after another because they share one server.
import { fileURLToPath } from 'node:url';
import { defaultProviders } from 'anyjob';
import { describe, expect, it } from 'vitest';
import { MOCK_API_KEY, mockUrl } from '#test-harness';
import { refusedUrl, useLoopbackServer } from '../../../scripts/test-harness/loopback-server.js';
import { startNode } from '../../../scripts/test-harness/spawn-node.js';
import { exampleFlagArgs } from '../../../scripts/test-harness/trigger-requests.mjs';
import { parseJsonDocument, runCli } from './run-cli.js';

const server = useLoopbackServer();
// Distinctive, so any leak into the output is found.
const KEY = 'kog-doctor-key-7Zq4XwV9pL2mT8';
const TFY_KEY = 'tfy-doctor-key-3Hn6RbW1cY5uE0';
const RUNCHAT_KEY = 'rc_doctor_key_9Vd2KsQ7jM4xA1';
const AGENT = 'agent-1';
const PROCESS = 'proc-1';
const RUN = 'run-1';

interface Report {
  provider: string;
  spec: string;
  conforms: boolean;
  checks: { operation: string; status?: number; findings: number; skipped?: string }[];
  findings: {
    operation: string;
    status: number;
    path: string;
    kind: string;
    expected: string;
    got: string;
  }[];
}

const kognitosRun = (extra: Record<string, unknown> = {}) => ({
  id: RUN,
  name: 'Invoice 42',
  agent_id: AGENT,
  process_id: PROCESS,
  stage: 'Published',
  status: 'Succeeded',
  created_at: '2025-01-15T09:30:12',
  file_ids: null,
  outputs: [{ name: 'total', value: 42 }],
  ...extra,
});

const kognitosEnv = () => ({ KOGNITOS_API_KEY: KEY, KOGNITOS_BASE_URL: server.url });

/** The Kognitos API, conforming unless a route is overridden. */
function scriptKognitos(overrides: Record<string, unknown> = {}) {
  const routes: Record<string, unknown> = {
    'GET /health': { status: 200, body: { status: 'OK' } },
    'GET /processes': {
      status: 200,
      body: { items: [{ id: PROCESS, name: 'Invoices' }], continuation_token: null },
    },
    [`GET /processes/${PROCESS}`]: { status: 200, body: { id: PROCESS, name: 'Invoices' } },
    'GET /runs': { status: 200, body: { items: [kognitosRun()], continuation_token: null } },
    [`GET /runs/${RUN}`]: { status: 200, body: kognitosRun() },
    // Never to be called: the trigger.
    'POST /runs': { status: 201, body: kognitosRun({ status: 'Created' }) },
    ...overrides,
  };
  for (const [route, step] of Object.entries(routes)) server.script(route, step as never);
}

function expectNoKey(...texts: string[]) {
  for (const text of texts) {
    expect(text).not.toContain(KEY);
    expect(text).not.toContain(TFY_KEY);
    expect(text).not.toContain(RUNCHAT_KEY);
  }
}

describe('anyjob doctor kognitos against a server that departs from the spec', () => {
  it('names the extra field, the null string, the unknown status word and the undocumented 401; exit 1', async () => {
    scriptKognitos({
      'GET /processes': {
        status: 200,
        body: { items: [{ id: PROCESS, name: 'Invoices', owner: 'ops@acme.com' }], continuation_token: null },
      },
      [`GET /processes/${PROCESS}`]: { status: 200, body: { id: PROCESS, name: null } },
      'GET /runs': {
        status: 200,
        body: { items: [kognitosRun({ status: 'Paused' })], continuation_token: null },
      },
      [`GET /runs/${RUN}`]: { status: 401, body: { message: 'Unauthorized', status_code: 401 } },
    });
    const { code, stdout, stderr } = await runCli(['doctor', 'kognitos', '--agent', AGENT, '--json'], {
      env: kognitosEnv(),
    });
    expect(stderr).toBe('');
    expect(code).toBe(1);
    const report = parseJsonDocument(stdout) as unknown as Report;
    expect(report).toMatchObject({ provider: 'kognitos', spec: 'specs/kognitos.yaml', conforms: false });
    expect(report.findings).toEqual([
      {
        operation: 'listProcesses',
        status: 200,
        path: '$.items[].owner',
        kind: 'extra',
        expected: 'not in the spec',
        got: 'a string',
      },
      { operation: 'getProcess', status: 200, path: '$.name', kind: 'type', expected: 'string', got: 'null' },
      {
        operation: 'listRuns',
        status: 200,
        path: '$.items[].status',
        kind: 'enum',
        expected:
          'a known value (open string): Created, Pending, Running, Succeeded, Failed, Cancelled, TimedOut',
        got: '"Paused"',
      },
      {
        operation: 'getRun',
        status: 401,
        path: '$',
        kind: 'status',
        expected: 'one of 200, 400, 403, 404',
        got: '401',
      },
    ]);
    expect(report.checks.map((check) => [check.operation, check.status, check.findings])).toEqual([
      ['getHealth', 200, 0],
      ['listProcesses', 200, 1],
      ['getProcess', 200, 1],
      ['listRuns', 200, 1],
      ['getRun', 401, 1],
    ]);
    // Read-only: the five reads, each once, with the key; the trigger never.
    expect(server.requests().map((r) => `${r.method} ${r.path}`)).toEqual([
      'GET /health',
      'GET /processes',
      `GET /processes/${PROCESS}`,
      'GET /runs',
      `GET /runs/${RUN}`,
    ]);
    expect(server.count('POST /runs')).toBe(0);
    expect(server.requests().every((r) => r.headers['x-api-key'] === KEY)).toBe(true);
    expect(server.requests('GET /runs')[0].query.get('process_id')).toBe(PROCESS);
    expectNoKey(stdout, stderr);
  });

  it('prints a table of the checks and the findings for people', async () => {
    scriptKognitos({
      [`GET /processes/${PROCESS}`]: { status: 200, body: { id: PROCESS, name: null } },
    });
    const { code, stdout } = await runCli(['doctor', 'kognitos', '--agent', AGENT], { env: kognitosEnv() });
    expect(code).toBe(1);
    expect(stdout).toContain('kognitos: live answers checked against specs/kognitos.yaml');
    expect(stdout).toMatch(/^getProcess +GET \/processes\/\{process_id\} +200 +1 finding$/m);
    expect(stdout).toMatch(/^listRuns +GET \/runs +200 +conforms$/m);
    expect(stdout).toMatch(/^OPERATION +STATUS +KIND +PATH +EXPECTED +GOT$/m);
    expect(stdout).toMatch(/^getProcess +200 +type +\$\.name +string +null$/m);
    expect(stdout).toMatch(
      /kognitos: 1 finding: the API and specs\/kognitos.yaml disagree \(5 answers checked\)\.\n$/,
    );
  });

  it('--process reads that process; an empty run list skips getRun and still conforms (exit 0)', async () => {
    scriptKognitos({
      'GET /processes/proc-9': { status: 200, body: { id: 'proc-9', name: 'Payroll' } },
      'GET /runs': { status: 200, body: { items: [], continuation_token: null } },
    });
    const { code, stdout } = await runCli(
      ['doctor', 'kognitos', '--agent', AGENT, '--process', 'proc-9', '--json'],
      {
        env: kognitosEnv(),
      },
    );
    expect(code).toBe(0);
    const report = parseJsonDocument(stdout) as unknown as Report;
    expect(report.conforms).toBe(true);
    expect(report.checks.at(-1)).toEqual({
      operation: 'getRun',
      method: 'GET',
      url: '/runs/{run_id}',
      findings: 0,
      skipped: 'no run to read: the process listed none',
    });
    expect(server.count('GET /processes/proc-9')).toBe(1);
    expect(server.count(`GET /runs/${RUN}`)).toBe(0);
  });

  it('never prints the key, even when the API echoes it as a field name or an enum word', async () => {
    scriptKognitos({
      'GET /runs': {
        status: 200,
        body: { items: [kognitosRun({ [KEY]: true, status: KEY })], continuation_token: null },
      },
    });
    const human = await runCli(['doctor', 'kognitos', '--agent', AGENT], { env: kognitosEnv() });
    const json = await runCli(['doctor', 'kognitos', '--agent', AGENT, '--json'], { env: kognitosEnv() });
    expect(human.code).toBe(1);
    expect(json.code).toBe(1);
    expectNoKey(human.stdout, human.stderr, json.stdout, json.stderr);
    const report = parseJsonDocument(json.stdout) as unknown as Report;
    expect(report.findings.map((f) => [f.path, f.kind])).toEqual([
      ['$.items[].status', 'enum'],
      ['$.items[].[redacted]', 'extra'],
    ]);
  });

  it('a documented 403 stops the check: the rest skipped, exit 3, stderr says to check the key', async () => {
    scriptKognitos({
      'GET /health': { status: 403, body: { message: 'Invalid API key', status_code: 403, details: null } },
    });
    const { code, stdout, stderr } = await runCli(['doctor', 'kognitos', '--agent', AGENT, '--json'], {
      env: kognitosEnv(),
    });
    expect(code).toBe(3);
    const report = parseJsonDocument(stdout) as unknown as Report;
    expect(report.conforms).toBe(true);
    expect(report.checks.map((check) => check.skipped ?? check.status)).toEqual([
      403,
      'not called after getHealth answered 403',
      'not called after getHealth answered 403',
      'not called after getHealth answered 403',
      'not called after getHealth answered 403',
    ]);
    expect(stderr).toContain('error: kognitos getHealth answered 403: check the API key');
    expect(server.count()).toBe(1);
    expectNoKey(stdout, stderr);
  });
});

describe('anyjob doctor truefoundry and runchat', () => {
  const APP = 'app-1';
  const tfyRun = (extra: Record<string, unknown> = {}) => ({
    id: 'jqfwg345gi25n5ju2yz5iz6m',
    name: 'train-4f8z2',
    applicationName: 'train',
    deploymentVersion: '3',
    createdAt: 1736935200000,
    command: 'python train.py',
    totalRetries: 0,
    status: 'FINISHED',
    applicationId: APP,
    ...extra,
  });

  it('truefoundry: an unknown status word of the closed enum and a number where the spec says string', async () => {
    server.script(`GET /api/svc/v1/jobs/${APP}/runs`, {
      status: 200,
      body: { data: [tfyRun({ status: 'PAUSED', deploymentVersion: 3 })], pagination: { total: 1 } },
    });
    server.script(`GET /api/svc/v1/jobs/${APP}/runs/train-4f8z2`, { status: 200, body: { data: tfyRun() } });
    const { code, stdout, stderr } = await runCli(['doctor', 'truefoundry', '--application', APP, '--json'], {
      env: { TFY_API_KEY: TFY_KEY, TFY_HOST: server.url },
    });
    expect(stderr).toBe('');
    expect(code).toBe(1);
    const report = parseJsonDocument(stdout) as unknown as Report;
    expect(report.findings).toEqual([
      {
        operation: 'listJobRuns',
        status: 200,
        path: '$.data[].deploymentVersion',
        kind: 'type',
        expected: 'string',
        got: 'an integer',
      },
      {
        operation: 'listJobRuns',
        status: 200,
        path: '$.data[].status',
        kind: 'enum',
        expected:
          'one of CREATED, SCHEDULED, RUNNING, FINISHED, FAILED, TERMINATION_REQUESTED, TERMINATING, TERMINATED, UNKNOWN',
        got: '"PAUSED"',
      },
    ]);
    expect(server.requests().map((r) => `${r.method} ${r.path}`)).toEqual([
      `GET /api/svc/v1/jobs/${APP}/runs`,
      `GET /api/svc/v1/jobs/${APP}/runs/train-4f8z2`,
    ]);
    expect(server.requests().every((r) => r.headers.authorization === `Bearer ${TFY_KEY}`)).toBe(true);
    expectNoKey(stdout, stderr);
  });

  it('runchat: reads the flow schema only, never GET /job/{id} (which runs the job)', async () => {
    const parameter = {
      id: 'prompt_x',
      label: 'Prompt',
      type: 'string',
      description: 'What to write',
      data: [],
    };
    server.script('GET /api/v1/flow-1/schema', {
      status: 200,
      body: { name: 'Story', inputs: [parameter], outputs: [parameter] },
    });
    server.script('GET /api/v1/job/flow-1', { status: 200, body: { data: [] } });
    server.script('POST /api/v1/flow-1', { status: 200, body: { data: [] } });
    const { code, stdout, stderr } = await runCli(['doctor', 'runchat', '--flow', 'flow-1'], {
      env: { RUNCHAT_API_KEY: RUNCHAT_KEY, RUNCHAT_BASE_URL: server.url },
    });
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toContain('runchat: no disagreement with specs/runchat.yaml (1 answer checked).');
    expect(server.requests().map((r) => `${r.method} ${r.path}`)).toEqual(['GET /api/v1/flow-1/schema']);
    expectNoKey(stdout, stderr);
  });

  it('pnpm contract:live runs the same check with the same exit code', async () => {
    server.script(`GET /api/svc/v1/jobs/${APP}/runs`, {
      status: 200,
      body: { data: [tfyRun({ archived: false })], pagination: { total: 1 } },
    });
    server.script(`GET /api/svc/v1/jobs/${APP}/runs/train-4f8z2`, { status: 200, body: { data: tfyRun() } });
    const script = fileURLToPath(new URL('../../../scripts/contract-live.mjs', import.meta.url));
    const { code, stdout, stderr } = await startNode(
      script,
      ['truefoundry', '--application', APP, '--json'],
      {
        env: { TFY_API_KEY: TFY_KEY, TFY_HOST: server.url },
      },
    ).done;
    expect(stderr).toBe('');
    expect(code).toBe(1);
    expect((parseJsonDocument(stdout) as unknown as Report).findings).toEqual([
      expect.objectContaining({ operation: 'listJobRuns', path: '$.data[].archived', kind: 'extra' }),
    ]);
  });
});

describe('anyjob doctor: usage, config and network errors', () => {
  it('a missing --agent is a usage error naming the flag (exit 2); nothing is sent', async () => {
    const { code, stderr } = await runCli(['doctor', 'kognitos'], { env: kognitosEnv() });
    expect(code).toBe(2);
    expect(stderr).toContain('anyjob doctor kognitos: --agent is required.');
    expect(stderr).toContain('--agent <id>');
    expect(server.count()).toBe(0);
  });

  it('no key is a config error (exit 3); an unreachable API a network error (exit 4)', async () => {
    const noKey = await runCli(['doctor', 'kognitos', '--agent', AGENT], {
      env: { KOGNITOS_BASE_URL: server.url },
    });
    expect(noKey.code).toBe(3);
    expect(noKey.stderr).toContain('KOGNITOS_API_KEY');
    const refused = await runCli(['doctor', 'kognitos', '--agent', AGENT, '--request-timeout', '2s'], {
      env: { KOGNITOS_API_KEY: KEY, KOGNITOS_BASE_URL: await refusedUrl() },
    });
    expect(refused.code).toBe(4);
    expectNoKey(refused.stdout, refused.stderr);
  });

  it('--help lists the plan flags and the connection options; an unknown provider is a usage error', async () => {
    const help = await runCli(['doctor', 'kognitos', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('anyjob doctor kognitos --agent <id> --process <id> [--json]');
    expect(help.stdout).toMatch(
      /--agent <id> +Kognitos agent whose processes and runs are read \(required\)/,
    );
    expect(help.stdout).toContain('--region us|eu|uk');
    expect(help.stdout).toContain('--api-key-file <path>');
    // doctor's own exit codes (1 = findings), not the CLI's table where 1 is a failed job.
    expect(help.stdout).toContain('Exit codes of doctor:\n  0  every answer conforms to the spec');
    expect(help.stdout).toContain('  1  findings: the API and the spec disagree');
    expect(help.stdout).not.toContain('the job failed');
    const overview = await runCli(['doctor', '--help']);
    expect(overview.stdout).toContain('Exit codes of doctor:');
    expect(overview.stdout).toMatch(/anyjob doctor <[a-z |]+> \[options\] \[--json\]/);
    for (const provider of defaultProviders.filter((p) => p.conformance !== undefined))
      expect(overview.stdout).toContain(provider.name);
    const unknown = await runCli(['doctor', 'acme']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('unknown provider "acme"');
  });
});

describe.concurrent('anyjob doctor against Prism: the specs conform to themselves', () => {
  // Every provider of the registry with a doctor, each flag of it given an example value.
  const checked = defaultProviders.filter((d) => d.conformance !== undefined);
  const KEYS = Object.fromEntries(checked.map((d) => [d.env.apiKey[0], MOCK_API_KEY]));
  for (const descriptor of checked) {
    const provider = descriptor.name;
    const args = () => [
      ...exampleFlagArgs(descriptor.conformance?.flags ?? []),
      '--base-url',
      mockUrl(provider),
    ];
    it(`${provider}: every planned read answered, 0 findings, exit 0`, async () => {
      const { code, stdout, stderr } = await runCli(['doctor', provider, ...args(), '--json'], { env: KEYS });
      expect(stderr).toBe('');
      expect(code).toBe(0);
      const report = parseJsonDocument(stdout) as unknown as Report;
      expect(report).toMatchObject({ provider, conforms: true, findings: [] });
      expect(report.checks.length).toBeGreaterThan(0);
      expect(report.checks.every((check) => check.status === 200 && check.skipped === undefined)).toBe(true);
    });
  }
});
