// End-to-end: the built CLI against Prism serving specs/*.yaml. Each test spawns
// `node packages/cli/dist/bin.js` with an explicit env and checks stdout, stderr and the exit code.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MOCK_API_KEY, mockUrl } from '#test-harness';
import { parseJsonDocument, runCli } from './run-cli.js';

const KEYS = { RUNCHAT_API_KEY: MOCK_API_KEY, TFY_API_KEY: MOCK_API_KEY, KOGNITOS_API_KEY: MOCK_API_KEY };
const APP = 'cm8k2x1a00001abcd1234efgh';
const AGENT = 'b4fznghynbdemslfd5k044fgd';

const trigger = {
  runchat: () => ['trigger', 'runchat', '--job', 'job_7Hq2mX9vKp4R', '--base-url', mockUrl('runchat')],
  truefoundry: () => [
    'trigger',
    'truefoundry',
    '--application',
    APP,
    '--param',
    'epochs=3',
    '--base-url',
    mockUrl('truefoundry'),
  ],
  kognitos: () => [
    'trigger',
    'kognitos',
    '--agent',
    AGENT,
    '--process',
    AGENT,
    '--input',
    'invoice=42',
    '--base-url',
    mockUrl('kognitos'),
  ],
};

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'anyjob-cli-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe.concurrent('anyjob trigger against Prism', () => {
  it('runchat --job --json prints one JobRun document; the run is already final', async () => {
    const { code, stdout, stderr } = await runCli([...trigger.runchat(), '--json'], { env: KEYS });
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const run = parseJsonDocument(stdout);
    expect(run).toMatchObject({
      provider: 'runchat',
      status: 'succeeded',
      ref: { provider: 'runchat', jobId: 'job_7Hq2mX9vKp4R' },
    });
  });

  it('runchat --flow sends --input values and shows the outputs to a person', async () => {
    const { code, stdout } = await runCli(
      [
        'trigger',
        'runchat',
        '--flow',
        'f9Xk2Lq7Vb3N',
        '--input',
        'prompt_xyz123=Tell a story',
        '--base-url',
        mockUrl('runchat'),
      ],
      { env: KEYS },
    );
    expect(code).toBe(0);
    expect(stdout).toMatch(/^runchat run \S+: succeeded/);
    expect(stdout).toContain('outputs:\n  story_xyz789: ');
  });

  it('runchat --job --message posts to an agent job', async () => {
    const { code, stdout } = await runCli([...trigger.runchat(), '--message', 'Summarize today', '--json'], {
      env: KEYS,
    });
    expect(code).toBe(0);
    expect(parseJsonDocument(stdout)).toMatchObject({ provider: 'runchat', status: 'succeeded' });
  });

  it('truefoundry --json returns the queued run with a ref that can poll and cancel it', async () => {
    const { code, stdout, stderr } = await runCli([...trigger.truefoundry(), '--json'], { env: KEYS });
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const run = parseJsonDocument(stdout);
    expect(run).toMatchObject({ provider: 'truefoundry', status: 'queued', providerStatus: 'CREATED' });
    expect(run.ref).toMatchObject({
      provider: 'truefoundry',
      applicationId: expect.any(String),
      deploymentId: expect.any(String),
      jobRunName: run.id,
    });
  });

  it('truefoundry without --json prints a summary line and the ref to follow it with', async () => {
    const { code, stdout } = await runCli(trigger.truefoundry(), { env: KEYS });
    expect(code).toBe(0);
    const [summary, refLine] = stdout.trimEnd().split('\n');
    expect(summary).toMatch(/^truefoundry run \S+: queued \(CREATED\)/);
    expect(JSON.parse(refLine.replace(/^ref: /, ''))).toMatchObject({ provider: 'truefoundry' });
  });

  it('kognitos --wait polls until Succeeded and prints the outputs (exit 0)', async () => {
    const { code, stdout } = await runCli(
      [...trigger.kognitos(), '--wait', '--poll-interval', '50ms', '--json'],
      {
        env: KEYS,
      },
    );
    expect(code).toBe(0);
    const run = parseJsonDocument(stdout);
    expect(run).toMatchObject({ provider: 'kognitos', status: 'succeeded', output: { total_items: 42 } });
  });

  it('truefoundry --application app --param epochs=3 --wait --json reaches FINISHED (exit 0)', async () => {
    // Prism serves the spec's first getJobRun example, a FINISHED run.
    const { code, stdout } = await runCli(
      [
        'trigger',
        'truefoundry',
        '--application',
        'app',
        '--param',
        'epochs=3',
        '--wait',
        '--json',
        '--poll-interval',
        '50ms',
        '--base-url',
        mockUrl('truefoundry'),
      ],
      { env: KEYS },
    );
    expect(code).toBe(0);
    expect(parseJsonDocument(stdout)).toMatchObject({
      provider: 'truefoundry',
      status: 'succeeded',
      providerStatus: 'FINISHED',
    });
  });

  it('--api-key-file supplies the key when no env var is set', async () => {
    const keyFile = join(dir, 'tfy-key');
    await writeFile(keyFile, `${MOCK_API_KEY}\n`);
    const { code } = await runCli([...trigger.truefoundry(), '--api-key-file', keyFile, '--json'], {
      env: {},
    });
    expect(code).toBe(0);
  });
});

