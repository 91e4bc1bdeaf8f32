// Response size is bounded: a 200 MB body or a gzip bomb is refused at maxResponseBytes, on a
// poll, a trigger and an error answer. The error says how much was read: at most the limit plus
// one chunk; and the fake's count of bytes it sent (over HTTP: real sockets, undici's chunks)
// shows the connection was let go early.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFakeProviders, type FakeProviders, type FakeServer } from '../../testing/src/index.js';
import {
  type AnyJob,
  ApiError,
  createAnyJob,
  ResponseTooLargeError,
  TriggerUnconfirmedError,
} from '../src/index.js';

const LIMIT = 1024 * 1024;
/** The most one read can add past the limit (undici hands out at most 64 KiB per chunk). */
const CHUNK = 64 * 1024;
const HUGE = 200 * 1024 * 1024;

describe('maxResponseBytes', () => {
  let fake: FakeProviders;
  let server: FakeServer;
  let anyjob: AnyJob;
  const ref = { provider: 'truefoundry', applicationId: 'app1', jobRunName: 'app1-00001' } as const;
  beforeAll(async () => {
    fake = await createFakeProviders();
    server = await fake.listen();
    anyjob = createAnyJob({
      truefoundry: { apiKey: fake.apiKey('truefoundry'), baseUrl: server.baseUrls.truefoundry },
      maxResponseBytes: LIMIT,
      maxRetries: 0,
      env: {},
    });
  });
  afterAll(() => server?.close());

  function expectRefused(error: unknown, status: number) {
    expect(ResponseTooLargeError.isInstance(error), String(error)).toBe(true);
    const tooLarge = error as ResponseTooLargeError;
    expect(tooLarge).toMatchObject({ status, limitBytes: LIMIT });
    expect(tooLarge.bytesRead).toBeLessThanOrEqual(LIMIT + CHUNK);
    return tooLarge;
  }

  for (const [name, fault] of [
    ['a 200 MB body without Content-Length', { kind: 'huge-body', bytes: HUGE }],
    ['a gzip bomb', { kind: 'gzip-bomb', inflatedBytes: HUGE }],
  ] as const) {
    it(`a poll answered with ${name}`, async () => {
      await anyjob.triggerJob({ provider: 'truefoundry', applicationId: 'app1' });
      fake.fault('truefoundry', 'getJobRun', fault);
      const error = await anyjob.getJobRun(ref).catch((e: unknown) => e);
      const tooLarge = expectRefused(error, 200);
      const [answer] = fake.requests({ operation: 'getJobRun' }).filter((r) => r.fault === fault.kind);
      expect(answer?.bytesSent).toBeLessThan(HUGE / 4);
      expect(tooLarge.bytesRead).toBeGreaterThan(LIMIT);
    });

    // TrueFoundry's search proves nothing (another caller's run matches as well), so the run is
    // not returned: it is the candidate of the unconfirmed trigger.
    it(`a trigger answered with ${name}: the run is not lost, it is the candidate`, async () => {
      fake.fault('truefoundry', 'triggerJob', fault);
      const error = await anyjob
        .triggerJob({ provider: 'truefoundry', applicationId: `size-${fault.kind}` })
        .catch((e: unknown) => e);
      expect(TriggerUnconfirmedError.isInstance(error), String(error)).toBe(true);
      const { reconciliation, candidates } = error as TriggerUnconfirmedError;
      expect(reconciliation.outcome).toBe('unproven');
      expect(
        fake
          .runs('truefoundry')
          .filter((run) => run.job === `size-${fault.kind}`)
          .map((run) => run.id),
      ).toEqual(candidates.map((run) => run.id));
    });

    it(`an error answer with ${name}`, async () => {
      fake.fault('truefoundry', 'getJobRun', { ...fault, status: 503 });
      const error = await anyjob.getJobRun(ref).catch((e: unknown) => e);
      expectRefused(error, 503);
    });
  }

  it('a declared Content-Length over the limit is refused before a byte of the body is read', async () => {
    fake.fault('truefoundry', 'getJobRun', { kind: 'huge-body', bytes: HUGE, contentLength: true });
    const error = await anyjob.getJobRun(ref).catch((e: unknown) => e);
    expect(expectRefused(error, 200).bytesRead).toBe(0);
  });

  it('an error body over 64 KiB is kept as its first 64 KiB and a marker', async () => {
    fake.fault('truefoundry', 'getJobRun', { kind: '5xx', status: 500, message: 'x'.repeat(200 * 1024) });
    const error = await anyjob.getJobRun(ref).catch((e: unknown) => e);
    expect(ApiError.isInstance(error)).toBe(true);
    const body = (error as ApiError).body as string;
    expect(typeof body).toBe('string');
    expect(body.length).toBeLessThan(70 * 1024);
    expect(body).toMatch(/…\[truncated: \d+ bytes\]$/);
  });

  it('an unknown outcome is still reported as such when the search answers too much', async () => {
    fake.fault('truefoundry', 'triggerJob', { kind: '5xx', status: 502 });
    fake.fault('truefoundry', 'listJobRuns', { kind: 'huge-body', bytes: HUGE });
    const error = await anyjob
      .triggerJob({ provider: 'truefoundry', applicationId: 'size-search' })
      .catch((e: unknown) => e);
    expect(TriggerUnconfirmedError.isInstance(error)).toBe(true);
    expect((error as TriggerUnconfirmedError).reconciliation.outcome).toBe('failed');
    expect(
      ResponseTooLargeError.isInstance((error as TriggerUnconfirmedError).reconciliation.reconcileError),
    ).toBe(true);
  });
});
