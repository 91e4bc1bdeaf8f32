import { describe, expect, it } from 'vitest';
import { ResponseValidationError, TriggerUnconfirmedError } from '../errors/index.js';
import type { JobRun } from './provider.js';
import type { RunMatches } from './reconcile.js';
import { runFromTriggerAnswer, type TriggerAnswer, type TriggerAnswerReader } from './trigger-answer.js';

const BIG = '9007199254740993';

type Ref = { provider: 'acme' };

function run(id: string): JobRun<Ref> {
  return { provider: 'acme', id, status: 'queued', ref: { provider: 'acme' }, raw: {} };
}

function answer(
  status: number,
  text: string | undefined,
  headers: Record<string, string> = {},
): TriggerAnswer {
  return {
    status,
    text,
    body: text === undefined ? undefined : JSON.parse(text),
    headers: new Headers(headers),
    url: 'https://api.acme.test/v1/jobs/7/run',
  };
}

function reader(overrides: Partial<TriggerAnswerReader<Ref>> = {}) {
  const calls: string[] = [];
  const base: TriggerAnswerReader<Ref> = {
    provider: 'acme',
    operation: 'triggerJob',
    request: { jobId: 7 },
    hint: 'look at job 7',
    origin: 'https://api.acme.test',
    sentAt: Date.now(),
    searchDelaysMs: [0],
    toRun: (raw) => run(String((raw as { id: string }).id)),
    getById: async (id) => {
      calls.push(`get ${id}`);
      return run(id);
    },
    getByLocation: async (url) => {
      calls.push(`get ${url.href}`);
      return run(url.pathname.split('/').at(-1) as string);
    },
    ...overrides,
  };
  return { reader: base, calls };
}

describe('runFromTriggerAnswer', () => {
  it('run: reads the run from the answer, or from a field of it', async () => {
    const { reader: r, calls } = reader();
    expect((await runFromTriggerAnswer({ kind: 'run' }, answer(200, '{"id":"r1"}'), r)).id).toBe('r1');
    expect(
      (await runFromTriggerAnswer({ kind: 'run', field: 'run' }, answer(201, '{"run":{"id":"r2"}}'), r)).id,
    ).toBe('r2');
    expect(calls).toEqual([]);
  });

  it('id: one get by the id, an int64 beyond 2^53 read exactly from the text', async () => {
    const { reader: r, calls } = reader();
    const got = await runFromTriggerAnswer(
      { kind: 'id', field: 'run_id' },
      answer(200, `{"run_id":${BIG},"number_in_job":${BIG}}`),
      r,
    );
    expect(got.id).toBe(BIG);
    expect(calls).toEqual([`get ${BIG}`]);
  });

  it('id: an answer without the id is a ResponseValidationError naming the field', async () => {
    const { reader: r, calls } = reader();
    const error = await runFromTriggerAnswer(
      { kind: 'id', field: 'run_id' },
      answer(200, '{"number_in_job":1}'),
      r,
    ).catch((e: unknown) => e);
    expect(ResponseValidationError.isInstance(error)).toBe(true);
    expect((error as Error).message).toContain('response.run_id');
    expect(calls).toEqual([]);
  });

  it('location: one get of the Location, resolved against the request URL', async () => {
    const { reader: r, calls } = reader();
    const got = await runFromTriggerAnswer(
      { kind: 'location' },
      answer(202, undefined, { location: '/v1/runs/r9' }),
      r,
    );
    expect(got.id).toBe('r9');
    expect(calls).toEqual(['get https://api.acme.test/v1/runs/r9']);
  });

  it('location: another origin is refused and never read (the key goes only where configured)', async () => {
    const { reader: r, calls } = reader();
    const error = await runFromTriggerAnswer(
      { kind: 'location' },
      answer(201, undefined, { location: 'https://evil.test/v1/runs/r9' }),
      r,
    ).catch((e: unknown) => e);
    expect(ResponseValidationError.isInstance(error)).toBe(true);
    expect(calls).toEqual([]);
  });

  it('nothing (204, even where an id is declared): the run carrying proof, after looking again', async () => {
    const rounds: RunMatches<Ref>[] = [
      { proven: [], candidates: [run('other')] },
      { proven: [run('mine')], candidates: [run('other')] },
    ];
    const { reader: r } = reader({
      search: { describe: () => 'runs of job 7 with marker m1', find: async () => rounds.shift() as never },
    });
    const got = await runFromTriggerAnswer(
      { kind: 'id', field: 'workflow_run_id' },
      answer(204, undefined),
      r,
    );
    expect(got.id).toBe('mine');
    expect(rounds).toEqual([]);
  });

  it('nothing, and only candidates: TriggerUnconfirmedError with them, never a guessed run', async () => {
    const { reader: r } = reader({
      search: {
        describe: () => 'runs of job 7',
        find: async () => ({ proven: [], candidates: [run('c1'), run('c2')] }),
      },
    });
    const error = await runFromTriggerAnswer({ kind: 'none' }, answer(204, undefined), r).catch(
      (e: unknown) => e,
    );
    expect(TriggerUnconfirmedError.isInstance(error)).toBe(true);
    const unconfirmed = error as TriggerUnconfirmedError;
    expect(unconfirmed.reconciliation).toMatchObject({ outcome: 'unproven', searched: 'runs of job 7' });
    expect(unconfirmed.candidates.map((c) => c.id)).toEqual(['c1', 'c2']);
  });

  it('nothing, and no way to search: TriggerUnconfirmedError (unsupported)', async () => {
    const { reader: r } = reader();
    const error = await runFromTriggerAnswer({ kind: 'none' }, answer(204, undefined), r).catch(
      (e: unknown) => e,
    );
    expect((error as TriggerUnconfirmedError).reconciliation?.outcome).toBe('unsupported');
  });
});
