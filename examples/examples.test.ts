// Runs every program in examples/ as a user would (compiled to JavaScript, one node process each,
// settings from the env only) against the Prism mocks or the stateful provider emulator, and
// checks what it prints, its exit code and, from the server's side, what it really sent. An
// example that no longer compiles, typechecks or does what its comments say fails here.
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { MOCK_API_KEY, mockUrl } from '#test-harness';
import { compileExamples, exampleNames, examplesDir } from '../scripts/lib/examples.mjs';
import { type Emulator, type EmulatorOptions, startEmulator } from '../scripts/lib/provider-emulator.mjs';
import { type ForwardProxy, startForwardProxy } from '../scripts/test-harness/forward-proxy.js';
import { type NodeResult, startNode } from '../scripts/test-harness/spawn-node.js';

const repoRoot = join(examplesDir, '..');
const APP = 'cm8k2x1a00001abcd1234efgh';
// Fixed run timings: queued for 300 ms, then running for 1.2 s, so a 500 ms poll sees each status.
const PACED: EmulatorOptions = { queueMs: 300, durationMs: 1_200, timeScale: 1 };

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

async function emulator(context: Context, options: EmulatorOptions = PACED): Promise<Emulator> {
  const started = await startEmulator(options);
  context.onTestFinished(() => started.close());
  return started;
}