describe.concurrent('status, wait and cancel from a saved ref', () => {
  async function savedRun(provider: keyof typeof trigger): Promise<{ path: string; json: string }> {
    const { code, stdout } = await runCli([...trigger[provider](), '--json'], { env: KEYS });
    expect(code).toBe(0);
    const path = join(dir, `${provider}-${Math.random().toString(36).slice(2)}.json`);
    await writeFile(path, stdout);
    return { path, json: stdout };
  }

  it('status <file> reads the run again (exit 0)', async () => {
    const { path } = await savedRun('truefoundry');
    const { code, stdout } = await runCli(['status', path, '--json', '--base-url', mockUrl('truefoundry')], {
      env: KEYS,
    });
    expect(code).toBe(0);
    expect(parseJsonDocument(stdout)).toMatchObject({ provider: 'truefoundry', status: 'succeeded' });
  });

  it('status - reads the ref from stdin, also a bare ref', async () => {
    const { json } = await savedRun('truefoundry');
    const bareRef = JSON.stringify(JSON.parse(json).ref);
    const { code, stdout } = await runCli(['status', '-', '--base-url', mockUrl('truefoundry')], {
      env: KEYS,
      stdin: bareRef,
    });
    expect(code).toBe(0);
    expect(stdout).toMatch(/^truefoundry run \S+: succeeded \(FINISHED\)/);
  });

  it('wait - follows a kognitos run to Succeeded', async () => {
    const { json } = await savedRun('kognitos');
    const { code, stdout } = await runCli(
      ['wait', '-', '--poll-interval', '50ms', '--base-url', mockUrl('kognitos')],
      {
        env: KEYS,
        stdin: json,
      },
    );
    expect(code).toBe(0);
    expect(stdout).toMatch(/^kognitos run \S+: succeeded \(Succeeded\) in /);
    expect(stdout).toContain('  total_items: 42');
  });

  it('cancel <file> terminates a truefoundry run (exit 0)', async () => {
    const { path } = await savedRun('truefoundry');
    const { code, stdout } = await runCli(['cancel', path, '--json', '--base-url', mockUrl('truefoundry')], {
      env: KEYS,
    });
    expect(code).toBe(0);
    expect(parseJsonDocument(stdout)).toMatchObject({ provider: 'truefoundry' });
  });

  it('cancel of a kognitos run is a usage error: Kognitos has no cancel (exit 2)', async () => {
    const { path } = await savedRun('kognitos');
    const { code, stdout, stderr } = await runCli(['cancel', path, '--base-url', mockUrl('kognitos')], {
      env: KEYS,
    });
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toMatch(/kognitos/i);
  });

  it('status of a finished runchat run is answered from the ref without a request', async () => {
    const { path } = await savedRun('runchat');
    // No --base-url and a base URL nobody listens on: a request would fail with exit 4.
    const { code, stdout } = await runCli(['status', path, '--json'], {
      env: { ...KEYS, RUNCHAT_BASE_URL: 'http://127.0.0.1:9' },
    });
    expect(code).toBe(0);
    expect(parseJsonDocument(stdout)).toMatchObject({ provider: 'runchat', status: 'succeeded' });
  });
});
