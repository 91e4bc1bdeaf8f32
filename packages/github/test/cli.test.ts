// `anyjob trigger github … --wait` and `anyjob list github …`: the built CLI against the scripted
// loopback server, with GitHub's env vars.
import { describe, expect, it } from 'vitest';
import { useLoopbackServer } from '../../../scripts/test-harness/loopback-server.js';
import { runCli } from '../../cli/test/run-cli.js';

const server = useLoopbackServer();
const REPO = 'octo-org/octo-repo';
const DISPATCH = `POST /repos/${REPO}/actions/workflows/release.yml/dispatches`;
const LIST = `GET /repos/${REPO}/actions/workflows/release.yml/runs`;
const html = (id: number) => `https://github.com/${REPO}/actions/runs/${id}`;
const run = (id: number, status: string, conclusion: string | null = null) => ({
  id,
  status,
  conclusion,
  workflow_id: 159038,
  html_url: html(id),
  created_at: '2026-12-06T14:02:11Z',
});
const env = () => ({ GITHUB_TOKEN: 'ghp_cli0123456789', GITHUB_API_URL: server.url });

describe('anyjob trigger github / anyjob list github', () => {
  it('trigger --wait dispatches with the inputs, follows the run and prints its html_url', async () => {
    server.script(DISPATCH, { status: 200, body: { workflow_run_id: 42, run_url: 'u', html_url: html(42) } });
    server.script(`GET /repos/${REPO}/actions/runs/42`, [
      { body: run(42, 'queued') },
      { body: run(42, 'in_progress') },
      { body: run(42, 'completed', 'success') },
    ]);
    const args = ['trigger', 'github', '--repo', REPO, '--workflow', 'release.yml', '--ref', 'main'];
    const { code, stdout } = await runCli(
      [...args, '--input', 'version=1.2.3', '--wait', '--poll-interval', '10ms'],
      {
        env: env(),
      },
    );
    expect(code).toBe(0);
    expect(stdout).toContain('succeeded (completed/success)');
    expect(stdout).toContain(html(42));
    expect(JSON.parse(server.requests(DISPATCH)[0]?.body ?? '')).toMatchObject({
      ref: 'main',
      inputs: { version: '1.2.3' },
    });
  });

  it("list prints the workflow's runs with both status words", async () => {
    server.script(LIST, {
      body: { total_count: 2, workflow_runs: [run(2, 'in_progress'), run(1, 'completed', 'failure')] },
    });
    const { code, stdout } = await runCli(
      ['list', 'github', '--repo', REPO, '--workflow', 'release.yml', '--status', 'failure'],
      {
        env: env(),
      },
    );
    expect(code).toBe(0);
    expect(stdout).toMatch(/github\s+2\s+running \(in_progress\)/);
    expect(stdout).toMatch(/github\s+1\s+failed \(completed\/failure\)/);
    expect(server.requests(LIST)[0]?.query.get('status')).toBe('failure');
  });

  it('a --repo that is not owner/name is refused before any request (exit 2, naming the fix)', async () => {
    const { code, stderr } = await runCli(
      ['trigger', 'github', '--repo', 'octo-repo', '--workflow', 'x.yml', '--ref', 'main'],
      {
        env: env(),
      },
    );
    expect(code).toBe(2);
    expect(stderr).toContain('owner/name');
    expect(server.count()).toBe(0);
  });
});
