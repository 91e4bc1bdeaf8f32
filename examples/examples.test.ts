// Runs every program in examples/ as a user would (compiled to JavaScript, one node process each,
// settings from the env only) against the Prism mocks or @anyjob/testing's fake (over HTTP), and
// checks what it prints, its exit code and, from the server's side, what it really sent. An
// example that no longer compiles, typechecks or does what its comments say fails here.
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { createFakeProviders, type FakeProviders, type FakeServer, type FakeStep } from '@anyjob/testing';
import { createAnyJob } from 'anyjob';
import { beforeAll, describe, expect, it } from 'vitest';
import { MOCK_API_KEY, mockUrl } from '#test-harness';
import { compileExamples, exampleNames, examplesDir } from '../scripts/lib/examples.mjs';
import { type ForwardProxy, startForwardProxy } from '../scripts/test-harness/forward-proxy.js';
import { type NodeResult, startNode } from '../scripts/test-harness/spawn-node.js';

const repoRoot = join(examplesDir, '..');
const APP = 'cm8k2x1a00001abcd1234efgh';
/** Queued for 300 ms, then running for `runningMs` (1.2 s), so a 500 ms poll sees each status. */
const paced = (runningMs = 1_200): FakeStep[] => [
  { status: 'queued', ms: 300 },
  { status: 'running', ms: runningMs },
  { status: 'succeeded' },
];

let compiled: Record<string, string>;

beforeAll(async () => {
  // Like the CLI tests, these run the built packages (`pnpm build`, a step of `pnpm test`).
  for (const pkg of ['anyjob', 'truefoundry', 'core']) {
    if (!existsSync(join(repoRoot, 'packages', pkg, 'dist', 'index.js')))
      throw new Error(`packages/${pkg}/dist is missing: run \`pnpm build\` first.`);
  }
  compiled = await compileExamples();
});

// The tests below run concurrently: each cleans up after itself through its own context.
interface Context {
  onTestFinished(cleanup: () => unknown): void;
}

interface Served {
  fake: FakeProviders;
  server: FakeServer;
  /** Env pointing TrueFoundry at the fake (nothing else of the developer's env gets through). */
  env: Record<string, string>;
}

/** The fake of every provider over HTTP on 127.0.0.1, for the example processes. */
async function served(context: Context, script: FakeStep[] = paced()): Promise<Served> {
  const fake = await createFakeProviders({ script });
  const server = await fake.listen();
  context.onTestFinished(() => server.close());
  const env = {
    TFY_HOST: server.baseUrls.truefoundry as string,
    TFY_API_KEY: fake.apiKey('truefoundry'),
    TFY_APPLICATION_ID: APP,
  };
  return { fake, server, env };
}

const count = (fake: FakeProviders, operation?: string) => fake.requests({ operation }).length;

function run(name: string, env: Record<string, string>, args: string[] = []): Promise<NodeResult> {
  return startNode(compiled[name], args, { env, cwd: examplesDir }).done;
}

function lines(text: string): string[] {
  return text.split('\n').filter(Boolean);
}

it('every example is tested here', () => {
  const source = readFileSync(new URL(import.meta.url), 'utf8');
  for (const name of exampleNames()) expect(source, name).toContain(`run('${name}'`);
});

it('the examples typecheck against the packages’ published types', async () => {
  const tsc = join(repoRoot, 'node_modules', 'typescript', 'bin', 'tsc');
  const result = await promisify(execFile)(
    process.execPath,
    [tsc, '-p', join(examplesDir, 'tsconfig.json')],
    {
      cwd: repoRoot,
    },
  ).catch((error: { stdout: string; code: number }) => error);
  expect('code' in result ? result.stdout : '').toBe('');
});

