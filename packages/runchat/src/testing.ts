// `@anyjob/runchat/testing`: the Runchat half of the fake in @anyjob/testing. Runchat runs are
// synchronous: the trigger answers when the run is done, so the fake settles the run's script at
// once and answers the final run (an agent job's `messages` with `status` success or error; a
// flow's `data` parameters). There is nothing to poll, list or cancel. Loaded on first use, never
// by the main entries.
import type { FakeAnswer, FakeRequestContext, FakeRunView, ProviderFake } from '@anyjob/core';
import { runchatOperations } from './validation.js';

/** What the fake stores with each Runchat run it creates. */
export interface RunchatFakeRunFields {
  kind: 'job' | 'flow';
  instanceId: string;
}

type Context = FakeRequestContext<RunchatFakeRunFields>;

function jobAnswer(view: FakeRunView<RunchatFakeRunFields>, jobId: string) {
  const failed = view.status !== 'succeeded';
  const body: Record<string, unknown> = {
    messages: [
      {
        role: 'assistant',
        content: failed ? 'The job did not finish.' : JSON.stringify(view.outputs ?? { result: 'ok' }),
      },
    ],
    job_id: jobId,
    runchat_id: view.fields.instanceId,
    status: view.word,
  };
  if (failed) body.error = view.error ?? 'The job failed';
  return body;
}

function triggerJob(context: Context): FakeAnswer {
  const jobId = context.path.runchat_job_id ?? '';
  const request: Record<string, unknown> = { jobId };
  const body = context.body as Record<string, unknown> | undefined;
  if (typeof body?.message === 'string') request.message = body.message;
  else if (body !== undefined) request.payload = body;
  const run = context.createRun({
    job: jobId,
    request,
    fields: { kind: 'job', instanceId: `inst-${jobId}` },
    id: (seq) => `${jobId}-${seq}`,
  });
  return { status: 200, body: jobAnswer(context.settle(run), jobId) };
}

function runFlow(context: Context): FakeAnswer {
  const flowId = context.path.runchat_id ?? '';
  const body = (context.body ?? {}) as { inputs?: Record<string, unknown>; runchat_instance_id?: string };
  const request: Record<string, unknown> = { flowId };
  if (body.inputs) request.inputs = body.inputs;
  if (body.runchat_instance_id) request.instanceId = body.runchat_instance_id;
  const run = context.createRun({
    job: flowId,
    request,
    fields: { kind: 'flow', instanceId: body.runchat_instance_id ?? `inst-${flowId}` },
    id: (seq) => `${flowId}-${seq}`,
  });
  const view = context.settle(run);
  // A flow has no status field: a failed flow run is an error answer.
  if (view.status !== 'succeeded') return context.error(500, view.error ?? 'The flow failed');
  return {
    status: 200,
    body: {
      runchat_instance_id: view.fields.instanceId,
      data: Object.entries(view.outputs ?? {}).map(([id, value]) => ({
        id,
        label: id,
        type: 'string',
        description: '',
        data: Array.isArray(value) ? value : [value],
      })),
    },
  };
}

/** The Runchat half of the fake in @anyjob/testing (the descriptor's `testing.load()` returns this module). */
export const fake: ProviderFake<RunchatFakeRunFields> = {
  basePath: '/api/v1',
  operations: runchatOperations,
  auth: { header: 'authorization', scheme: 'Bearer' },
  // The agent job's `status` words (AgentJobResponse.status).
  statusWords: ['success', 'error'],
  errorBody: (_status, message) => ({ error: message }),
  handlers: {
    triggerJob,
    triggerAgentJobWithMessage: triggerJob,
    runFlow,
  },
};
