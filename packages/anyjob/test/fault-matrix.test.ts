// "Never starts a job twice, and never loses one": each provider's trigger through every fault,
// judged from the records of @anyjob/testing's fake, over its in-process fetch and over HTTP
// (listen(): real sockets, resets and cut bodies). 0 duplicates: no trigger request is sent twice
// after it may have reached the provider, and no fault leaves two runs. 0 lost: every run the fake
// created is either the run triggerJob returned or a candidate of its TriggerUnconfirmedError.
// Never someone else's: a run is returned only when the search proves it is this trigger's (a
// random marker only this call sent); another caller's run of the same job, created 5 s earlier or
// concurrently, is at most a candidate.
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  createFakeProviders,
  type FakeFault,
  type FakeProviders,
  type FakeServer,
} from '../../testing/src/index.js';
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
  fault?: FakeFault;
  /** Per-call options for the trigger (e.g. a short timeout). */
  call?: { timeoutMs?: number; abortAfterMs?: number };
  /**
   * What the caller gets: the run from the trigger's answer; a run whose answer was lost, which
   * only a search can tell (`recovered`); an unconfirmed trigger; or another error.
   */
  outcome: 'run' | 'recovered' | 'unconfirmed' | 'redirect';
  /** Whether the fault leaves a run behind on the provider. */
  creates: boolean;
  /** A fault of the connection itself: run over HTTP (real sockets) too. */
  socket?: boolean;
}

const FAULTS: FaultCase[] = [
  { name: 'no fault', outcome: 'run', creates: true },
  {
    name: '429 then success (retried: nothing started)',
    fault: { kind: '429', retryAfterSeconds: 0 },
    outcome: 'run',
    creates: true,
  },
  {
    name: 'slow answer within the timeout',
    fault: { kind: 'slow-headers', ms: 150, afterCreate: true },
    outcome: 'run',
    creates: true,
  },
  {
    name: 'timeout after the run was created',
    fault: { kind: 'hang', afterCreate: true },
    call: { timeoutMs: 300 },
    outcome: 'recovered',
    creates: true,
    socket: true,
  },
  {
    name: 'timeout, no run created',
    fault: { kind: 'hang' },
    call: { timeoutMs: 300 },
    outcome: 'unconfirmed',
    creates: false,
  },
  {
    name: 'reset after the run was created',
    fault: { kind: 'reset', afterCreate: true },
    outcome: 'recovered',
    creates: true,
    socket: true,
  },
  {
    name: 'reset before handling',
    fault: { kind: 'reset' },
    outcome: 'unconfirmed',
    creates: false,
    socket: true,
  },
  {
    name: '500 after creating the run',
    fault: { kind: '5xx', status: 500, afterCreate: true },
    outcome: 'recovered',
    creates: true,
  },
  {
    name: '502 without a run',
    fault: { kind: '5xx', status: 502 },
    outcome: 'unconfirmed',
    creates: false,
  },
  {
    name: '503 after creating the run',
    fault: { kind: '5xx', status: 503, afterCreate: true },
    outcome: 'recovered',
    creates: true,
  },
  {
    name: '200 with its body cut off',
    fault: { kind: 'cut-body' },
    outcome: 'recovered',
    creates: true,
    socket: true,
  },
  {
    name: '200 with a body that is not JSON',
    fault: { kind: 'invalid-json' },
    outcome: 'recovered',
    creates: true,
  },
  {
    name: '200 with a body over maxResponseBytes',
    fault: { kind: 'huge-body', bytes: 2 * 1024 * 1024 },
    outcome: 'recovered',
    creates: true,
    socket: true,
  },
  {
    name: '200 with a gzip bomb',
    fault: { kind: 'gzip-bomb', inflatedBytes: 64 * 1024 * 1024 },
    outcome: 'recovered',
    creates: true,
    socket: true,
  },
  {
    name: 'the caller aborts while the trigger is in flight',
    fault: { kind: 'slow-headers', ms: 2_000, afterCreate: true },
    call: { abortAfterMs: 200 },
    outcome: 'unconfirmed',
    creates: true,
  },
  {
    name: 'a redirect to another origin',
    fault: { kind: 'redirect', status: 307, location: 'http://127.0.0.1:9/elsewhere' },
    outcome: 'redirect',
    creates: false,
    socket: true,
  },
];

