import { describe, expect, it } from 'vitest';
import type { JobRefBase } from '../job/provider.js';
import {
  AnyJobError,
  ApiError,
  AuthenticationError,
  BadRequestError,
  ConfigError,
  InternalServerError,
  JobFailedError,
  NotFoundError,
  RateLimitError,
  UnprocessableEntityError,
} from './index.js';

describe('errors', () => {
  it('ApiError.generate picks the class for the status, with a message naming provider and operation', () => {
    const cases: [number, { isInstance(e: unknown): boolean }][] = [
      [400, BadRequestError],
      [401, AuthenticationError],
      [404, NotFoundError],
      [422, UnprocessableEntityError],
      [429, RateLimitError],
      [503, InternalServerError],
    ];
    for (const [status, ErrorClass] of cases) {
      const error = ApiError.generate({
        provider: 'acme',
        operation: 'getJob',
        status,
        body: { message: 'said' },
      });
      expect(ErrorClass.isInstance(error)).toBe(true);
      expect(error.message).toBe(`acme getJob failed with HTTP ${status}: said`);
    }
    const teapot = ApiError.generate({ provider: 'acme', operation: 'x', status: 418 });
    expect(teapot.name).toBe('ApiError');
    expect(NotFoundError.isInstance(teapot)).toBe(false);
  });

  it('isInstance works unbound, through subclasses, across copies (by marker), and not on lookalikes', () => {
    const error = ApiError.generate({ provider: 'p', operation: 'o', status: 404 });
    expect([error, new Error('x')].filter(NotFoundError.isInstance)).toEqual([error]);
    expect(ApiError.isInstance(error) && AnyJobError.isInstance(error)).toBe(true);
    expect(ConfigError.isInstance(error)).toBe(false);
    expect(NotFoundError.isInstance({ name: 'NotFoundError', status: 404 })).toBe(false);
    expect(error.name).toBe('NotFoundError');
    expect(JSON.stringify(error)).not.toContain('anyjob.error');
  });

  it('a wait error carries the whole run, ref included, typed so without a cast', () => {
    const ref = { provider: 'acme', id: 'run-1', origin: 'https://acme.example' };
    const run = { provider: 'acme', id: 'run-1', status: 'failed' as const, ref, raw: {} };
    const caught: unknown = new JobFailedError(run);
    if (!(caught instanceof JobFailedError)) throw new Error('not a JobFailedError');
    // Type-checked by `pnpm typecheck`: `run.ref` exists on the narrowed error's default type.
    const stored: JobRefBase = caught.run.ref;
    expect(stored).toEqual(ref);
    expect(caught.message).toBe('acme run run-1 is failed');
  });
});
