// confirmTrigger after an unknown outcome, against a scripted search: a run is returned only when
// the search proves it is this trigger's; candidates (matches on time, job, command) are only ever
// listed on the error, however few, and the rounds after a timeout go on looking for proof.
import { describe, expect, it } from 'vitest';
import { AbortError, ConnectionError, TimeoutError, TriggerUnconfirmedError } from '../errors/index.js';
import type { JobRun } from './provider.js';
import { confirmTrigger, type RunMatches } from './reconcile.js';

type Ref = { provider: 'test'; runId: string };
const runOf = (id: string): JobRun<Ref> => ({
  provider: 'test',
  id,
  status: 'queued',
  ref: { provider: 'test', runId: id },
  raw: {},
});
const MINE = runOf('mine');
const THEIRS = runOf('theirs');
const timeout = () => new TimeoutError('timed out', { provider: 'test', operation: 'trigger', timeoutMs: 1 });
const reset = () =>
  new ConnectionError('reset', { provider: 'test', operation: 'trigger', beforeSend: false });

/** A trigger whose answer is lost (`cause`), searched round after round with these answers. */
function lostTrigger(cause: () => Error, rounds: (RunMatches<Ref> | Error)[]) {
  let searches = 0;
  const call = confirmTrigger<Ref>({
    provider: 'test',
    operation: 'trigger',
    request: {},
    hint: 'Look it up.',
    searchDelaysMs: [1, 1],
    send: async () => {
      throw cause();
    },
    search: {
      describe: () => 'the test runs',
      find: async () => {
        const round = rounds[Math.min(searches++, rounds.length - 1)];
        if (round instanceof Error) throw round;
        return round;
      },
    },
  });
  return { call, searches: () => searches };
}

async function unconfirmed(call: Promise<unknown>): Promise<TriggerUnconfirmedError> {
  const error = await call.catch((e: unknown) => e);
  expect(TriggerUnconfirmedError.isInstance(error), String(error)).toBe(true);
  return error as TriggerUnconfirmedError;
}

describe('confirmTrigger', () => {
  it('returns the one proven run, even beside candidates', async () => {
    const { call, searches } = lostTrigger(reset, [{ proven: [MINE], candidates: [THEIRS] }]);
    await expect(call).resolves.toBe(MINE);
    expect(searches()).toBe(1);
  });

  it('never returns a lone candidate: it is listed on the error (unproven)', async () => {
    const { call, searches } = lostTrigger(reset, [{ proven: [], candidates: [THEIRS] }]);
    const error = await unconfirmed(call);
    expect(error.reconciliation.outcome).toBe('unproven');
    expect(error.candidates).toEqual([THEIRS]);
    expect(error.message).toContain('1 run matches, but nothing proves this trigger started it');
    // After an answer (not a timeout) one search says it all.
    expect(searches()).toBe(1);
  });

  it('after a timeout, keeps searching for proof while only candidates show up', async () => {
    const { call, searches } = lostTrigger(timeout, [
      { proven: [], candidates: [THEIRS] },
      { proven: [MINE], candidates: [THEIRS] },
    ]);
    await expect(call).resolves.toBe(MINE);
    expect(searches()).toBe(2);
  });

  it('after a timeout, ends the rounds with the last candidates when no proof shows up', async () => {
    const { call, searches } = lostTrigger(timeout, [
      { proven: [], candidates: [] },
      { proven: [], candidates: [THEIRS] },
      { proven: [], candidates: [THEIRS, MINE] },
    ]);
    const error = await unconfirmed(call);
    expect(error.reconciliation.outcome).toBe('unproven');
    expect(error.candidates).toEqual([THEIRS, MINE]);
    expect(searches()).toBe(3);
  });

  it('several proven runs are ambiguous: they are the candidates', async () => {
    const other = runOf('mine-again');
    const { call } = lostTrigger(reset, [{ proven: [MINE, other], candidates: [THEIRS] }]);
    const error = await unconfirmed(call);
    expect(error.reconciliation.outcome).toBe('ambiguous');
    expect(error.candidates).toEqual([MINE, other]);
  });

  it('a search that fails after a round with candidates keeps them on the error', async () => {
    const { call } = lostTrigger(timeout, [{ proven: [], candidates: [THEIRS] }, new Error('list broke')]);
    const error = await unconfirmed(call);
    expect(error.reconciliation.outcome).toBe('failed');
    expect(error.candidates).toEqual([THEIRS]);
  });

  it('after an abort, a proven run is the candidate (found), not the result', async () => {
    const { call } = lostTrigger(() => new AbortError(undefined), [{ proven: [MINE], candidates: [THEIRS] }]);
    const error = await unconfirmed(call);
    expect(error.reconciliation.outcome).toBe('found');
    expect(error.candidates).toEqual([MINE]);
  });

  it('after an abort, candidates alone are unproven', async () => {
    const { call } = lostTrigger(() => new AbortError(undefined), [{ proven: [], candidates: [THEIRS] }]);
    const error = await unconfirmed(call);
    expect(error.reconciliation.outcome).toBe('unproven');
    expect(error.candidates).toEqual([THEIRS]);
  });
});