// Each spawns node once or twice and waits for runs that take seconds: more than the default timeout.
describe.concurrent('examples', { timeout: 60_000 }, () => {
  it('trigger-and-wait: triggers a run on the Prism mock and waits until it finished', async () => {
    const env = { TFY_HOST: mockUrl('truefoundry'), TFY_API_KEY: MOCK_API_KEY, TFY_APPLICATION_ID: APP };
    const { code, stdout, stderr } = await run('trigger-and-wait', env);
    expect(code, stderr).toBe(0);
    // Prism answers with the spec's examples: the trigger's run name, then a FINISHED run.
    expect(lines(stdout)).toEqual([
      'triggered truefoundry run my-training-job-4f8z2: queued',
      '  succeeded (FINISHED)',
      'run my-training-job-4f8z2 succeeded',
    ]);
  });

  it("github-dispatch: dispatches on the Prism mock, prints the run's html_url and waits for it", async () => {
    const env = { GITHUB_TOKEN: MOCK_API_KEY, GITHUB_API_URL: mockUrl('github') };
    const { code, stdout, stderr } = await run('github-dispatch', env, [
      'deploy.yml',
      'main',
      'version=1.2.3',
    ]);
    expect(code, stderr).toBe(0);
    // Prism answers with the spec's examples: the dispatch names run 30433642, which has completed.
    expect(lines(stdout)).toEqual([
      'dispatched deploy.yml on main: run 30433642 https://github.com/octo-org/octo-repo/actions/runs/30433642',
      'run 30433642 succeeded',
    ]);
  });

  it('trigger-and-wait: a failed run is reported with exit code 1', async (context) => {
    const { fake, env } = await served(context);
    fake.onTrigger('truefoundry').fail();
    const { code, stdout, stderr } = await run('trigger-and-wait', env);
    expect(code, stderr).toBe(1);
    const [created] = fake.runs('truefoundry');
    expect(stdout).toContain(`triggered truefoundry run ${created?.id}: queued`);
    expect(lines(stdout).at(-1)).toBe('  failed (FAILED)'); // onUpdate's last call
    expect(stderr).toContain(
      `run ${created?.id} ended failed: truefoundry run ${created?.id} is failed (FAILED)`,
    );
    expect(fake.runs('truefoundry')).toHaveLength(1);
  });

  it('resume-from-ref: a second process follows the run from the stored ref', async (context) => {
    // Long enough that the run is still going when the second process starts, on a busy machine too.
    const { fake, env } = await served(context, paced(6_000));
    const dir = await mkdtemp(join(tmpdir(), 'anyjob-example-'));
    context.onTestFinished(() => rm(dir, { recursive: true, force: true }));
    const file = join(dir, 'run.json');

    const start = await run('resume-from-ref', env, ['start', file]);
    expect(start.code, start.stderr).toBe(0);
    const [created] = fake.runs('truefoundry');
    const name = created?.id as string;
    expect(created?.request.alias).toBe('nightly-report');
    expect(start.stdout).toBe(`triggered ${name} (queued); ref stored in ${file}\n`);
    const ref = JSON.parse(await readFile(file, 'utf8'));
    expect(ref).toMatchObject({ provider: 'truefoundry', applicationId: APP, jobRunName: name });
    expect(JSON.stringify(ref)).not.toContain(fake.apiKey('truefoundry'));
    const readsBefore = count(fake, 'getJobRun') + count(fake, 'listJobRuns');
    expect(readsBefore).toBe(0);

    const resume = await run('resume-from-ref', env, ['resume', file]);
    expect(resume.code, resume.stderr).toBe(0);
    expect(lines(resume.stdout)[0]).toMatch(new RegExp(`^${name} is (queued|running) \\(`));
    expect(lines(resume.stdout).at(-1)).toBe(`${name} finished: succeeded`);
    // The run was read, never triggered again.
    expect(count(fake, 'getJobRun')).toBeGreaterThan(1);
    expect(count(fake, 'triggerJob')).toBe(1);
    expect(fake.runs('truefoundry')).toHaveLength(1);

    // A broken ref fails before any request, naming the field.
    await import('node:fs/promises').then((fs) => fs.writeFile(file, '{"provider":"truefoundry"}'));
    const requests = count(fake);
    const broken = await run('resume-from-ref', env, ['resume', file]);
    expect(broken.code).toBe(1);
    expect(broken.stderr).toContain('jobRunName');
    expect(count(fake)).toBe(requests);
  });

  it('list-and-watch: lists the newest runs, waits for a batch, watches, stops and resumes', async (context) => {
    const { fake, env } = await served(context);
    // Seven runs of the job that ended before the example starts (its history).
    fake
      .onTrigger('truefoundry')
      .script([{ status: 'succeeded' }])
      .times(7);
    const seeder = createAnyJob({ ...fake.config(), env: {} });
    for (let i = 0; i < 7; i++) await seeder.triggerJob({ provider: 'truefoundry', applicationId: APP });
    const seeded = fake.runs('truefoundry');
    const newest = seeded
      .slice()
      .reverse()
      .slice(0, 5)
      .map((r) => r.id);

    const { code, stdout, stderr } = await run('list-and-watch', env);
    expect(code, stderr).toBe(0);
    const out = lines(stdout);
    expect(out.slice(0, 6)).toEqual(['latest runs:', ...newest.map((name) => expect.stringContaining(name))]);

    const created = fake
      .runs('truefoundry')
      .slice(seeded.length)
      .map((r) => r.id);
    expect(created).toHaveLength(5); // 3 for waitForJobs, 2 for the watch; none twice
    for (const name of created.slice(0, 3)) expect(out).toContain(`run ${name}: succeeded`);
    // The watch saw a change, was stopped with its state saved, and the resumed watch finished both.
    const [fourth, fifth] = created.slice(3);
    // (running, unless a loaded machine polled late)
    expect(out.some((line) => /^.+: queued → (running|succeeded)$/.test(line))).toBe(true);
    expect(out).toContain('stopped; saved state of 2 runs');
    const resumed = out.slice(out.indexOf('stopped; saved state of 2 runs') + 1);
    expect(resumed.sort()).toEqual([`${fourth}: succeeded (final)`, `${fifth}: succeeded (final)`].sort());
    // Runs of one job are polled through the list endpoint, not one get per run.
    expect(count(fake, 'listJobRuns')).toBeGreaterThan(1);
  });

  it('proxy-fetch: every request goes through the proxy', async (context) => {
    const { fake, server, env: fakeEnv } = await served(context);
    const proxy: ForwardProxy = await startForwardProxy();
    context.onTestFinished(() => proxy.close());
    const env = { ...fakeEnv, HTTP_PROXY: proxy.url, HTTPS_PROXY: proxy.url };
    const { code, stdout, stderr } = await run('proxy-fetch', env);
    expect(code, stderr).toBe(0);
    const [created] = fake.runs('truefoundry');
    expect(stdout).toBe(`${created?.id} succeeded (proxy: ${proxy.url})\n`);

    const host = new URL(server.url).host;
    expect(proxy.tunnels.length).toBeGreaterThan(0);
    expect(new Set(proxy.tunnels)).toEqual(new Set([host]));
    // What the fake received is exactly what went through the proxy.
    const received = fake.requests().map((r) => `${r.method} ${r.url}`);
    expect(proxy.requests.map((r) => `${r.method} ${r.path}`)).toEqual(received);
    expect(received[0]).toBe('POST /truefoundry/api/svc/v1/jobs/trigger');
    expect(received.length).toBeGreaterThan(1);
  });

  it('logging: ANYJOB_LOG=debug sends debug lines to the `logger`; withResponse and requestId', async (context) => {
    const { fake, env } = await served(context);
    // The fake sends no request id of its own; this one is the provider's, on the trigger.
    fake.fault('truefoundry', 'triggerJob', {
      kind: 'slow-headers',
      ms: 0,
      headers: { 'x-request-id': 'req-7f3a' },
    });

    const quiet = await run('logging', env);
    expect(quiet.code, quiet.stderr).toBe(0);
    expect(quiet.stderr).toBe(''); // default level warn: nothing to say
    const [first] = fake.runs('truefoundry');
    expect(lines(quiet.stdout)).toEqual([
      `triggered ${first?.id}: HTTP 200, content-type application/json`,
      'request id: req-7f3a',
      `${first?.id} succeeded; last poll answered HTTP 200`,
    ]);

    const verbose = await run('logging', { ...env, ANYJOB_LOG: 'debug' });
    expect(verbose.code, verbose.stderr).toBe(0);
    expect(verbose.stdout).toContain('request id: (the provider sent none)');
    const logged = lines(verbose.stderr).map((line) => JSON.parse(line));
    expect(logged.length).toBeGreaterThan(1);
    for (const entry of logged) expect(entry).toMatchObject({ level: 'debug', message: expect.any(String) });
    expect(logged[0].message).toMatch(
      /^\[anyjob\] truefoundry\.triggerJob POST http:\S+\/jobs\/trigger → 200 in \d+ ms/,
    );
    expect(logged.some((entry) => entry.message.includes('truefoundry.getJobRun GET'))).toBe(true);
    expect(verbose.stderr).not.toContain(fake.apiKey('truefoundry'));
  });
  it('databricks-nightly: one run per day however often it runs, a lost answer included (the fake)', async (context) => {
    const fake = await createFakeProviders();
    const server = await fake.listen();
    context.onTestFinished(() => server.close());
    const env = { DATABRICKS_HOST: server.baseUrls.databricks, DATABRICKS_TOKEN: fake.apiKey('databricks') };
    fake.fault('databricks', 'runNow', { kind: 'reset', afterCreate: true });
    const first = await run('databricks-nightly', env, ['2026-12-06']);
    const again = await run('databricks-nightly', env, ['2026-12-06']);
    expect(first.code, first.stderr).toBe(0);
    expect(again.code, again.stderr).toBe(0);
    const [held, ...more] = fake.runs('databricks');
    expect(more).toEqual([]);
    expect(lines(first.stdout)[0]).toMatch(`run ${held?.id} of job 11223344 for 2026-12-06: `);
    expect(lines(again.stdout).at(-1)).toBe(`run ${held?.id} succeeded (TERMINATED/SUCCESS)`);
  });
});
