// "Never starts a job twice, and never loses one": each provider's trigger through every fault,
// judged from the emulator's own records. 0 duplicates: no trigger request is sent twice after it
// may have reached the provider, and no fault leaves two runs. 0 lost: every run the emulator
// created is either the run triggerJob returned or a candidate of its TriggerUnconfirmedError.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Emulator, type Fault, startEmulator } from '../../../scripts/lib/provider-emulator.mjs';
import { type Step, useLoopbackServer } from '../../../scripts/test-harness/loopback-server.js';
import {
  type AnyJob,
  createAnyJob,
  type JobRun,
  RedirectError,
  type TriggerRequest,
  TriggerUnconfirmedError,
} from '../src/index.js';

interface FaultCase {
  name: string;
  fault?: Fault;
  /** Per-call options for the trigger (e.g. a short timeout). */
  call?: { timeoutMs?: number; abortAfterMs?: number };
  /** What the caller gets: the run, an unconfirmed trigger, or another error. */
  outcome: 'run' | 'unconfirmed' | 'redirect';
  /** Whether the fault leaves a run behind on the provider. */
  creates: boolean;
}

const FAULTS: FaultCase[] = [
  { name: 'no fault', outcome: 'run', creates: true },
  {
    name: '429 then success (retried: nothing started)',
    fault: { type: 'status', status: 429, retryAfter: 0 },
    outcome: 'run',
    creates: true,
  },
  {
    name: 'slow answer within the timeout',
    fault: { type: 'delay', ms: 150 },
    outcome: 'run',
    creates: true,
  },
  {
    name: 'timeout after the run was created',
    fault: { type: 'timeout', sideEffect: true },
    call: { timeoutMs: 300 },
    outcome: 'run',
    creates: true,
  },
  {
    name: 'timeout, no run created',
    fault: { type: 'timeout' },
    call: { timeoutMs: 300 },
    outcome: 'unconfirmed',
    creates: false,
  },
  { name: 'reset after the run was created', fault: { type: 'reset-after' }, outcome: 'run', creates: true },
  { name: 'reset before handling', fault: { type: 'reset-before' }, outcome: 'unconfirmed', creates: false },
  {
    name: '500 after creating the run',
    fault: { type: 'status', status: 500, sideEffect: true },
    outcome: 'run',
    creates: true,
  },
  {
    name: '502 without a run',
    fault: { type: 'status', status: 502 },
    outcome: 'unconfirmed',
    creates: false,
  },
  {
    name: '503 after creating the run',
    fault: { type: 'status', status: 503, sideEffect: true },
    outcome: 'run',
    creates: true,
  },
  { name: '200 with its body cut off', fault: { type: 'cut-body' }, outcome: 'run', creates: true },
  {
    name: '200 with a body that is not JSON',
    fault: { type: 'invalid-json' },
    outcome: 'run',
    creates: true,
  },
  {
    name: '200 with a body over maxResponseBytes',
    fault: { type: 'huge-body', bytes: 2 * 1024 * 1024 },
    outcome: 'run',
    creates: true,
  },
  {
    name: '200 with a gzip bomb',
    fault: { type: 'gzip-bomb', inflatedBytes: 64 * 1024 * 1024 },
    outcome: 'run',
    creates: true,
  },
  {
    name: 'the caller aborts while the trigger is in flight',
    fault: { type: 'delay', ms: 2_000 },
    call: { abortAfterMs: 200 },
    outcome: 'unconfirmed',
    creates: true,
  },
  {
    name: 'a redirect to another origin',
    fault: { type: 'redirect', status: 307, location: 'http://127.0.0.1:9/elsewhere' },
    outcome: 'redirect',
    creates: false,
  },
];

const PROVIDERS = [
  {
    provider: 'truefoundry' as const,
    route: 'truefoundry.triggerJob' as const,
    request: (job: string): TriggerRequest => ({ provider: 'truefoundry', applicationId: job }),
    job: (job: string) => job,
  },
  {
    provider: 'kognitos' as const,
    route: 'kognitos.startRun' as const,
    request: (job: string): TriggerRequest => ({ provider: 'kognitos', agentId: 'agent1', processId: job }),
    job: (job: string) => `agent1/${job}`,
  },
];

