// `pnpm new-provider` over the whole scaffold corpus (fixtures/*.yaml, issue 18 item 3): in one
// scratch copy of the repo, every fixture is scaffolded with --register as `draft-<fixture>`, then
// one install, one build and one vitest run serve them all (affordable on 2 cores). For each
// fixture: the drafted package typechecks and passes Biome; its contract, status and provider tests
// pass against Prism, and so do its spec-derived suite, check:coverage and lint:specs; and, where
// the draft follows the trigger's answer to the run, the facade and `anyjob trigger draft-<fixture>
// … --json` (the command the scaffold prints under "Try it"; `--wait` where Prism's run is final)
// reach the run. Where it cannot (a trigger answering a Location that is not the run), the
// "left to do by hand" list says so and the facade's trigger fails as it says.
import { execFile, execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSpec } from '../lib/openapi.mjs';
import { startPrism } from '../lib/prism.mjs';

const exec = promisify(execFile);
const repoRoot = new URL('../..', import.meta.url).pathname;
const fixturesDir = new URL('./fixtures/', import.meta.url).pathname;
const fixtures = readdirSync(fixturesDir)
  .filter((file) => file.endsWith('.yaml'))
  .map((file) => file.slice(0, -'.yaml'.length))
  .sort();
// biome-ignore lint/suspicious/noControlCharactersInRegex: strips vitest's colours
const plain = (text: string) => text.replace(/\x1b\[[0-9;]*m/g, '');

let scratch: string;
const outputs = new Map<string, string>();
let testOutput = '';
let coverageOutput = '';

async function inScratch(command: string, args: string[], env: Record<string, string> = {}) {
  try {
    const { stdout, stderr } = await exec(command, args, {
      cwd: scratch,
      env: { ...process.env, CI: 'true', ...env },
      maxBuffer: 50 * 1024 * 1024,
    });
    return { stdout, output: `${stdout}${stderr}` };
  } catch (error) {
    const { stdout = '', stderr = '' } = error as { stdout?: string; stderr?: string };
    throw new Error(`\`${command} ${args.join(' ')}\` failed in the scratch repo:\n${stdout}${stderr}`);
  }
}
const bin = (name: string) => join(scratch, 'node_modules', '.bin', name);

/** The env var names the fixture declares, and a key of the form its auth takes (`user:token` for basic). */
function envOf(fixture: string) {
  const spec = loadSpec(join(fixturesDir, `${fixture}.yaml`));
  // Without x-anyjob-env (acme), the draft follows anyjob's convention.
  const CONST = `DRAFT_${fixture.toUpperCase().replaceAll('-', '_')}`;
  const names = (spec['x-anyjob-env'] as { apiKey: string; baseUrl: string } | undefined) ?? {
    apiKey: `${CONST}_API_KEY`,
    baseUrl: `${CONST}_BASE_URL`,
  };
  const scheme = Object.values(
    (spec.components?.securitySchemes ?? {}) as Record<string, { type?: string; scheme?: string }>,
  )[0];
  const key = scheme?.scheme?.toLowerCase() === 'basic' ? 'ci-user:not-a-secret' : 'corpus-key-not-a-secret';
  return { names, key };
}

/** The scaffold's "Try it" command, as arguments after `anyjob trigger`. */
function tryIt(output: string): string[] {
  const line = output.split('\n').find((text) => text.startsWith('Try it: anyjob trigger '));
  if (!line) throw new Error(`the scaffold printed no "Try it" line:\n${output}`);
  const args = line.slice('Try it: anyjob trigger '.length).replace(/ --wait$/, '');
  // The printed arguments are shell-quoted with single quotes where needed.
  return [...args.matchAll(/'((?:[^']|'\\'')*)'|(\S+)/g)].map((m) => (m[1] ?? m[2]).replaceAll("'\\''", "'"));
}