interface Target {
  name: string;
  /** Short, for job ids (a Kognitos process id is at most 26 characters). */
  key: string;
  provider: 'truefoundry' | 'kognitos';
  /** The trigger's operation in the provider's spec. */
  operation: 'triggerJob' | 'startRun';
  /** The trigger; `tag` (distinct per call, in its body) tells the calls apart in the ledger. */
  request: (job: string, tag?: string) => TriggerRequest;
  job: (job: string) => string;
  /** Whether the search can prove a run is this trigger's (a recovered run is returned). */
  proves: boolean;
}

const TARGETS: Target[] = [
  {
    // Matches on application, creation time and command: what every trigger of the job sends.
    name: 'truefoundry',
    key: 'tf',
    provider: 'truefoundry',
    operation: 'triggerJob',
    request: (job, tag) => ({ provider: 'truefoundry', applicationId: job, ...(tag ? { alias: tag } : {}) }),
    job: (job) => job,
    proves: false,
  },
  {
    // The default run name carries a random marker: a run with it is proof.
    name: 'kognitos',
    key: 'kg',
    provider: 'kognitos',
    operation: 'startRun',
    request: (job, tag) => ({
      provider: 'kognitos',
      agentId: 'agent1',
      processId: job,
      ...(tag ? { inputs: { call: tag } } : {}),
    }),
    job: (job) => `agent1/${job}`,
    proves: true,
  },
  {
    // A run name the caller chose (a cron's, a batch's) may be another call's too: no proof.
    name: 'kognitos, caller-chosen run name',
    key: 'kgn',
    provider: 'kognitos',
    operation: 'startRun',
    request: (job, tag) => ({
      provider: 'kognitos',
      agentId: 'agent1',
      processId: job,
      name: 'nightly import',
      ...(tag ? { inputs: { call: tag } } : {}),
    }),
    job: (job) => `agent1/${job}`,
    proves: false,
  },
];

/** What triggerJob ends in: a run, a redirect, or TriggerUnconfirmedError with this outcome. */
function expected(target: Target, c: FaultCase, neighbour: boolean): string {
  if (c.outcome === 'run' || c.outcome === 'redirect') return c.outcome;
  if (c.outcome === 'recovered') return target.proves ? 'run' : 'unproven';
  if (c.creates) return target.proves ? 'found' : 'unproven';
  // Nothing created: another caller's run of the job matches unless the search needs proof.
  return neighbour && !target.proves ? 'unproven' : 'not-found';
}

type Result = { run: JobRun } | { error: unknown };

function settle(call: Promise<JobRun>): Promise<Result> {
  return call.then(
    (run) => ({ run }),
    (error: unknown) => ({ error }),
  );
}

const unconfirmedOf = (result: Result) =>
  'error' in result && TriggerUnconfirmedError.isInstance(result.error) ? result.error : undefined;

// The whole matrix runs on the in-process fetch (what a user's tests use); over HTTP, the faults of
// the connection itself (resets, cut and oversized bodies, redirects, a lost answer) run once more
// on real sockets. The unconfirmed cases wait out the search's rounds (1 s, 3 s): the whole matrix
// twice would double a minute of test time for no new finding.
const TRANSPORTS = ['in-process fetch', 'HTTP'] as const;

