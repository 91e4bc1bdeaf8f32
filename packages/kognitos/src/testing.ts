// `@anyjob/kognitos/testing`: the Kognitos half of the fake in @anyjob/testing — where the API
// lives (`/v2`), how a Run looks on the wire (the spec's `succeeded` example of getRun, with ids,
// status and time filled in), the RunStatus spellings the spec lists, runs listed newest first
// with a continuation token and the stage filter, and processes. The REST API v2 has no cancel
// endpoint, so neither has the fake. Loaded on first use, never by the main entries.
import type { FakeAnswer, FakeRequestContext, FakeRunView, ProviderFake } from '@anyjob/core';
import { vStageSchema } from './generated/valibot.gen.js';
import { KOGNITOS_PAGES as PAGES } from './provider.js';
import { kognitosOperations } from './validation.js';

/** What the fake stores with each Kognitos run it creates. */
export interface KognitosFakeRunFields {
  agentId: string;
  processId: string;
  name: string;
  stage: string;
  fileIds: string[] | null;
}

type Context = FakeRequestContext<KognitosFakeRunFields>;

const STAGES: readonly string[] = vStageSchema.options;
const RESOURCE_ID = /^[a-zA-Z0-9-_]{1,26}$/;

const last = (value: string | readonly string[] | undefined) =>
  typeof value === 'string' ? value : value?.at(-1);

function run(view: FakeRunView<KognitosFakeRunFields>) {
  const outputs =
    view.status === 'succeeded' && view.outputs
      ? Object.entries(view.outputs).map(([name, value]) => ({ name, value }))
      : null;
  return {
    id: view.id,
    name: view.fields.name,
    agent_id: view.fields.agentId,
    process_id: view.fields.processId,
    stage: view.fields.stage,
    status: view.word,
    // The spec's examples: seconds, no zone.
    created_at: new Date(view.createdAt).toISOString().slice(0, 19),
    file_ids: view.fields.fileIds,
    outputs,
  };
}

const invalid = (context: Context, field: string, message: string): FakeAnswer => {
  const answer = context.error(400, 'Invalid input values');
  return {
    ...answer,
    body: { ...(answer.body as object), details: [{ loc: field.split('.'), msg: message }] },
  };
};

function startRun(context: Context): FakeAnswer {
  const body = (context.body ?? {}) as {
    agent_id?: string;
    process_id?: string;
    name?: string;
    stage?: string;
    inputs?: { name: string; value: unknown }[] | null;
    file_ids?: string[] | null;
  };
  for (const field of ['agent_id', 'process_id'] as const) {
    if (typeof body[field] !== 'string' || !RESOURCE_ID.test(body[field]))
      return invalid(context, `body.${field}`, 'must be 1 to 26 characters of [a-zA-Z0-9-_]');
  }
  if (typeof body.name !== 'string' || body.name.length < 1 || body.name.length > 100)
    return invalid(context, 'body.name', 'must be a string of 1 to 100 characters');
  if (!STAGES.includes(body.stage ?? '')) return invalid(context, 'body.stage', 'must be Draft or Published');
  const agentId = body.agent_id as string;
  const processId = body.process_id as string;
  const request: Record<string, unknown> = { agentId, processId, name: body.name, stage: body.stage };
  if (body.inputs) request.inputs = Object.fromEntries(body.inputs.map((i) => [i.name, i.value]));
  if (body.file_ids) request.fileIds = body.file_ids;
  const created = context.createRun({
    job: `${agentId}/${processId}`,
    request,
    fields: {
      agentId,
      processId,
      name: body.name,
      stage: body.stage as string,
      fileIds: body.file_ids ?? null,
    },
    id: (seq) => `kr${seq.toString(36).padStart(23, '0')}`,
  });
  return { status: 201, body: run(context.peek(created)) };
}

function getRun(context: Context): FakeAnswer {
  const found = context.run(context.path.run_id ?? '');
  if (!found) return context.error(404, 'Run not found');
  return { status: 200, body: run(context.read(found)) };
}

