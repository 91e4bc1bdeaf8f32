import { describe, expect, it } from 'vitest';
import { type MappedStatusSpec, readRunStatus, type StatusSpec, statusSpecIssues } from './run-status.js';
import type { JobStatus } from './status.js';

// Two fields, as a workflow run's `status` + `conclusion`.
const twoFields: StatusSpec = {
  fields: ['status', 'conclusion'],
  table: {
    queued: 'queued',
    'in_progress/*': 'running',
    'completed/success': 'succeeded',
    'completed/cancelled': 'canceled',
    'completed/*': 'failed',
  },
};

// A nested object with a fallback: `status.state` + `status.termination_details.code`, else the
// deprecated `state.life_cycle_state`.
const nested: MappedStatusSpec = {
  fields: ['status.state', 'status.termination_details.code'],
  map: ([state, code]) => {
    if (state === 'terminated')
      return code === 'success' ? 'succeeded' : code === 'canceled' ? 'canceled' : 'failed';
    return state === 'running' ? 'running' : state === 'queued' ? 'queued' : 'unknown';
  },
  table: {
    queued: 'queued',
    running: 'running',
    'terminated/success': 'succeeded',
    'terminated/canceled': 'canceled',
    'terminated/internal_error': 'failed',
  },
};

describe('readRunStatus', () => {
  it('reads one field through its table, like mapStatus', () => {
    const spec: StatusSpec = { field: 'state', table: { done: 'succeeded' } };
    expect(readRunStatus(spec, { state: 'DONE' })).toEqual({ status: 'succeeded', providerStatus: 'DONE' });
    expect(readRunStatus(spec, { state: 'new' })).toEqual({ status: 'unknown', providerStatus: 'new' });
    expect(readRunStatus(spec, {})).toEqual({ status: 'unknown', providerStatus: undefined });
  });

  it('keys several fields by their combination, the most specific key first', () => {
    const read = (run: unknown) => readRunStatus(twoFields, run);
    expect(read({ status: 'completed', conclusion: 'failure' })).toEqual({
      status: 'failed',
      providerStatus: 'completed/failure',
    });
    expect(read({ status: 'completed', conclusion: 'success' }).status).toBe('succeeded');
    expect(read({ status: 'COMPLETED', conclusion: 'Cancelled' }).status).toBe('canceled');
    // `*` matches an absent word; a shorter key leaves the rest as `*`.
    expect(read({ status: 'in_progress', conclusion: null })).toEqual({
      status: 'running',
      providerStatus: 'in_progress',
    });
    expect(read({ status: 'queued', conclusion: 'neutral' }).status).toBe('queued');
    expect(read({ status: 'waiting' }).status).toBe('unknown');
    expect(read({ conclusion: 'success' })).toEqual({ status: 'unknown', providerStatus: '/success' });
  });

  it('prefers an exact word on the left over one on the right', () => {
    const spec: StatusSpec = { fields: ['a', 'b'], table: { 'x/*': 'running', '*/y': 'failed' } };
    expect(readRunStatus(spec, { a: 'x', b: 'y' }).status).toBe('running');
    expect(readRunStatus(spec, { a: 'z', b: 'y' }).status).toBe('failed');
  });

  it('never finds Object.prototype properties', () => {
    expect(readRunStatus(twoFields, { status: 'constructor' }).status).toBe('unknown');
    expect(readRunStatus(twoFields, { status: { toString: 1 } }).status).toBe('unknown');
  });

  it('reads nested fields for a function, and shows every word', () => {
    const run = { status: { state: 'TERMINATED', termination_details: { code: 'INTERNAL_ERROR' } } };
    expect(readRunStatus(nested, run)).toEqual({
      status: 'failed',
      providerStatus: 'TERMINATED/INTERNAL_ERROR',
    });
    expect(readRunStatus(nested, { status: { state: 'RUNNING' } })).toEqual({
      status: 'running',
      providerStatus: 'RUNNING',
    });
  });
});

describe('statusSpecIssues', () => {
  const documented = {
    status: ['queued', 'in_progress', 'completed'],
    conclusion: ['success', 'failure', 'cancelled'],
  };

  it('finds nothing when every documented word is covered', () => {
    expect(statusSpecIssues(twoFields, documented)).toEqual([]);
  });

  it('names a documented word no key covers, and a key word the spec does not document', () => {
    const spec: StatusSpec = {
      fields: ['status', 'conclusion'],
      table: { queued: 'queued', 'completed/success': 'succeeded', 'completed/timed_out': 'timed_out' },
    };
    expect(statusSpecIssues(spec, documented)).toEqual([
      { path: 'status', message: 'words in no table key: in_progress' },
      { path: 'conclusion', message: 'words in no table key: failure, cancelled' },
      { path: 'conclusion', message: 'table words the spec does not document: timed_out' },
    ]);
  });

  it('checks one field against its words, and a field the spec documents nothing for', () => {
    const spec: StatusSpec = { field: 'state', table: { done: 'succeeded' } };
    expect(statusSpecIssues(spec, { state: ['DONE', 'RUNNING'] })).toEqual([
      { path: 'state', message: 'words in no table key: running' },
    ]);
    expect(statusSpecIssues(spec, {})).toEqual([
      { path: 'state', message: 'the spec documents no words for this field' },
    ]);
  });

  it('checks a function against the table of what it understands', () => {
    const words = {
      'status.state': ['QUEUED', 'RUNNING', 'TERMINATED'],
      'status.termination_details.code': ['SUCCESS', 'CANCELED', 'INTERNAL_ERROR'],
    };
    expect(statusSpecIssues(nested, words)).toEqual([]);
    const wrong: MappedStatusSpec = {
      ...nested,
      map: (w) => (w[0] === 'terminated' ? 'failed' : nested.map(w)),
    };
    expect(statusSpecIssues(wrong, words).map((issue) => issue.path)).toEqual([
      'terminated/success',
      'terminated/canceled',
    ]);
  });

  it('flags a key with more words than fields', () => {
    const spec: StatusSpec = { fields: ['status'], table: { 'queued/x': 'queued' as JobStatus } };
    expect(statusSpecIssues(spec, { status: ['queued'] })).toContainEqual({
      path: 'queued/x',
      message: 'has 2 words for 1 field(s)',
    });
  });
});
