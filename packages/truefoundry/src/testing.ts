// `@anyjob/truefoundry/testing`: the TrueFoundry half of the fake in @anyjob/testing — where the
// API lives, how a JobRun looks on the wire (the spec's `created` example of triggerJob, with ids,
// status and times filled in), the status spellings of JobRunStatus, offset pagination with the
// status filter, and termination (TERMINATION_REQUESTED, then TERMINATED). Loaded on first use by
// the descriptor's `testing.load`, never by the main entries.
import type { FakeAnswer, FakeRequestContext, FakeRunView, ProviderFake } from '@anyjob/core';
import { vJobRunStatusSchema } from './generated/valibot.gen.js';
import { TRUEFOUNDRY_RUN_PAGES as PAGES } from './provider.js';
import { truefoundryOperations } from './validation.js';

/** What the fake stores with each TrueFoundry run it creates. */
export interface TrueFoundryFakeRunFields {
  applicationId: string;
  deploymentId: string;
  command: string;
  alias: string | null;
}

type Context = FakeRequestContext<TrueFoundryFakeRunFields>;

const SORT_FIELDS = ['startTime', 'duration', 'deploymentVersion', 'triggeredBy', 'status'];
const TRIGGERED_BY = 'fake@anyjob.test';

/** The deployment of an application in the fake: `<applicationId>-dep` (and back). */
const deploymentOf = (applicationId: string) => `${applicationId}-dep`;
const applicationOf = (deploymentId: string) =>
  deploymentId.endsWith('-dep') ? deploymentId.slice(0, -4) : deploymentId;

function jobRun(run: FakeRunView<TrueFoundryFakeRunFields>) {
  const final = run.endedAt !== undefined;
  return {
    id: `tfr${run.seq.toString(36).padStart(21, '0')}`,
    name: run.id,
    applicationName: run.fields.applicationId,
    deploymentVersion: '1',
    createdAt: run.createdAt,
    endTime: final ? run.endedAt : null,
    duration:
      final && run.startedAt !== undefined ? Math.round(((run.endedAt ?? 0) - run.startedAt) / 1000) : null,
    command: run.fields.command,
    totalRetries: 0,
    error: run.status === 'failed' ? (run.error ?? 'Container exited with non-zero exit code: 1') : null,
    status: run.word,
    triggeredBy: TRIGGERED_BY,
    triggeredBySubject: {
      subjectId: 'fake-subject',
      subjectType: 'user',
      subjectSlug: TRIGGERED_BY,
      subjectDisplayName: 'Fake User',
    },
    exitCode: run.status === 'succeeded' ? 0 : run.status === 'failed' ? 1 : null,
    sparkUi: null,
    applicationId: run.fields.applicationId,
    deploymentId: run.fields.deploymentId,
    tenantName: 'fake',
  };
}

const last = (value: string | readonly string[] | undefined) =>
  typeof value === 'string' ? value : value?.at(-1);
const all = (context: Context, name: string): string[] => {
  const value = context.query[name] ?? context.query[`${name}[]`];
  return value === undefined ? [] : typeof value === 'string' ? [value] : [...value];
};

function trigger(context: Context): FakeAnswer {
  const body = (context.body ?? {}) as {
    applicationId?: string;
    deploymentId?: string;
    input?: { command?: string | string[]; params?: Record<string, unknown> } | null;
    metadata?: { job_run_name_alias?: string } | null;
  };
  const applicationId = body.applicationId ?? (body.deploymentId && applicationOf(body.deploymentId));
  if (!applicationId) return context.error(422, 'Either deploymentId or applicationId must be provided');
  const deploymentId = deploymentOf(applicationId);
  if (body.deploymentId && body.deploymentId !== deploymentId)
    return context.error(404, `Deployment not found for deploymentId ${body.deploymentId}`);
  const command = body.input?.command;
  const alias = body.metadata?.job_run_name_alias ?? null;
  const request: Record<string, unknown> = { applicationId, deploymentId };
  if (command !== undefined && command !== null) request.command = command;
  if (body.input?.params) request.params = body.input.params;
  if (alias !== null) request.alias = alias;
  const run = context.createRun({
    job: applicationId,
    request,
    fields: {
      applicationId,
      deploymentId,
      command: Array.isArray(command) ? command.join(' ') : (command ?? 'python main.py'),
      alias,
    },
    id: (seq) => `${applicationId}-${seq.toString(36).padStart(5, '0')}`,
  });
  return {
    status: 200,
    body: { message: 'Job triggered', jobRunName: run.id, data: jobRun(context.peek(run)) },
  };
}