/** The page size asked for (the contract's default and maximum), or the 400 naming it. */
function limitOf(context: Context): number | FakeAnswer {
  const limit = Number(last(context.query[PAGES.sizeParam]) ?? PAGES.defaultPageSize);
  if (Number.isInteger(limit) && limit >= 1 && limit <= PAGES.maxPageSize) return limit;
  return invalid(context, 'query.limit', `limit must be an integer from 1 to ${PAGES.maxPageSize}`);
}

/**
 * GET /runs: newest first. The token names the last run returned (its sequence number), so runs
 * created while a client pages do not shift the pages it has not read yet.
 */
function listRuns(context: Context): FakeAnswer {
  const agentId = last(context.query.agent_id);
  const processId = last(context.query.process_id);
  const stage = last(context.query.stage);
  if (!agentId || !RESOURCE_ID.test(agentId))
    return invalid(context, 'query.agent_id', 'required resource id');
  if (!processId || !RESOURCE_ID.test(processId))
    return invalid(context, 'query.process_id', 'required resource id');
  if (stage !== undefined && !STAGES.includes(stage))
    return invalid(context, 'query.stage', 'must be Draft or Published');
  const limit = limitOf(context);
  if (typeof limit !== 'number') return limit;
  let before = Number.POSITIVE_INFINITY;
  const token = last(context.query[PAGES.tokenParam]);
  if (token !== undefined) {
    before = Number.parseInt(token.replace(/^seq-/, ''), 36);
    if (!token.startsWith('seq-') || !Number.isInteger(before))
      return invalid(context, 'query.continuation_token', 'invalid continuation token');
  }
  const matching = context
    .runsOf(`${agentId}/${processId}`)
    .filter(
      (candidate) => candidate.seq < before && (stage === undefined || candidate.fields.stage === stage),
    );
  const page = matching.slice(0, limit);
  const more = matching.length > page.length;
  return {
    status: 200,
    body: {
      items: page.map((item) => run(context.read(item))),
      continuation_token: more ? `seq-${(page.at(-1)?.seq ?? 0).toString(36)}` : null,
    },
  };
}

/** The processes the fake knows: those that have runs. */
function processesOf(context: Context, agentId: string): string[] {
  const ids = new Set<string>();
  for (let seq = 1; ; seq++) {
    const found = context.run(`kr${seq.toString(36).padStart(23, '0')}`);
    if (!found) break;
    if (found.fields.agentId === agentId) ids.add(found.fields.processId);
  }
  return [...ids];
}

function listProcesses(context: Context): FakeAnswer {
  const agentId = last(context.query.agent_id);
  if (!agentId || !RESOURCE_ID.test(agentId))
    return invalid(context, 'query.agent_id', 'required resource id');
  const limit = limitOf(context);
  if (typeof limit !== 'number') return limit;
  const token = last(context.query.continuation_token);
  const offset = token === undefined ? 0 : Number.parseInt(token.replace(/^offset-/, ''), 10);
  if (!Number.isInteger(offset) || offset < 0)
    return invalid(context, 'query.continuation_token', 'invalid continuation token');
  const ids = processesOf(context, agentId);
  const page = ids.slice(offset, offset + limit);
  const next = offset + page.length;
  return {
    status: 200,
    body: {
      items: page.map((id) => ({ id, name: `Process ${id}` })),
      continuation_token: next < ids.length ? `offset-${next}` : null,
    },
  };
}

function getProcess(context: Context): FakeAnswer {
  const processId = context.path.process_id ?? '';
  return { status: 200, body: { id: processId, name: `Process ${processId}` } };
}

/** The Kognitos half of the fake in @anyjob/testing (the descriptor's `testing.load()` returns this module). */
export const fake: ProviderFake<KognitosFakeRunFields> = {
  basePath: '/v2',
  operations: kognitosOperations,
  auth: { header: 'x-api-key' },
  statusWords: ['Created', 'Pending', 'Running', 'Succeeded', 'Failed', 'Cancelled', 'TimedOut'],
  errorBody: (status, message) => ({ message, status_code: status }),
  handlers: {
    getHealth: () => ({ status: 200, body: { status: 'OK' } }),
    listProcesses,
    getProcess,
    startRun,
    getRun,
    listRuns,
  },
};
