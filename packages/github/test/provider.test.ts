// createGithub against Prism (specs/github.yaml), and against the scripted loopback server for what
// Prism cannot do: a dispatch answering 204 or refusing `return_run_details`, status sequences,
// int64 ids beyond 2^53, Link pages, cancel and force-cancel, and what each request carries.
import {
  InvalidRequestError,
  RateLimitError,
  ResponseValidationError,
  TriggerUnconfirmedError,
  UnprocessableEntityError,
} from '@anyjob/core';
import { describe, expect, it } from 'vitest';
import { MOCK_API_KEY, mockUrl } from '#test-harness';
import { useLoopbackServer } from '../../../scripts/test-harness/loopback-server.js';
import { createGithub, type GithubCancelOptions } from '../src/index.js';

const REPO = 'octo-org/octo-repo';
const DISPATCH = `POST /repos/${REPO}/actions/workflows/release.yml/dispatches`;
const LIST = `GET /repos/${REPO}/actions/workflows/release.yml/runs`;
const runRoute = (id: string | number) => `GET /repos/${REPO}/actions/runs/${id}`;
const request = {
  provider: 'github',
  repo: REPO,
  workflow: 'release.yml',
  ref: 'main',
  inputs: { version: '1.2.3' },
} as const;
const TOKEN = 'ghp_LEAKCANARY0123456789abcdefghijklmnop';

/** A workflow run as GitHub answers it (the fields anyjob reads). */
const run = (id: number | string, status: string, conclusion: string | null = null) =>
  `{"id":${id},"status":"${status}","conclusion":${conclusion === null ? 'null' : `"${conclusion}"`},"workflow_id":159038,"html_url":"https://github.com/${REPO}/actions/runs/${id}","created_at":"2026-12-06T14:02:11Z"}`;
const json = (body: string) => ({ headers: { 'content-type': 'application/json' }, body });

describe('createGithub against Prism', () => {
  it('dispatches with return_run_details and reads the run it names (the spec examples: completed/success)', async () => {
    const github = createGithub({ apiKey: MOCK_API_KEY, baseUrl: mockUrl('github') });
    const triggered = await github.triggerJob({ ...request, repo: 'octo-org/octo-repo' });
    expect(triggered).toMatchObject({
      provider: 'github',
      id: '30433642',
      status: 'succeeded',
      providerStatus: 'completed/success',
    });
    expect(triggered.url).toBe('https://github.com/octo-org/octo-repo/actions/runs/30433642');
    expect(triggered.ref).toEqual({
      provider: 'github',
      repo: REPO,
      runId: '30433642',
      workflow: '159038',
      origin: new URL(mockUrl('github')).origin,
    });
  });
});