/** Env pointing TrueFoundry at the emulator (nothing else of the developer's env gets through). */
function emulatorEnv(server: Emulator): Record<string, string> {
  return { TFY_HOST: server.urls.truefoundry, TFY_API_KEY: server.keys.truefoundry, TFY_APPLICATION_ID: APP };
}

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
    const server = await emulator(context, { ...PACED, failureRate: 1 });
    const { code, stdout, stderr } = await run('trigger-and-wait', emulatorEnv(server));
    expect(code, stderr).toBe(1);
    const [created] = server.runs({ provider: 'truefoundry' });
    expect(stdout).toContain(`triggered truefoundry run ${created.name}: queued`);
    expect(lines(stdout).at(-1)).toBe('  failed (FAILED)'); // onUpdate's last call
    expect(stderr).toContain(
      `run ${created.name} ended failed: truefoundry run ${created.name} is failed (FAILED)`,
    );
    expect(server.runs({ provider: 'truefoundry' })).toHaveLength(1);
  });

  it('resume-from-ref: a second process follows the run from the stored ref', async (context) => {
    // Long enough that the run is still going when the second process starts, on a busy machine too.
    const server = await emulator(context, { ...PACED, durationMs: 6_000 });
    const dir = await mkdtemp(join(tmpdir(), 'anyjob-example-'));
    context.onTestFinished(() => rm(dir, { recursive: true, force: true }));
    const file = join(dir, 'run.json');

    const start = await run('resume-from-ref', emulatorEnv(server), ['start', file]);
    expect(start.code, start.stderr).toBe(0);
    const [created] = server.runs({ provider: 'truefoundry' });
    expect(created.alias).toBe('nightly-report');
    expect(start.stdout).toBe(`triggered ${created.name} (queued); ref stored in ${file}\n`);
    const ref = JSON.parse(await readFile(file, 'utf8'));
    expect(ref).toMatchObject({ provider: 'truefoundry', applicationId: APP, jobRunName: created.name });
    expect(JSON.stringify(ref)).not.toContain(server.keys.truefoundry);
    const readsBefore = server.count('truefoundry.getJobRun') + server.count('truefoundry.listJobRuns');
    expect(readsBefore).toBe(0);

    const resume = await run('resume-from-ref', emulatorEnv(server), ['resume', file]);
    expect(resume.code, resume.stderr).toBe(0);
    expect(lines(resume.stdout)[0]).toMatch(new RegExp(`^${created.name} is (queued|running) \\(`));
    expect(lines(resume.stdout).at(-1)).toBe(`${created.name} finished: succeeded`);
    // The run was read, never triggered again.
    expect(server.count('truefoundry.getJobRun')).toBeGreaterThan(1);
    expect(server.count('truefoundry.triggerJob')).toBe(1);
    expect(server.runs({ provider: 'truefoundry' })).toHaveLength(1);

    // A broken ref fails before any request, naming the field.
    await import('node:fs/promises').then((fs) => fs.writeFile(file, '{"provider":"truefoundry"}'));
    const requests = server.count();
    const broken = await run('resume-from-ref', emulatorEnv(server), ['resume', file]);
    expect(broken.code).toBe(1);
    expect(broken.stderr).toContain('jobRunName');
    expect(server.count()).toBe(requests);
  });

  it('list-and-watch: lists the newest runs, waits for a batch, watches, stops and resumes', async (context) => {
    const server = await emulator(context);
    const seeded = server.seedRuns('truefoundry', APP, 7);
    const newest = seeded
      .slice()
      .sort((a, b) => b.createdAt - a.createdAt)
      .slice(0, 5)
      .map((r) => r.name);

    const { code, stdout, stderr } = await run('list-and-watch', emulatorEnv(server));
    expect(code, stderr).toBe(0);
    const out = lines(stdout);
    expect(out.slice(0, 6)).toEqual(['latest runs:', ...newest.map((name) => expect.stringContaining(name))]);

    const created = server.runs({ provider: 'truefoundry', seeded: false }).map((r) => r.name);
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
    expect(server.count('truefoundry.listJobRuns')).toBeGreaterThan(1);
  });

  it('proxy-fetch: every request goes through the proxy', async (context) => {
    const server = await emulator(context);
    const proxy: ForwardProxy = await startForwardProxy();
    context.onTestFinished(() => proxy.close());
    const env = { ...emulatorEnv(server), HTTP_PROXY: proxy.url, HTTPS_PROXY: proxy.url };
    const { code, stdout, stderr } = await run('proxy-fetch', env);
    expect(code, stderr).toBe(0);
    const [created] = server.runs({ provider: 'truefoundry' });
    expect(stdout).toBe(`${created.name} succeeded (proxy: ${proxy.url})\n`);

    const host = new URL(server.urls.truefoundry).host;
    expect(proxy.tunnels.length).toBeGreaterThan(0);
    expect(new Set(proxy.tunnels)).toEqual(new Set([host]));
    // What the emulator received is exactly what went through the proxy.
    const received = server.requests().map((r) => `${r.method} ${r.url}`);
    expect(proxy.requests.map((r) => `${r.method} ${r.path}`)).toEqual(received);
    expect(received[0]).toBe('POST /api/svc/v1/jobs/trigger');
    expect(received.length).toBeGreaterThan(1);
  });

  it('logging: ANYJOB_LOG=debug sends debug lines to the `logger`; withResponse and requestId', async (context) => {
    const server = await emulator(context);
    // The emulator sends no request id of its own; this one is the provider's, on the trigger.
    server.setFault('truefoundry.triggerJob', {
      type: 'delay',
      ms: 0,
      headers: { 'x-request-id': 'req-7f3a' },
    });

    const quiet = await run('logging', emulatorEnv(server));
    expect(quiet.code, quiet.stderr).toBe(0);
    expect(quiet.stderr).toBe(''); // default level warn: nothing to say
    const [first] = server.runs({ provider: 'truefoundry' });
    expect(lines(quiet.stdout)).toEqual([
      `triggered ${first.name}: HTTP 200, content-type application/json; charset=utf-8`,
      'request id: req-7f3a',
      `${first.name} succeeded; last poll answered HTTP 200`,
    ]);

    const verbose = await run('logging', { ...emulatorEnv(server), ANYJOB_LOG: 'debug' });
    expect(verbose.code, verbose.stderr).toBe(0);
    expect(verbose.stdout).toContain('request id: (the provider sent none)');
    const logged = lines(verbose.stderr).map((line) => JSON.parse(line));
    expect(logged.length).toBeGreaterThan(1);
    for (const entry of logged) expect(entry).toMatchObject({ level: 'debug', message: expect.any(String) });
    expect(logged[0].message).toMatch(
      /^\[anyjob\] truefoundry\.triggerJob POST http:\S+\/jobs\/trigger → 200 in \d+ ms/,
    );
    expect(logged.some((entry) => entry.message.includes('truefoundry.getJobRun GET'))).toBe(true);
    expect(verbose.stderr).not.toContain(server.keys.truefoundry);
  });
});