describe.each(TRANSPORTS)(
  "fault matrix over the fake's %s: 0 duplicate runs, 0 lost runs, never another caller's run",
  (transport) => {
    let fake: FakeProviders;
    let server: FakeServer | undefined;
    let anyjob: AnyJob;
    /** Another caller of the same jobs: a colleague, a cron, another worker of a batch. */
    let colleague: AnyJob;
    beforeAll(async () => {
      // Runs stay queued for a minute: the faults, not the runs' ends, decide each outcome.
      fake = await createFakeProviders({
        script: [{ status: 'queued', ms: 60_000 }, { status: 'succeeded' }],
      });
      server = transport === 'HTTP' ? await fake.listen() : undefined;
      const provider = (name: string) => ({
        apiKey: fake.apiKey(name),
        baseUrl: server?.baseUrls[name] ?? fake.baseUrl(name),
      });
      const settings = {
        truefoundry: provider('truefoundry'),
        kognitos: provider('kognitos'),
        ...(server ? {} : { fetch: fake.fetch }),
        maxResponseBytes: 1024 * 1024,
        retryDelayMs: 1,
        env: {},
      };
      anyjob = createAnyJob(settings);
      colleague = createAnyJob(settings);
    });
    afterAll(() => server?.close());
    // Each case's own runs, requests and faults (a crowd may leave faults no call met).
    beforeEach(() => fake.reset());

    /** The colleague's run of the job, created 5 s before now (an ordinary trigger, on a clock 5 s behind). */
    async function neighbourRun(target: Target, job: string): Promise<string> {
      const now = Date.now.bind(Date);
      const behind = vi.spyOn(Date, 'now').mockImplementation(() => now() - 5_000);
      try {
        return (await colleague.triggerJob(target.request(job))).id;
      } finally {
        behind.mockRestore();
      }
    }

    const runsOf = (target: Target, job: string) =>
      fake.runs(target.provider).filter((run) => run.job === target.job(job));
    const triggersOf = (target: Target) =>
      fake.requests({ provider: target.provider, operation: target.operation });

    const full = transport === 'in-process fetch';
    for (const target of TARGETS) {
      for (const neighbour of full ? [false, true] : [false]) {
        FAULTS.forEach((c, index) => {
          if (!full && !c.socket) return;
          const when = neighbour ? ', another caller ran the job 5 s before' : '';
          it(`${target.name}: ${c.name}${when}`, async () => {
            const job = `${target.key}-${neighbour ? 'n' : 'f'}${index}`;
            const theirs = neighbour ? await neighbourRun(target, job) : undefined;
            const before = triggersOf(target).length;
            if (c.fault) fake.fault(target.provider, target.operation, c.fault);
            const controller = new AbortController();
            const timer = c.call?.abortAfterMs
              ? setTimeout(() => controller.abort(), c.call.abortAfterMs)
              : undefined;
            const result = await settle(
              anyjob.triggerJob(target.request(job), {
                ...(c.call?.timeoutMs ? { timeoutMs: c.call.timeoutMs } : {}),
                signal: controller.signal,
              }),
            );
            clearTimeout(timer);

            const triggers = triggersOf(target)
              .slice(before)
              .filter((request) => request.body.includes(`"${job}"`));
            const created = runsOf(target, job).filter((run) => run.id !== theirs);
            // 0 duplicates: one run at most, and the trigger was repeated only after a 429.
            expect(created.length).toBe(c.creates ? 1 : 0);
            expect(triggers.length).toBe(c.fault?.kind === '429' ? 2 : 1);

            // 0 lost: the run created is the one returned, or a candidate of the error.
            const returned = 'run' in result ? [result.run.id] : [];
            const candidates = unconfirmedOf(result)?.candidates.map((run) => run.id) ?? [];
            for (const run of created) expect([...returned, ...candidates]).toContain(run.id);
            // Never someone else's: a returned run is the one this trigger created.
            if ('run' in result) expect(result.run.id).toBe(created.map((run) => run.id)[0]);

            const outcome = expected(target, c, neighbour);
            if (outcome === 'run')
              expect('run' in result, String((result as { error?: unknown }).error)).toBe(true);
            else if (outcome === 'redirect')
              expect(RedirectError.isInstance((result as { error: unknown }).error)).toBe(true);
            else {
              const error = unconfirmedOf(result);
              expect(error, String((result as { error?: unknown }).error)).toBeDefined();
              expect(error?.reconciliation.outcome).toBe(outcome);
              expect(error?.message).toMatch(/may have started/);
              // The colleague's run is a candidate only where the search cannot tell runs apart.
              if (theirs) expect(candidates.includes(theirs)).toBe(!target.proves);
            }
          }, 20_000);
        });
      }
    }

    // 20 triggers of one job at once, each through a fault drawn from a seeded generator (the same
    // faults every run; which call meets which depends on arrival order, so the checks hold for any).
    const SEED = 17;
    const CONCURRENT = 20;
    const MIXED: FakeFault[] = [
      { kind: 'slow-headers', ms: 0, afterCreate: true },
      { kind: '429', retryAfterSeconds: 0 },
      { kind: 'hang' },
      { kind: 'hang', afterCreate: true },
      { kind: 'reset' },
      { kind: 'reset', afterCreate: true },
      { kind: '5xx', status: 500, afterCreate: true },
      { kind: '5xx', status: 502 },
      { kind: '5xx', status: 503, afterCreate: true },
      { kind: 'cut-body' },
      { kind: 'invalid-json' },
    ];
    function seededFaults(seed: number, n: number): FakeFault[] {
      // mulberry32: small and reproducible.
      let a = seed >>> 0;
      const random = () => {
        a = (a + 0x6d2b79f5) >>> 0;
        let t = Math.imul(a ^ (a >>> 15), 1 | a);
        t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
        return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
      };
      return Array.from({ length: n }, () => MIXED[Math.floor(random() * MIXED.length)] as FakeFault);
    }

    for (const target of full ? TARGETS : []) {
      it(`${target.name}: ${CONCURRENT} concurrent triggers of one job with random faults (seed ${SEED})`, async () => {
        const job = `${target.key}-crowd`;
        const faults = seededFaults(SEED, CONCURRENT);
        for (const fault of faults) fake.fault(target.provider, target.operation, fault);
        const tags = Array.from({ length: CONCURRENT }, (_, i) => `call-${i}`);
        const results = await Promise.all(
          tags.map((tag) => settle(anyjob.triggerJob(target.request(job, tag), { timeoutMs: 1_500 }))),
        );

        const all = runsOf(target, job);
        const byRequest = new Map(all.map((run) => [run.requestId, run]));
        let accounted = 0;
        const outcomes: Record<string, number> = {};
        tags.forEach((tag, i) => {
          const result = results[i] as Result;
          const mine = triggersOf(target).filter(
            (request) => request.body.includes(`"${job}"`) && request.body.includes(`"${tag}"`),
          );
          const created = mine.flatMap((request) => byRequest.get(request.id) ?? []).map((run) => run.id);
          accounted += created.length;
          const error = unconfirmedOf(result);
          const what = 'run' in result ? 'run' : (error?.reconciliation.outcome ?? 'error');
          outcomes[what] = (outcomes[what] ?? 0) + 1;
          // 0 duplicates: at most one run per call, and only a 429 is followed by another request.
          expect(created.length, tag).toBeLessThanOrEqual(1);
          expect(mine.filter((request) => request.status !== 429).length, tag).toBeLessThanOrEqual(1);
          if ('run' in result) {
            // Never someone else's run.
            expect(created, tag).toEqual([result.run.id]);
          } else if (created.length === 1) {
            // 0 lost: its run is named among the candidates, unless the search proves it (returned).
            expect(target.proves, `${tag}: a proven run is returned`).toBe(false);
            expect(error, `${tag}: ${String(result.error)}`).toBeDefined();
            expect(
              error?.candidates.map((run) => run.id),
              tag,
            ).toContain(created[0]);
          }
        });
        // Every run the fake holds for the job was created by one of these calls.
        expect(accounted).toBe(all.length);
        expect(all.length).toBeGreaterThan(0);
        console.info(`${transport}, ${target.name}: ${all.length} runs for ${CONCURRENT} calls;`, outcomes);
      }, 60_000);
    }
  },
);

