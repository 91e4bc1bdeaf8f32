// `anyjob trigger databricks` and `anyjob list databricks`, the built CLI against Prism (a run that
// succeeds) and a loopback server (what was sent: both parameter flags, the job id's exact digits).
import { describe, expect, it } from 'vitest';
import { MOCK_API_KEY, mockUrl } from '#test-harness';
import { useLoopbackServer } from '../../../scripts/test-harness/loopback-server.js';
import { parseJsonDocument, runCli } from '../../cli/test/run-cli.js';

const env = { DATABRICKS_TOKEN: MOCK_API_KEY };

describe('anyjob trigger databricks', () => {
  it('--job-id --param --wait: runs the job and ends succeeded (exit 0)', async () => {
    const args = [
      'trigger',
      'databricks',
      '--job-id',
      '11223344',
      '--param',
      'run_date=2026-12-06',
      '--wait',
    ];
    const { code, stdout, stderr } = await runCli([...args, '--json', '--base-url', mockUrl('databricks')], {
      env,
    });
    expect(code, stderr).toBe(0);
    expect(parseJsonDocument(stdout)).toMatchObject({
      id: '455644833',
      status: 'succeeded',
      providerStatus: 'TERMINATED/SUCCESS',
    });
  });

  it('a job id that is no integer is a usage error naming --job-id (exit 2)', async () => {
    const { code, stderr } = await runCli(
      ['trigger', 'databricks', '--job-id', 'nightly', '--base-url', mockUrl('databricks')],
      { env },
    );
    expect(code).toBe(2);
    expect(stderr).toMatch(/--job-id/);
  });
});

describe('anyjob doctor databricks', () => {
  it('against Prism: lists runs of --job-id, reads the first, 0 findings (exit 0)', async () => {
    const args = [
      'doctor',
      'databricks',
      '--job-id',
      '11223344',
      '--json',
      '--base-url',
      mockUrl('databricks'),
    ];
    const { code, stdout, stderr } = await runCli(args, { env });
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const report = parseJsonDocument(stdout) as {
      conforms: boolean;
      checks: { operation: string; status: number }[];
    };
    expect(report.conforms).toBe(true);
    expect(report.checks.map((check) => [check.operation, check.status])).toEqual([
      ['listRuns', 200],
      ['getRun', 200],
    ]);
  });
});

describe('the databricks CLI on a loopback server', () => {
  const server = useLoopbackServer();
  const BIG = '9007199254740993';
  const json = { 'content-type': 'application/json' };

  it('sends --param and --job-param together as job_parameters', async () => {
    server.script('POST /api/2.2/jobs/run-now', { body: { run_id: 7, number_in_job: 7 } });
    server.script('GET /api/2.2/jobs/runs/get', {
      headers: json,
      body: '{"run_id":7,"status":{"state":"QUEUED"}}',
    });
    const args = ['trigger', 'databricks', '--job-id', BIG, '--param', 'a=1', '--job-param', 'b=2'];
    const { code, stderr } = await runCli([...args, '--base-url', server.url], { env });
    expect(code, stderr).toBe(0);
    const body = server.requests('POST /api/2.2/jobs/run-now')[0]?.body ?? '';
    expect(body).toContain(`"job_id":${BIG}`);
    expect(JSON.parse(body).job_parameters).toEqual({ a: '1', b: '2' });
  });

  it('list --job-id keeps the digits of an id beyond 2^53, sent and printed', async () => {
    const run = `{"job_id":${BIG},"run_id":${BIG},"status":{"state":"RUNNING"}}`;
    server.script('GET /api/2.2/jobs/runs/list', {
      headers: json,
      body: `{"runs":[${run}],"has_more":false}`,
    });
    const { code, stdout, stderr } = await runCli(
      ['list', 'databricks', '--job-id', BIG, '--json', '--base-url', server.url],
      { env },
    );
    expect(code, stderr).toBe(0);
    expect(server.requests('GET /api/2.2/jobs/runs/list')[0]?.query.get('job_id')).toBe(BIG);
    expect(JSON.parse(stdout.trim().split('\n')[0] as string)).toMatchObject({
      id: BIG,
      ref: { runId: BIG, jobId: BIG },
    });
  });
});