function findRun(context: Context) {
  const run = context.run(context.path.jobRunName ?? '');
  return run && run.fields.applicationId === context.path.jobId ? run : undefined;
}

function getRun(context: Context): FakeAnswer {
  const run = findRun(context);
  if (!run) return context.error(404, `Job run ${context.path.jobRunName} not found`);
  return { status: 200, body: { data: jobRun(context.read(run)) } };
}

function terminate(context: Context): FakeAnswer {
  const deploymentId = last(context.query.deploymentId);
  const jobRunName = last(context.query.jobRunName);
  if (!deploymentId) return context.error(422, 'deploymentId should not be empty');
  if (!jobRunName) return context.error(422, 'jobRunName should not be empty');
  const run = context.run(jobRunName);
  if (!run || run.fields.deploymentId !== deploymentId)
    return context.error(404, `Job run ${jobRunName} not found`);
  if (!context.cancel(run)) {
    const { word } = context.peek(run);
    return context.error(417, `Job run ${jobRunName} is already in a terminal state (${word})`);
  }
  return {
    status: 200,
    body: { message: 'Job run termination requested', jobRunStatus: context.peek(run).word },
  };
}

function deleteRun(context: Context): FakeAnswer {
  const run = findRun(context);
  if (!run) return context.error(404, `Job run ${context.path.jobRunName} not found`);
  if (context.peek(run).endedAt === undefined)
    return context.error(409, `Job run ${run.id} is still running and cannot be deleted`);
  context.remove(run);
  return { status: 200, body: { message: `Job run ${run.id} deleted` } };
}

/** GET /jobs/{jobId}/runs: offset and limit (the contract's pages), newest first by default, filtered by status. */
function listRuns(context: Context): FakeAnswer {
  const limit = Number(last(context.query[PAGES.sizeParam]) ?? PAGES.defaultPageSize);
  const offset = Number(last(context.query[PAGES.offsetParam]) ?? 0);
  if (!Number.isInteger(limit) || limit < 1 || limit > PAGES.maxPageSize)
    return context.error(422, `limit must be an integer from 1 to ${PAGES.maxPageSize}`);
  if (!Number.isInteger(offset) || offset < 0) return context.error(422, 'offset must not be less than 0');
  const sortBy = last(context.query.sortBy) ?? 'startTime';
  const order = last(context.query.order) ?? 'desc';
  if (!SORT_FIELDS.includes(sortBy))
    return context.error(422, `sortBy must be one of: ${SORT_FIELDS.join(', ')}`);
  if (order !== 'asc' && order !== 'desc') return context.error(422, 'order must be one of: asc, desc');
  const statuses = all(context, 'status');
  const prefix = last(context.query.searchPrefix);
  // runsOf is newest first: the default order. Other sort keys are approximated by creation order.
  let runs = context.runsOf(context.path.jobId ?? '');
  if (statuses.length > 0) runs = runs.filter((run) => statuses.includes(context.peek(run).word));
  if (prefix) runs = runs.filter((run) => run.id.startsWith(prefix));
  if (order === 'asc') runs = [...runs].reverse();
  const page = runs.slice(offset, offset + limit);
  return {
    status: 200,
    body: {
      data: page.map((run) => jobRun(context.read(run))),
      pagination: { total: runs.length, offset, limit },
    },
  };
}

/** The TrueFoundry half of the fake in @anyjob/testing (the descriptor's `testing.load()` returns this module). */
export const fake: ProviderFake<TrueFoundryFakeRunFields> = {
  basePath: '',
  operations: truefoundryOperations,
  auth: { header: 'authorization', scheme: 'Bearer' },
  statusWords: vJobRunStatusSchema.options,
  cancelingWord: 'TERMINATION_REQUESTED',
  errorBody: (status, message) => ({ statusCode: status, message }),
  handlers: {
    triggerJob: trigger,
    getJobRun: getRun,
    listJobRuns: listRuns,
    terminateJobRun: terminate,
    deleteJobRun: deleteRun,
  },
};
