// "Never starts a job twice, and never loses one": the trigger of every provider of the registry
// with a fake (its expectation from its contract: an idempotency key, proof) through every fault,
// judged from the records of @anyjob/testing's fake, over its in-process fetch and over HTTP
// (listen(): real sockets, resets and cut bodies). 0 duplicates: no trigger request is sent twice
// after it may have reached the provider, and no fault leaves two runs. 0 lost: every run the fake
// created is either the run triggerJob returned or a candidate of its TriggerUnconfirmedError.
// Never someone else's: a run is returned only when the search proves it is this trigger's (a
// random marker only this call sent); another caller's run of the same job, created 5 s earlier or
// concurrently, is at most a candidate.
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { exampleTriggerRequest, triggerContractOf } from '../../../scripts/test-harness/trigger-requests.mjs';
import {
  createFakeProviders,
  type FakeFault,
  type FakeProviders,
  type FakeServer,
} from '../../testing/src/index.js';
import {
  type AnyJob,
  createAnyJob,
  defaultProviders,
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
  provider: string;
  /** The trigger's operation in the provider's spec. */
  operation: string;
  /** The trigger; `tag` (distinct per call, in a key=value field of its body) tells calls apart. */
  request: (job: string, tag?: string) => TriggerRequest;
  /**
   * The provider deduplicates by a client key (the contract's `idempotency`): a trigger is
   * retried with the same key and a lost answer found by it, so every fault ends in exactly one
   * run, returned.
   */
  idempotent: boolean;
  /** Whether the search can prove a run is this trigger's (a recovered run is returned). */
  proves: boolean;
}

// Every provider of the registry with a fake whose lost trigger answers can be reconciled (it
// lists runs, or deduplicates by a key); the expectation comes from its contract, read by
// triggerContractOf (scripts/test-harness): the trigger's operation, an idempotency key, proof.
const probe = await createFakeProviders();
const TARGETS: Target[] = [];
for (const descriptor of defaultProviders) {
  if (!descriptor.testing || descriptor.synchronousRuns) continue;
  if (!descriptor.capabilities.list && !descriptor.contract?.idempotency) continue;
  const request = (job: string, tag?: string) =>
    exampleTriggerRequest(descriptor, { suffix: job, ...(tag ? { tag } : {}) }) as TriggerRequest;
  const { operation, idempotent, proves } = await triggerContractOf(descriptor, request('probe'), probe);
  // An idempotency key is proof too: only this trigger sent it.
  TARGETS.push({
    name: descriptor.name,
    provider: descriptor.name,
    request,
    operation,
    idempotent,
    proves: proves || idempotent,
  });
}
// One provider's own case: a Kognitos run name the caller chose (a cron's, a batch's) may be
// another call's too, so it is no proof.
const kognitos = TARGETS.find((target) => target.provider === 'kognitos');
if (kognitos)
  TARGETS.push({
    ...kognitos,
    name: 'kognitos, caller-chosen run name',
    request: (job, tag) => ({ ...kognitos.request(job, tag), name: 'nightly import' }) as TriggerRequest,
    proves: false,
  });

/** What triggerJob ends in: a run, a redirect, or TriggerUnconfirmedError with this outcome. */
function expected(target: Target, c: FaultCase, neighbour: boolean): string {
  if (c.outcome === 'run' || c.outcome === 'redirect') return c.outcome;
  if (target.idempotent && !c.call?.abortAfterMs) return 'run';
  if (c.outcome === 'recovered') return target.proves ? 'run' : 'unproven';
  if (c.creates) return target.proves ? 'found' : 'unproven';
  // Nothing created: another caller's run of the job matches unless the search needs proof.
  return neighbour && !target.proves ? 'unproven' : 'not-found';
}

