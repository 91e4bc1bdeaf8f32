import { describe, expect, it } from 'vitest';
import { cliFlags, cliFlagsFrom } from './cli-flags.js';

describe('cliFlags', () => {
  it('fills kind, field and placeholder from the name and kind', () => {
    expect(
      cliFlags({
        'idempotency-key': 'sent as the token',
        'file-id': { kind: 'list', field: 'fileIds', help: 'a file' },
        'job-id': { kind: 'integer', help: 'the job' },
        limit: { kind: 'number', help: 'at most' },
        input: { kind: 'pairs', json: true, help: 'an input' },
        params: { kind: 'pairs', help: 'parameters' },
        payload: { kind: 'json', help: 'the body' },
        'active-only': { kind: 'boolean', help: 'only active runs' },
      }),
    ).toEqual([
      {
        name: 'idempotency-key',
        kind: 'string',
        field: 'idempotencyKey',
        value: '<text>',
        help: 'sent as the token',
      },
      { name: 'file-id', kind: 'list', field: 'fileIds', value: '<id>', help: 'a file' },
      { name: 'job-id', kind: 'integer', field: 'jobId', value: '<id>', help: 'the job' },
      { name: 'limit', kind: 'number', field: 'limit', value: '<n>', help: 'at most' },
      { name: 'input', kind: 'pairs', field: 'inputs', json: true, value: 'key=value', help: 'an input' },
      { name: 'params', kind: 'pairs', field: 'params', value: 'key=value', help: 'parameters' },
      { name: 'payload', kind: 'json', field: 'payload', value: '<json | @file | ->', help: 'the body' },
      { name: 'active-only', kind: 'boolean', field: 'activeOnly', help: 'only active runs' },
    ]);
  });

  it('keeps what an entry gives, and a setting flag fills no field', () => {
    const [stage, region] = cliFlags({
      stage: { field: 'stageName', value: 'Draft|Published', required: true, help: 'the stage' },
      region: { setting: 'region', value: 'us|eu', help: 'the region' },
    });
    expect(stage).toEqual({
      name: 'stage',
      kind: 'string',
      field: 'stageName',
      value: 'Draft|Published',
      required: true,
      help: 'the stage',
    });
    expect(region).toEqual({
      name: 'region',
      kind: 'string',
      setting: 'region',
      value: 'us|eu',
      help: 'the region',
    });
  });
});

describe('cliFlagsFrom', () => {
  const base = cliFlags({
    agent: { field: 'agentId', help: 'the agent' },
    stage: { value: 'A|B', help: 'the stage' },
  });

  it('starts an entry named like a base flag from it, and changes only what the entry gives', () => {
    expect(
      cliFlagsFrom(base, { agent: { required: true }, stage: 'only runs of this stage', since: 'a date' }),
    ).toEqual([
      { name: 'agent', kind: 'string', field: 'agentId', value: '<id>', help: 'the agent', required: true },
      { name: 'stage', kind: 'string', field: 'stage', value: 'A|B', help: 'only runs of this stage' },
      { name: 'since', kind: 'string', field: 'since', value: '<text>', help: 'a date' },
    ]);
  });

  it('inherits nothing for an entry of another kind', () => {
    expect(cliFlagsFrom(base, { stage: { kind: 'boolean', help: 'staged runs only' } })).toEqual([
      { name: 'stage', kind: 'boolean', field: 'stage', help: 'staged runs only' },
    ]);
  });
});