// Runchat answers synchronously and has no run list, so a trigger with an unknown outcome cannot
// be reconciled: it is never repeated, and the error says the job may have run (the documented
// limit of the "never lose a run" promise for Runchat).
describe('fault matrix, Runchat: never repeated, and the error says the job may have run', () => {
  let fake: FakeProviders;
  beforeAll(async () => {
    fake = await createFakeProviders();
  });
  beforeEach(() => fake.reset());
  const runchatFaults: [string, FakeFault, { timeoutMs?: number }?][] = [
    ['500', { kind: '5xx', status: 500 }],
    ['reset after the request', { kind: 'reset', afterCreate: true }],
    ['timeout', { kind: 'slow-headers', ms: 5_000, afterCreate: true }, { timeoutMs: 300 }],
    ['a body that is not JSON', { kind: 'invalid-json' }],
  ];
  for (const [name, fault, call] of runchatFaults) {
    it(name, async () => {
      fake.fault('runchat', 'triggerJob', fault);
      const error = await createAnyJob({ ...fake.config(), retryDelayMs: 1, env: {} })
        .triggerJob({ provider: 'runchat', jobId: 'job1' }, call ?? {})
        .catch((e: unknown) => e);
      expect(TriggerUnconfirmedError.isInstance(error), String(error)).toBe(true);
      expect((error as TriggerUnconfirmedError).reconciliation.outcome).toBe('unsupported');
      expect((error as Error).message).toMatch(/may have run on Runchat/);
      expect(fake.requests({ provider: 'runchat', operation: 'triggerJob' })).toHaveLength(1);
    });
  }
});
