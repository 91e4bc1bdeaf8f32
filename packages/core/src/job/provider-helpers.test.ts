// Small helpers the provider implementations share: refs built from optional values, the trigger
// methods of a provider whose trigger carries no proof, and int64 ids written exactly in a body.
import { describe, expect, it, vi } from 'vitest';
import { definedFields } from './defined-fields.js';
import { integerBody } from './integer-body.js';
import type { ConfirmedTrigger } from './reconcile.js';
import { unprovenTriggers } from './unproven-triggers.js';

describe('definedFields', () => {
  it('leaves out undefined fields, keeps null and empty ones unless isSet refuses them', () => {
    expect(definedFields({ a: 'x', b: undefined, c: null, d: '' })).toStrictEqual({ a: 'x', c: null, d: '' });
    expect(definedFields({ a: 'x', b: undefined, c: null, d: '' }, Boolean)).toStrictEqual({ a: 'x' });
  });
});

describe('unprovenTriggers', () => {
  type Request = { provider: 'acme'; jobId: string };
  const sent = vi.fn(async () => ({
    provider: 'acme',
    id: 'r1',
    status: 'queued' as const,
    ref: { provider: 'acme' },
  }));
  const trigger = (request: Request): ConfirmedTrigger<{ provider: string }> => {
    if (request.jobId === '') throw new TypeError('`jobId` must be non-empty.');
    return {
      provider: 'acme',
      operation: 'triggerJob',
      request: { jobId: request.jobId },
      hint: '',
      send: sent,
    } as never;
  };
  const methods = unprovenTriggers(trigger, () => 'https://acme.test');

  it('prepareTrigger checks the request and sends nothing; the prepared request keeps no proof', () => {
    expect(() => methods.prepareTrigger({ provider: 'acme', jobId: '' })).toThrow('`jobId`');
    expect(methods.prepareTrigger({ provider: 'acme', jobId: 'j1' })).toEqual({
      request: { provider: 'acme', jobId: 'j1' },
      origin: 'https://acme.test',
    });
    expect(sent).not.toHaveBeenCalled();
  });

  it('triggerJob and preparedTrigger send the same trigger', async () => {
    await expect(methods.triggerJob({ provider: 'acme', jobId: 'j1' })).resolves.toMatchObject({ id: 'r1' });
    expect(methods.preparedTrigger({ request: { provider: 'acme', jobId: 'j2' } }).request).toEqual({
      jobId: 'j2',
    });
    expect(sent).toHaveBeenCalledTimes(1);
  });
});

describe('integerBody', () => {
  it('writes the id field as a bare integer with every digit, the rest as JSON', () => {
    expect(integerBody('run_id')({ run_id: '9007199254740993', note: 'a' })).toBe(
      '{"run_id":9007199254740993,"note":"a"}',
    );
  });

  it('refuses an id that is not digits, naming the body field', () => {
    expect(() => integerBody('run_id')({ run_id: '12a' })).toThrow('`body.run_id`');
  });
});