describe('pnpm new-provider over the scaffold corpus', () => {
  beforeAll(async () => {
    scratch = mkdtempSync(join(tmpdir(), 'anyjob-corpus-'));
    const files = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], {
      cwd: repoRoot,
      encoding: 'utf8',
    })
      .split('\0')
      .filter(Boolean);
    for (const file of files) {
      mkdirSync(dirname(join(scratch, file)), { recursive: true });
      try {
        cpSync(join(repoRoot, file), join(scratch, file));
      } catch {
        // A file deleted in the work tree but not yet in the index.
      }
    }
    await inScratch('pnpm', ['install', '--offline', '--frozen-lockfile']);
    for (const fixture of fixtures) {
      const { output } = await inScratch(process.execPath, [
        'scripts/new-provider.mjs',
        `draft-${fixture}`,
        '--spec',
        join(fixturesDir, `${fixture}.yaml`),
        '--register',
        '--skip-install',
      ]);
      outputs.set(fixture, output);
    }
    await inScratch('pnpm', ['install', '--offline', '--no-frozen-lockfile']);
    // What the facade, the CLI and the fakes need: the CLI and everything it depends on (every
    // provider), and @anyjob/testing.
    await inScratch(bin('turbo'), [
      'run',
      'build',
      '--filter=@anyjob/cli...',
      '--filter=@anyjob/testing',
      '--output-logs=errors-only',
    ]);
    // One typecheck of every drafted package, one Biome run, one vitest run.
    writeFileSync(
      join(scratch, 'tsconfig.drafts.json'),
      JSON.stringify({
        extends: './tsconfig.base.json',
        compilerOptions: { noEmit: true },
        include: fixtures.flatMap((f) => [`packages/draft-${f}/src`, `packages/draft-${f}/test`]),
      }),
    );
    await inScratch(bin('tsc'), ['-p', 'tsconfig.drafts.json']);
    await inScratch(bin('biome'), [
      'check',
      '--vcs-enabled=false',
      ...fixtures.map((f) => `packages/draft-${f}`),
      'packages/anyjob/src/providers.ts',
    ]);
    // Every test the scaffold wrote (contract, spec-derived suite, contract and status specs,
    // provider), with the JSON results check:coverage reads.
    testOutput = plain(
      (
        await inScratch(bin('vitest'), [
          'run',
          ...fixtures.map((f) => `packages/draft-${f}`),
          '--reporter=verbose',
          '--reporter=json',
          '--outputFile.json=.tmp/vitest-results.json',
        ])
      ).output,
    );
    coverageOutput = (
      await inScratch(process.execPath, ['scripts/coverage-gate.mjs', ...fixtures.map((f) => `draft-${f}`)])
    ).output;
    // `pnpm lint:specs`: every spec, the drafted providers' among them.
    await inScratch('pnpm', ['lint:specs']);
  }, 600_000);

  afterAll(() => {
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  });

  it('scaffolds every fixture of the corpus', () => {
    expect(fixtures.length).toBeGreaterThanOrEqual(7);
    for (const fixture of fixtures) expect(outputs.get(fixture)).toContain(`Done. packages/draft-${fixture}`);
  });

  it('registers them in order, one line each', () => {
    const lines = readFileSync(join(scratch, 'packages/anyjob/src/providers.ts'), 'utf8')
      .split('\n')
      .filter((line) => line.startsWith('export * from'));
    expect(lines).toEqual([...lines].sort());
    for (const fixture of fixtures)
      expect(lines).toContain(`export * from '@anyjob/draft-${fixture}/provider';`);
  });

  it('every drafted package passes all its tests against Prism, and check:coverage and lint:specs pass', () => {
    // Three test files per package: contract, spec-contract, provider (with the contract and status specs).
    expect(testOutput).toMatch(new RegExp(`Test Files {2}${fixtures.length * 3} passed`));
    expect(coverageOutput).toMatch(/check:coverage: all \d+ documented \(operation, status\) pairs pass/);
    for (const fixture of fixtures) {
      expect(testOutput).toContain(`draft-${fixture} contract against`);
      expect(testOutput).toContain(`draft-${fixture} status spec against`);
    }
  });

  describe.each(fixtures)('%s', (fixture) => {
    const name = `draft-${fixture}`;
    let prism: { url: string; stop: () => Promise<void> } | undefined;
    beforeAll(async () => {
      prism = await startPrism(join(scratch, `specs/${name}.yaml`));
    }, 60_000);
    afterAll(async () => {
      await prism?.stop();
    });

    it('uses the env var names the spec gives', () => {
      const { names } = envOf(fixture);
      const provider = readFileSync(join(scratch, `packages/${name}/src/provider.ts`), 'utf8');
      expect(provider).toContain(`apiKey: ['${names.apiKey}']`);
      expect(provider).toContain(`baseUrl: ['${names.baseUrl}']`);
    });

    it('the drafted fake (./testing) serves a run to its end and a cancel, or the by-hand list says why not', async () => {
      const output = outputs.get(fixture) ?? '';
      const todo = output.slice(output.indexOf('Left to do by hand'), output.indexOf('Try it'));
      const test = readFileSync(join(scratch, `packages/${name}/test/provider.test.ts`), 'utf8');
      const script = join(scratch, `fake-${fixture}.mjs`);
      writeFileSync(
        script,
        `import { createFakeProviders } from './packages/testing/dist/index.js';
import { createAnyJob } from './packages/anyjob/dist/index.js';
import * as entry from './packages/${name}/dist/provider.js';
const descriptor = Object.values(entry).find((value) => value?.name === ${JSON.stringify(name)} && value.testing);
const request = (0, eval)('(' + process.argv[2] + ')');
const drift = [];
try {
  const fake = await createFakeProviders({ providers: [descriptor], onDrift: (error) => drift.push(error.message) });
  const anyjob = createAnyJob({ ...fake.config(), retryDelayMs: 1, maxRetries: 0 });
  const done = await anyjob.waitForJob(await anyjob.triggerJob(request), { pollIntervalMs: 1 });
  const canceled = descriptor.capabilities.cancel ? (await anyjob.cancelJob(await anyjob.triggerJob(request))).status : 'none';
  console.log(JSON.stringify({ done: done.status, canceled, held: fake.runs(${JSON.stringify(name)}).length, drift }));
} catch (error) {
  console.log(JSON.stringify({ error: error.name, message: error.message, drift }));
}
`,
      );
      const request = /triggerJob\((\{[\s\S]*?\})\)/.exec(test)?.[1] ?? `{ provider: '${name}' }`;
      const result = JSON.parse(
        (await inScratch(process.execPath, [script, request])).stdout.trim().split('\n').at(-1) ?? '{}',
      );
      if (test.includes('refuses a trigger answer')) {
        expect(todo).toMatch(/answers a Location|answers no run/);
        expect(result.error).toBeDefined();
        return;
      }
      // Every answer of the fake was checked against the spec (no drift).
      expect(result, result.message).toMatchObject({ done: 'succeeded', drift: [] });
      if (result.canceled !== 'none') expect(result.canceled).toBe('canceled');
      expect(result.held).toBe(result.canceled === 'none' ? 1 : 2);
    }, 60_000);

    it('the facade and the CLI drive a run, or the by-hand list says why not', async () => {
      const output = outputs.get(fixture) ?? '';
      const todo = output.slice(output.indexOf('Left to do by hand'), output.indexOf('Try it'));
      const drivable = !readFileSync(
        join(scratch, `packages/${name}/test/provider.test.ts`),
        'utf8',
      ).includes('refuses a trigger answer');
      const { names, key } = envOf(fixture);
      const env = { [names.apiKey]: key, [names.baseUrl]: prism?.url ?? '' };
      const script = join(scratch, `drive-${fixture}.mjs`);
      writeFileSync(
        script,
        `import { createAnyJob } from './packages/anyjob/dist/index.js';
const anyjob = createAnyJob({ ${JSON.stringify(name)}: { apiKey: ${JSON.stringify(key)}, baseUrl: process.argv[2] }, env: {} });
const request = (0, eval)('(' + process.argv[3] + ')');
try {
  const run = await anyjob.triggerJob(request);
  const again = await anyjob.getJobRun(JSON.parse(JSON.stringify(run.ref)));
  console.log(JSON.stringify({ id: run.id, status: run.status, again: again.id }));
} catch (error) {
  console.log(JSON.stringify({ error: error.name, message: error.message }));
}
`,
      );
      const provider = readFileSync(join(scratch, `packages/${name}/test/provider.test.ts`), 'utf8');
      // The request the drafted test triggers with (an object literal, as Biome wrote it).
      const request = /triggerJob\((\{[\s\S]*?\})\)/.exec(provider)?.[1] ?? `{ provider: '${name}' }`;
      const facade = JSON.parse(
        (await inScratch(process.execPath, [script, prism?.url ?? '', request])).stdout
          .trim()
          .split('\n')
          .at(-1) ?? '{}',
      );
      if (!drivable) {
        // The scaffold said this trigger's answer does not lead to the run, and it does not.
        expect(todo).toMatch(/answers a Location|answers no run/);
        expect(facade.error).toBeDefined();
        return;
      }
      expect(facade.error, facade.message).toBeUndefined();
      expect(facade.again).toBe(facade.id);
      // Prism's run is the spec's first example: the CLI waits for it where that run is final.
      const waits = provider.includes('waitForRuns');
      const cli = await inScratch(
        process.execPath,
        [
          'packages/cli/dist/bin.js',
          'trigger',
          ...tryIt(output),
          ...(waits ? ['--wait', '--poll-interval', '10ms'] : []),
          '--json',
        ],
        env,
      );
      const run = JSON.parse(cli.stdout);
      expect(run).toMatchObject({ provider: name, id: facade.id });
      if (waits) expect(['succeeded', 'failed', 'canceled', 'timed_out']).toContain(run.status);
    }, 60_000);
  });
});
