// The README's first quick-start command is `pnpm demo`; this keeps it true. It runs the demo as a
// user would (its own Prism mocks, no credentials) and checks the table and that the mocks stop.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { startNode } from './test-harness/spawn-node.js';

const repoRoot = join(import.meta.dirname, '..');

// Only mocks of this checkout's specs: other test files start Prism for scratch specs meanwhile.
function prismPids(): Set<string> {
  try {
    return new Set(
      execFileSync('pgrep', ['-f', `prism-cli/dist/index.js mock ${join(repoRoot, 'specs')}/`], {
        encoding: 'utf8',
      })
        .split('\n')
        .filter(Boolean),
    );
  } catch {
    return new Set(); // pgrep exits 1 when nothing matches
  }
}

it('pnpm demo runs one job per provider against the mocks and stops them', { timeout: 180_000 }, async () => {
  const before = prismPids();
  // Keys in the env must be ignored without --live: the demo never sends them anywhere.
  const env = { HOME: process.env.HOME ?? '', TFY_API_KEY: 'must-not-be-used' };
  const { code, stdout, stderr } = await startNode(join(repoRoot, 'scripts', 'demo.mjs'), [], {
    cwd: repoRoot,
    env,
  }).done;

  expect(code, stderr).toBe(0);
  const rows = stdout.split('\n').filter((line) => /^(runchat|truefoundry|kognitos)\s/.test(line));
  expect(rows.map((row) => row.split(/\s+/)[0])).toEqual(['runchat', 'truefoundry', 'kognitos']);
  for (const row of rows) expect(row).toMatch(/\smock\s.*\ssucceeded/);
  expect(stdout).toContain('total_items=42');
  expect(stdout + stderr).not.toContain('must-not-be-used');
  const leftOver = [...prismPids()].filter((pid) => !before.has(pid));
  expect(leftOver).toEqual([]);
});