describe('fault matrix: 0 duplicate runs, 0 lost runs', () => {
  let emulator: Emulator;
  let anyjob: AnyJob;
  beforeAll(async () => {
    emulator = await startEmulator({ timeScale: 1, queueMs: 60_000 });
    anyjob = createAnyJob({
      truefoundry: { apiKey: emulator.keys.truefoundry, baseUrl: emulator.urls.truefoundry },
      kognitos: { apiKey: emulator.keys.kognitos, baseUrl: emulator.urls.kognitos },
      maxResponseBytes: 1024 * 1024,
      retryDelayMs: 1,
      env: {},
    });
  });
  afterAll(() => emulator?.close());

  for (const target of PROVIDERS) {
    FAULTS.forEach((c, index) => {
      it(`${target.provider}: ${c.name}`, async () => {
        const job = `fault-${index}`;
        if (c.fault) emulator.setFault(target.route, c.fault);
        const controller = new AbortController();
        const timer = c.call?.abortAfterMs
          ? setTimeout(() => controller.abort(), c.call.abortAfterMs)
          : undefined;
        const result = await anyjob
          .triggerJob(target.request(job), {
            ...(c.call?.timeoutMs ? { timeoutMs: c.call.timeoutMs } : {}),
            signal: controller.signal,
          })
          .then(
            (run) => ({ run: run as JobRun }),
            (error: unknown) => ({ error }),
          );
        clearTimeout(timer);
        emulator.clearFaults(target.route);

        const created = emulator.runs({ provider: target.provider, job: target.job(job) });
        const triggers = emulator.requests(target.route).filter((request) => request.body.includes(job));
        // 0 duplicates: one run at most, and the trigger was repeated only after a 429.
        expect(created.length).toBe(c.creates ? 1 : 0);
        expect(triggers.length).toBe(c.fault?.type === 'status' && c.fault.status === 429 ? 2 : 1);

        // 0 lost: the run created is the one returned, or a candidate of the error.
        const returned = 'run' in result ? [result.run.id] : [];
        const candidates = TriggerUnconfirmedError.isInstance((result as { error?: unknown }).error)
          ? (result as { error: TriggerUnconfirmedError }).error.candidates.map((run) => run.id)
          : [];
        const ids = (run: (typeof created)[number]) =>
          target.provider === 'truefoundry' ? run.name : run.id;
        for (const run of created) expect([...returned, ...candidates]).toContain(ids(run));

        if (c.outcome === 'run')
          expect('run' in result, String((result as { error?: unknown }).error)).toBe(true);
        if (c.outcome === 'unconfirmed') {
          const error = (result as { error: unknown }).error;
          expect(TriggerUnconfirmedError.isInstance(error), String(error)).toBe(true);
          expect((error as TriggerUnconfirmedError).reconciliation.outcome).toBe(
            c.creates ? 'found' : 'not-found',
          );
          expect((error as Error).message).toMatch(/may have started/);
        }
        if (c.outcome === 'redirect')
          expect(RedirectError.isInstance((result as { error: unknown }).error)).toBe(true);
      }, 20_000);
    });
  }
});

// Runchat answers synchronously and has no run list, so a trigger with an unknown outcome cannot
// be reconciled: it is never repeated, and the error says the job may have run (the documented
// limit of the "never lose a run" promise for Runchat).
describe('fault matrix, Runchat: never repeated, and the error says the job may have run', () => {
  const server = useLoopbackServer();
  const ROUTE = 'GET /api/v1/job/job1';
  const runchatFaults: [string, Step, { timeoutMs?: number }?][] = [
    ['500', { status: 500, body: { error: 'boom' } }],
    ['reset after the request', { destroy: true }],
    ['timeout', { delayMs: 5_000, body: {} }, { timeoutMs: 300 }],
    ['a body that is not JSON', { headers: { 'content-type': 'application/json' }, body: '<html>' }],
  ];
  for (const [name, step, call] of runchatFaults) {
    it(name, async () => {
      server.script(ROUTE, step);
      const error = await createAnyJob({
        runchat: { apiKey: 'rc_test_key_123', baseUrl: `${server.url}/api/v1` },
        env: {},
      })
        .triggerJob({ provider: 'runchat', jobId: 'job1' }, call ?? {})
        .catch((e: unknown) => e);
      expect(TriggerUnconfirmedError.isInstance(error), String(error)).toBe(true);
      expect((error as TriggerUnconfirmedError).reconciliation.outcome).toBe('unsupported');
      expect((error as Error).message).toMatch(/may have run on Runchat/);
      expect(server.count(ROUTE)).toBe(1);
    });
  }
});