/** Whether the fault leaves a run: with an idempotency key, the retried trigger creates it. */
const creates = (target: Target, c: FaultCase) =>
  c.creates || (target.idempotent && c.outcome !== 'redirect');

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
        ...Object.fromEntries(TARGETS.map((target) => [target.provider, provider(target.provider)])),
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

    // Each case starts from a reset fake: the provider's runs are the case's (and the colleague's).
    const runsOf = (target: Target) => fake.runs(target.provider);
    const triggersOf = (target: Target) =>
      fake.requests({ provider: target.provider, operation: target.operation });

    const full = transport === 'in-process fetch';
    for (const target of TARGETS) {
      for (const neighbour of full ? [false, true] : [false]) {
        FAULTS.forEach((c, index) => {
          if (!full && !c.socket) return;
          const when = neighbour ? ', another caller ran the job 5 s before' : '';
          it(`${target.name}: ${c.name}${when}`, async () => {
            const job = `${neighbour ? 'n' : 'f'}${index}`;
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

            const triggers = triggersOf(target).slice(before);
            const created = runsOf(target).filter((run) => run.id !== theirs);
            // 0 duplicates: one run at most, and the trigger was repeated only after a 429 (or,
            // with an idempotency key, with the same key: the provider starts one run for it).
            expect(created.length).toBe(creates(target, c) ? 1 : 0);
            if (target.idempotent) expect(new Set(triggers.map((t) => t.body)).size).toBe(1);
            else expect(triggers.length).toBe(c.fault?.kind === '429' ? 2 : 1);

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
        const job = 'crowd';
        const faults = seededFaults(SEED, CONCURRENT);
        for (const fault of faults) fake.fault(target.provider, target.operation, fault);
        const tags = Array.from({ length: CONCURRENT }, (_, i) => `call-${i}`);
        const results = await Promise.all(
          tags.map((tag) => settle(anyjob.triggerJob(target.request(job, tag), { timeoutMs: 1_500 }))),
        );

        const all = runsOf(target);
        const byRequest = new Map(all.map((run) => [run.requestId, run]));
        let accounted = 0;
        const outcomes: Record<string, number> = {};
        tags.forEach((tag, i) => {
          const result = results[i] as Result;
          const mine = triggersOf(target).filter((request) => request.body.includes(`"${tag}"`));
          const created = mine.flatMap((request) => byRequest.get(request.id) ?? []).map((run) => run.id);
          accounted += created.length;
          const error = unconfirmedOf(result);
          const what = 'run' in result ? 'run' : (error?.reconciliation.outcome ?? 'error');
          outcomes[what] = (outcomes[what] ?? 0) + 1;
          // 0 duplicates: at most one run per call, and only a 429 is followed by another request.
          expect(created.length, tag).toBeLessThanOrEqual(1);
          // With an idempotency key a call may resend its trigger (the same key): never two runs.
          if (!target.idempotent)
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

// A provider whose runs are answered synchronously or that has no run list and no idempotency
// key (Runchat) cannot reconcile a trigger with an unknown outcome: it is never repeated, and the
// error says the job may have run (the documented limit of the "never lose a run" promise).
const UNRECONCILED = defaultProviders.filter(
  (d) => d.testing && (d.synchronousRuns || !d.capabilities.list) && !d.contract?.idempotency,
);
describe.each(UNRECONCILED)(
  'fault matrix, $name: never repeated, and the error says the job may have run',
  (descriptor) => {
    let fake: FakeProviders;
    let operation: string;
    const request = exampleTriggerRequest(descriptor) as TriggerRequest;
    beforeAll(async () => {
      fake = await createFakeProviders();
      ({ operation } = await triggerContractOf(descriptor, request, fake));
    });
    beforeEach(() => fake.reset());
    const faults: [string, FakeFault, { timeoutMs?: number }?][] = [
      ['500', { kind: '5xx', status: 500 }],
      ['reset after the request', { kind: 'reset', afterCreate: true }],
      ['timeout', { kind: 'slow-headers', ms: 5_000, afterCreate: true }, { timeoutMs: 300 }],
      ['a body that is not JSON', { kind: 'invalid-json' }],
    ];
    for (const [name, fault, call] of faults) {
      it(name, async () => {
        fake.fault(descriptor.name, operation, fault);
        const error = await createAnyJob({ ...fake.config(), retryDelayMs: 1, env: {} })
          .triggerJob(request, call ?? {})
          .catch((e: unknown) => e);
        expect(TriggerUnconfirmedError.isInstance(error), String(error)).toBe(true);
        expect((error as TriggerUnconfirmedError).reconciliation.outcome).toBe('unsupported');
        expect((error as Error).message).toContain(`may have run on ${descriptor.displayName}`);
        expect(fake.requests({ provider: descriptor.name, operation })).toHaveLength(1);
      });
    }
  },
);