describe('createGithub against the loopback server', () => {
  const server = useLoopbackServer();
  const github = (extra: Record<string, unknown> = {}) =>
    createGithub({ apiKey: TOKEN, baseUrl: server.url, retryDelayMs: 1, maxRetryDelayMs: 2, ...extra });

  it("sends GitHub's headers and the token, asks for the run's id, and reads the run (completed/success)", async () => {
    server.script(DISPATCH, { status: 200, body: { workflow_run_id: 7, run_url: 'x', html_url: 'y' } });
    server.script(runRoute(7), json(run(7, 'completed', 'success')));
    const done = await github().triggerJob(request);
    expect(done).toMatchObject({ id: '7', status: 'succeeded', providerStatus: 'completed/success' });
    const [sent] = server.requests(DISPATCH);
    expect(JSON.parse(sent?.body ?? '')).toEqual({
      ref: 'main',
      inputs: { version: '1.2.3' },
      return_run_details: true,
    });
    expect(sent?.headers).toMatchObject({
      authorization: `Bearer ${TOKEN}`,
      accept: expect.stringMatching(/^application\/vnd\.github\+json/),
      'x-github-api-version': '2022-11-28',
      'user-agent': expect.stringContaining('anyjob'),
    });
  });

  it('reads the token from GITHUB_TOKEN, else GH_TOKEN', async () => {
    for (const env of [{ GITHUB_TOKEN: 'ghp_first', GH_TOKEN: 'ghp_second' }, { GH_TOKEN: 'ghp_second' }]) {
      server.reset();
      server.script(runRoute(7), json(run(7, 'queued')));
      await createGithub({ baseUrl: server.url, env }).getJobRun({
        provider: 'github',
        repo: REPO,
        runId: '7',
      });
      expect(server.requests()[0]?.headers.authorization).toBe(`Bearer ${env.GITHUB_TOKEN ?? env.GH_TOKEN}`);
    }
  });

  it('a dispatch answered 204 (no run id) ends in TriggerUnconfirmedError with the listed runs as candidates', async () => {
    server.script(DISPATCH, { status: 204 });
    server.script(LIST, json(`{"total_count":1,"workflow_runs":[${run(8, 'queued')}]}`));
    const error = await github()
      .triggerJob(request)
      .catch((e: unknown) => e);
    expect(TriggerUnconfirmedError.isInstance(error)).toBe(true);
    const unconfirmed = error as TriggerUnconfirmedError;
    expect(unconfirmed.reconciliation.outcome).toBe('unproven');
    expect(unconfirmed.candidates.map((c) => (c as { id: string }).id)).toEqual(['8']);
    expect(server.count(DISPATCH)).toBe(1);
    const query = server.requests(LIST)[0]?.query;
    expect(query?.get('event')).toBe('workflow_dispatch');
    expect(query?.get('branch')).toBe('main');
    expect(query?.get('created')).toMatch(/^>=\d{4}-\d\d-\d\dT/);
  }, 15_000);

  it('a prepared dispatch has no proof: a lost answer ends unconfirmed with candidates, and a takeover never dispatches', async () => {
    server.script(DISPATCH, { destroy: true });
    server.script(LIST, json(`{"total_count":1,"workflow_runs":[${run(8, 'queued')}]}`));
    const provider = github({ maxRetries: 0 });
    await expect(provider.prepareTrigger?.({ ...request, repo: 'octo-repo' })).rejects.toThrow(/owner\/name/);
    const prepared = await provider.prepareTrigger?.(request);
    expect(prepared).toEqual({ request, origin: new URL(server.url).origin });
    expect(server.count()).toBe(0);
    const stored = JSON.parse(JSON.stringify(prepared));
    const candidates = (error: unknown) => {
      expect(TriggerUnconfirmedError.isInstance(error), String(error)).toBe(true);
      return (error as TriggerUnconfirmedError).candidates.map((c) => (c as { id: string }).id);
    };
    expect(candidates(await provider.triggerPrepared?.(stored).catch((e: unknown) => e))).toEqual(['8']);
    // A worker taking over the stalled job looks for the run; it never sends the dispatch again.
    const window = { sentAt: Date.now(), endedAt: Date.now() };
    expect(candidates(await provider.findPreparedRun?.(stored, window).catch((e: unknown) => e))).toEqual([
      '8',
    ]);
    expect(server.count(DISPATCH)).toBe(1);
  }, 15_000);

  it('a server refusing return_run_details (422 naming it) gets the dispatch again without it, then candidates', async () => {
    server.script(DISPATCH, [
      { status: 422, body: { message: 'Invalid request.\n\n"return_run_details" is not a permitted key.' } },
      { status: 204 },
    ]);
    server.script(LIST, json('{"total_count":0,"workflow_runs":[]}'));
    const error = await github()
      .triggerJob(request)
      .catch((e: unknown) => e);
    expect((error as TriggerUnconfirmedError).reconciliation?.outcome).toBe('not-found');
    const bodies = server.requests(DISPATCH).map((r) => JSON.parse(r.body));
    expect(bodies.map((b) => b.return_run_details)).toEqual([true, undefined]);
  }, 15_000);

  it('any other 422 is the error, the dispatch sent once', async () => {
    server.script(DISPATCH, {
      status: 422,
      body: { message: "Workflow does not have 'workflow_dispatch' trigger" },
    });
    await expect(github().triggerJob(request)).rejects.toBeInstanceOf(UnprocessableEntityError);
    expect(server.count(DISPATCH)).toBe(1);
  });

  it('a repo that is not owner/name is refused before any request, naming the field', async () => {
    for (const repo of ['octo-repo', 'https://github.com/o/r', 'o/r/x', 'o/r.git']) {
      const error = await github()
        .triggerJob({ ...request, repo })
        .catch((e: unknown) => e);
      expect(InvalidRequestError.isInstance(error)).toBe(true);
      expect((error as InvalidRequestError).issues[0]?.path).toBe('repo');
    }
    await expect(
      github().listRunPage({ provider: 'github', repo: 'nope', workflow: 'x' }, undefined),
    ).rejects.toThrow(/owner\/name/);
    expect(server.count()).toBe(0);
  });

  it('a read answered with another run (or an id rounded past 2^53) is a ResponseValidationError', async () => {
    server.script(runRoute('9007199254740993'), json(run('9007199254740992', 'queued')));
    const error = await github()
      .getJobRun({ provider: 'github', repo: REPO, runId: '9007199254740993' })
      .catch((e: unknown) => e);
    expect(ResponseValidationError.isInstance(error)).toBe(true);
    expect((error as ResponseValidationError).issues[0]?.path).toBe('response.id');
  });

  it('keeps an int64 run id beyond 2^53 exactly', async () => {
    const id = '9007199254740993';
    server.script(runRoute(id), json(run(id, 'in_progress')));
    const read = await github().getJobRun({ provider: 'github', repo: REPO, runId: id });
    expect(read).toMatchObject({ id, status: 'running', providerStatus: 'in_progress', ref: { runId: id } });
  });

  it.each([
    ['completed', 'failure', 'failed'],
    ['completed', 'cancelled', 'canceled'],
    ['completed', 'timed_out', 'timed_out'],
    ['completed', 'startup_failure', 'failed'],
    ['completed', null, 'unknown'],
    ['waiting', null, 'queued'],
  ])('%s/%s is %s', async (status, conclusion, expected) => {
    server.script(runRoute(9), json(run(9, status, conclusion)));
    const read = await github().getJobRun({ provider: 'github', repo: REPO, runId: '9' });
    expect(read.status).toBe(expected);
    expect(read.providerStatus).toBe(conclusion ? `${status}/${conclusion}` : status);
  });

  it('lists a page of at most 100 with the filters, then follows the Link header to the same origin only', async () => {
    server.script(LIST, [
      {
        headers: {
          'content-type': 'application/json',
          link: `<https://elsewhere.example/x?status=failure&per_page=100&page=2>; rel="next"`,
        },
        body: `{"total_count":2,"workflow_runs":[${run('9007199254740995', 'completed', 'failure')}]}`,
      },
      json(`{"total_count":2,"workflow_runs":[${run(1, 'completed', 'failure')}]}`),
    ]);
    const query = {
      provider: 'github',
      repo: REPO,
      workflow: 'release.yml',
      status: 'failure',
      created: '>=2026-12-01',
      event: 'push',
      branch: 'main',
    } as const;
    const first = await github().listRunPage(query, undefined, { pageSize: 500 });
    const second = await github().listRunPage(query, first.next);
    // The first page's id is beyond 2^53: read exactly from the list too.
    expect([...first.runs, ...second.runs].map((r) => r.id)).toEqual(['9007199254740995', '1']);
    expect(second.next).toBeUndefined();
    const [one, two] = server.requests(LIST).map((r) => Object.fromEntries(r.query));
    expect(one).toEqual({
      status: 'failure',
      created: '>=2026-12-01',
      event: 'push',
      branch: 'main',
      per_page: '100',
    });
    expect(two).toMatchObject({ page: '2', per_page: '100', status: 'failure' });
  });

  it('cancelJob posts cancel, and `force` posts force-cancel; then reads the run', async () => {
    const cancel = `POST /repos/${REPO}/actions/runs/5/cancel`;
    const force = `POST /repos/${REPO}/actions/runs/5/force-cancel`;
    server.script(cancel, { status: 202, body: {} });
    server.script(force, { status: 202, body: {} });
    server.script(runRoute(5), json(run(5, 'in_progress')));
    const ref = { provider: 'github', repo: REPO, runId: '5' } as const;
    await github().cancelJob(ref);
    const options: GithubCancelOptions = { force: true };
    await github().cancelJob(ref, options);
    expect([server.count(cancel), server.count(force), server.count(runRoute(5))]).toEqual([1, 1, 2]);
  });

  it('a 403 with x-ratelimit-remaining: 0 is a RateLimitError, not a permission error', async () => {
    const reset = String(Math.floor(Date.now() / 1000) + 3600);
    server.script(runRoute(6), {
      status: 403,
      headers: { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': reset },
      body: { message: 'API rate limit exceeded' },
    });
    const error = await github()
      .getJobRun({ provider: 'github', repo: REPO, runId: '6' })
      .catch((e: unknown) => e);
    expect(RateLimitError.isInstance(error)).toBe(true);
    expect(JSON.stringify(error)).not.toContain(TOKEN);
  });
});
