// `pnpm specs:update` end to end, in a scratch copy of the repo (its scripts, specs and the two
// built providers' generated code; node_modules linked): a rebuild from the published documents,
// the merge of Runchat's per-operation pages, an upstream rename that breaks an overlay action,
// and the diff and generated-code report of an upstream change.
import { execFile } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadOverlay, recordedUpstream } from '../lib/built-specs.mjs';
import { repoRoot } from '../lib/providers.mjs';

const exec = promisify(execFile);
const COPIED = [
  'package.json',
  'scripts/specs-update.mjs',
  'scripts/generate.mjs',
  'scripts/lib',
  'scripts/release/lib',
  'specs',
  'packages/core/package.json',
  'packages/runchat/package.json',
  'packages/runchat/src/generated',
  'packages/truefoundry/package.json',
  'packages/truefoundry/src/generated',
];
const runchatSeeds = recordedUpstream(loadOverlay('runchat'));
const [truefoundrySeed] = recordedUpstream(loadOverlay('truefoundry'));

let scratch: string;
beforeAll(() => {
  scratch = mkdtempSync(join(tmpdir(), 'anyjob-specs-update-test-'));
  for (const path of COPIED) {
    mkdirSync(join(scratch, path, '..'), { recursive: true });
    cpSync(join(repoRoot, path), join(scratch, path), { recursive: true });
  }
  symlinkSync(join(repoRoot, 'node_modules'), join(scratch, 'node_modules'));
});
afterAll(() => {
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

async function specsUpdate(...args: string[]) {
  try {
    const { stdout, stderr } = await exec(process.execPath, ['scripts/specs-update.mjs', ...args], {
      cwd: scratch,
      env: { ...process.env, INIT_CWD: scratch },
    });
    return { code: 0, output: `${stdout}${stderr}` };
  } catch (error) {
    const { code, stdout = '', stderr = '' } = error as { code: number; stdout?: string; stderr?: string };
    return { code, output: `${stdout}${stderr}` };
  }
}

const read = (path: string) => readFileSync(join(scratch, path), 'utf8');

/** A copy of a published document with `edit` applied to its text, in the scratch dir. */
function editedCopy(source: string, name: string, edit: (text: string) => string) {
  const path = join(scratch, name);
  writeFileSync(path, edit(readFileSync(source, 'utf8')));
  return path;
}

describe('pnpm specs:update', () => {
  it('merges Runchat per-operation pages given as a directory; the built spec is up to date', async () => {
    const dir = join(scratch, 'runchat-pages');
    mkdirSync(dir);
    for (const seed of runchatSeeds) cpSync(seed, join(dir, seed.split('/').at(-1) as string));
    const { code, output } = await specsUpdate('runchat', 'runchat-pages');
    expect(output).toContain('spec diff: no change the release check classifies');
    expect(output).toContain('specs/runchat.yaml is up to date; generated code unchanged');
    expect(code).toBe(0);
  });

  it('fails, naming the action and writing nothing, when upstream renamed a patched schema', async () => {
    const before = read('specs/truefoundry.yaml');
    const renamed = editedCopy(truefoundrySeed, 'renamed.txt', (text) =>
      text.replaceAll('SparkJobTriggerInput', 'SparkJobInput'),
    );
    const { code, output } = await specsUpdate('truefoundry', renamed);
    expect(code).toBe(1);
    expect(output).toContain('matched nothing in the published document: the provider changed what we patch');
    expect(output).toMatch(
      /action \d+ \("Added: a Spark input carries no `command`\/`params`.*target \$\.components\.schemas\.SparkJobTriggerInput\)/,
    );
    expect(read('specs/truefoundry.yaml')).toBe(before);
  });

  it('fails on a conflicting duplicate between per-operation pages', async () => {
    const conflicting = editedCopy(runchatSeeds[1], 'conflict.txt', (text) =>
      text.replace('Error message, present only when `status` is `error`.', 'Something else.'),
    );
    const { code, output } = await specsUpdate('runchat', runchatSeeds[0], conflicting, runchatSeeds[2]);
    expect(code).toBe(1);
    expect(output).toMatch(
      /conflicting duplicate components\.schemas\.AgentJobResponse: 000_\S+ and conflict\.txt/,
    );
  });

  it('reports the spec diff, breaking or not, and which generated code will change', async () => {
    const changed = editedCopy(truefoundrySeed, 'changed.txt', (text) =>
      text
        .replace('        - UNKNOWN\n', '')
        .replace('        - TERMINATED\n', '        - TERMINATED\n        - PAUSED\n'),
    );
    const generatedBefore = read('packages/truefoundry/src/generated/types.gen.ts');
    const { code, output } = await specsUpdate('truefoundry', changed);
    expect(code).toBe(0);
    expect(output).toMatch(/spec diff: \d+ breaking, \d+ not breaking/);
    expect(output).toMatch(
      /breaking.*\n(.*\n)*?\s+enum-narrowed @ GET \/api\/svc\/v1\/jobs\/\{jobId\}\/runs.*enum lost "UNKNOWN"/,
    );
    expect(output).toMatch(/not breaking:\n(.*\n)*?\s+enum-widened @ .*enum gained "PAUSED"/);
    expect(output).toContain('wrote specs/truefoundry.yaml');
    expect(output).toContain(
      'generated code of @anyjob/truefoundry will change (conformance.gen.ts, types.gen.ts, valibot.gen.ts)',
    );
    expect(read('specs/truefoundry.yaml')).toContain('- PAUSED');
    // Generated into a temp dir: the package itself is untouched until `pnpm generate`.
    expect(read('packages/truefoundry/src/generated/types.gen.ts')).toBe(generatedBefore);
  });

  it('refuses a provider without an overlay (Kognitos is written by hand)', async () => {
    const { code, output } = await specsUpdate('kognitos', truefoundrySeed);
    expect(code).toBe(2);
    expect(output).toContain('specs/overlays/kognitos.yaml not found');
  });
});
