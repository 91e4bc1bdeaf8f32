// `@anyjob/github/testing`: the GitHub Actions half of the fake in @anyjob/testing — a dispatch
// answering the run's id (`return_run_details`) or 204, runs read and listed newest first with a
// `Link` header, cancel and force-cancel (409 once completed), the status words as
// `status/conclusion`, and the run object the spec requires. Loaded on first use only.
import type { FakeAnswer, FakeRequestContext, FakeRunView, ProviderFake } from '@anyjob/core';
import { GITHUB_CONTRACT } from './provider.js';
import { githubOperations } from './validation.js';

/** What the fake stores with each run it creates. */
export interface GithubFakeRunFields {
  repo: string;
  workflow: string;
  ref: string;
}

type Context = FakeRequestContext<GithubFakeRunFields>;

const last = (value: string | readonly string[] | undefined) =>
  typeof value === 'string' ? value : value?.at(-1);
const urls = (base: string, names: string) =>
  Object.fromEntries(names.split(' ').map((name) => [`${name}_url`, `${base}/${name.replaceAll('_', '/')}`]));

function repository(context: Context, fullName: string) {
  const [login, name] = fullName.split('/');
  const api = `${context.baseUrl}/repos/${fullName}`;
  const owner = {
    login,
    id: 1,
    node_id: 'O_1',
    gravatar_id: '',
    url: `${context.baseUrl}/users/${login}`,
    site_admin: false,
    type: 'Organization',
    ...urls(
      `https://github.com/${login}`,
      'avatar events followers following gists html organizations received_events repos starred subscriptions',
    ),
  };
  const repoUrls =
    'archive assignees blobs branches collaborators comments commits compare contents contributors deployments downloads events forks git_commits git_refs git_tags hooks issue_comment issue_events issues keys labels languages merges milestones notifications pulls releases stargazers statuses subscribers subscription tags teams trees';
  return {
    id: 1,
    node_id: 'R_1',
    name,
    full_name: fullName,
    owner,
    private: false,
    description: null,
    fork: false,
    url: api,
    ...urls(api, repoUrls),
    html_url: `https://github.com/${fullName}`,
  };
}

function run(context: Context, view: FakeRunView<GithubFakeRunFields>) {
  const [status, conclusion = null] = view.word.split('/');
  const { repo, workflow, ref } = view.fields;
  const api = `${context.baseUrl}/repos/${repo}/actions/runs/${view.id}`;
  const time = new Date(view.createdAt).toISOString().replace(/\.\d+Z$/, 'Z');
  return {
    id: Number(view.id),
    name: workflow,
    node_id: `WFR_${view.id}`,
    head_branch: ref,
    head_sha: 'acb5820ced9479c074f688cc328bf03f341a511d',
    path: `.github/workflows/${workflow}`,
    display_title: workflow,
    run_number: view.seq,
    event: 'workflow_dispatch',
    status,
    conclusion,
    workflow_id: workflowId(workflow),
    url: api,
    html_url: `https://github.com/${repo}/actions/runs/${view.id}`,
    created_at: time,
    updated_at: time,
    head_commit: null,
    head_repository: repository(context, repo),
    repository: repository(context, repo),
    pull_requests: [],
    ...urls(api, 'jobs logs check_suite cancel rerun artifacts'),
    workflow_url: `${context.baseUrl}/repos/${repo}/actions/workflows/${workflowId(workflow)}`,
  };
}

const repoOf = (context: Context) => `${context.path.owner}/${context.path.repo}`;
/** A workflow's id: its file name is hashed to one, so both address the same runs (as on GitHub). */
const workflowId = (workflow: string) =>
  /^\d+$/.test(workflow)
    ? Number(workflow)
    : [...workflow].reduce((h, c) => (h * 31 + c.charCodeAt(0)) % 999_983, 7);
const jobOf = (context: Context) => `${repoOf(context)}/${workflowId(context.path.workflow_id ?? '')}`;

function dispatch(context: Context): FakeAnswer {
  const body = (context.body ?? {}) as {
    ref?: string;
    inputs?: Record<string, unknown>;
    return_run_details?: boolean;
  };
  if (typeof body.ref !== 'string' || body.ref === '')
    return context.error(422, 'Invalid request: ref is required');
  const repo = repoOf(context);
  const workflow = context.path.workflow_id ?? '';
  const created = context.createRun({
    job: jobOf(context),
    request: { repo, workflow, ref: body.ref, ...(body.inputs ? { inputs: body.inputs } : {}) },
    fields: { repo, workflow, ref: body.ref },
    id: (seq) => String(12845603216 + seq),
  });
  if (!body.return_run_details) return { status: 204 };
  const { url, html_url } = run(context, context.peek(created));
  return { status: 200, body: { workflow_run_id: Number(created.id), run_url: url, html_url } };
}

function getRun(context: Context): FakeAnswer {
  const found = context.run(context.path.run_id ?? '');
  if (!found || found.fields.repo !== repoOf(context)) return context.error(404, 'Not Found');
  return { status: 200, body: run(context, context.read(found)) };
}

/** Newest first, `page`/`per_page`, and the next page's URL in `Link` as GitHub sends it. */
function listRuns(context: Context): FakeAnswer {
  const { sizeParam, maxPageSize } = GITHUB_CONTRACT.pagination;
  const perPage = Number(last(context.query[sizeParam]) ?? 30);
  const page = Number(last(context.query.page) ?? 1);
  const inRange = (n: number, max: number) => Number.isInteger(n) && n >= 1 && n <= max;
  if (!inRange(perPage, maxPageSize) || !inRange(page, Number.POSITIVE_INFINITY))
    return context.error(422, 'Invalid per_page or page');
  const status = last(context.query.status);
  const all = context
    .runsOf(jobOf(context))
    .map((handle) => run(context, context.read(handle)))
    .filter((item) => status === undefined || item.status === status || item.conclusion === status);
  const headers: Record<string, string> = {};
  if (page * perPage < all.length) {
    const next = new URL(
      `${context.baseUrl}/repos/${repoOf(context)}/actions/workflows/${context.path.workflow_id}/runs`,
    );
    for (const [key, value] of Object.entries(context.query)) next.searchParams.set(key, String(last(value)));
    next.searchParams.set('page', String(page + 1));
    headers.link = `<${next.href}>; rel="next"`;
  }
  const items = all.slice((page - 1) * perPage, page * perPage);
  return { status: 200, headers, body: { total_count: all.length, workflow_runs: items } };
}

const cancel = (context: Context): FakeAnswer => {
  const found = context.run(context.path.run_id ?? '');
  if (!found) return context.error(404, 'Not Found');
  if (!context.cancel(found)) return context.error(409, 'Cannot cancel a workflow run that is completed.');
  return { status: 202, body: {} };
};

/** The GitHub half of the fake in @anyjob/testing (the descriptor's `testing.load()` returns this module). */
export const fake: ProviderFake<GithubFakeRunFields> = {
  basePath: '',
  operations: githubOperations,
  auth: { header: 'authorization', scheme: 'Bearer' },
  statusWords: [
    'queued',
    'in_progress',
    'completed/success',
    'completed/failure',
    'completed/cancelled',
    'completed/timed_out',
  ],
  errorBody: (status, message) => ({
    message,
    documentation_url: 'https://docs.github.com/rest',
    status: String(status),
  }),
  handlers: {
    createWorkflowDispatch: dispatch,
    getWorkflowRun: getRun,
    listWorkflowRuns: listRuns,
    cancelWorkflowRun: cancel,
    forceCancelWorkflowRun: cancel,
  },
};
