// The client side of the fleet benchmark: one case (one mode, one N) in a fresh process, so its
// memory, CPU time and event-loop delay are this case's alone.
//
//   fork('fleet-client.mjs', { execArgv: ['--expose-gc'] })
//   → { type: 'init', urls, keys, warmup }   ← { type: 'ready' }
//   → { type: 'run', mode, refs, options }   ← { type: 'done', ... }
//
// `warmup` refs are runs already final: reading and waiting for them loads both providers'
// implementations, undici and the wait engine before anything is measured. `mode` is 'per-run'
// (one waitForJob per run, all at once: every run polls with its own gets) or 'batched' (one
// waitForJobs call). Both get the same `options` (the poll schedule), plus onUpdate, which notes
// when each run is first seen final (detection time, the wall clock the fake's endedAt is read from).

import { join } from 'node:path';
import { monitorEventLoopDelay, PerformanceObserver } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { getHeapSpaceStatistics } from 'node:v8';
import { repoRoot } from '../lib/providers.mjs';
import { facadeEntry } from './paths.mjs';

/** Ms since the epoch, fractional (the fake reads Date.now(): the same wall clock, in whole ms). */
const clock = () => performance.timeOrigin + performance.now();
// Forked by fleet.mjs with an IPC channel: the messages are its protocol.
const send = process.send?.bind(process);
if (!send) throw new Error('fleet-client.mjs runs as a child of fleet.mjs (forked with IPC)');
/** Event-loop delay sampling interval; every sample includes it, so it is subtracted. */
const ELD_RESOLUTION_MS = 10;
const RSS_SAMPLE_MS = 25;

const anyjob = await import(pathToFileURL(facadeEntry).href);
let jobs;

function init({ urls, keys, warmup }) {
  jobs = anyjob.createAnyJob({
    truefoundry: { baseUrl: urls.truefoundry, apiKey: keys.truefoundry },
    kognitos: { baseUrl: urls.kognitos, apiKey: keys.kognitos },
  });
  return (async () => {
    for (const ref of warmup) {
      await jobs.getJobRun(ref);
      await jobs.waitForJob(ref, { pollIntervalMs: 1 }).catch(() => {});
      await jobs.waitForJobs([ref], { pollIntervalMs: 1 });
    }
  })();
}

async function run({ mode, refs, options }) {
  const seen = new Map();
  const onUpdate = (jobRun) => {
    if (anyjob.isTerminal(jobRun.status)) {
      const key = `${jobRun.provider}:${jobRun.id}`;
      if (!seen.has(key)) seen.set(key, clock());
    }
  };
  const outcomes = { succeeded: 0, failed: 0, canceled: 0, other: 0 };
  const count = (error) => {
    if (error === undefined) outcomes.succeeded++;
    else if (anyjob.JobFailedError.isInstance(error)) outcomes.failed++;
    else if (anyjob.JobCanceledError.isInstance(error)) outcomes.canceled++;
    else {
      outcomes.other++;
      outcomes.firstOther ??= String(error?.stack ?? error);
    }
  };

  globalThis.gc?.();
  globalThis.gc?.();
  const rssBefore = process.memoryUsage.rss();
  const heapBefore = process.memoryUsage().heapUsed;
  const maxRssBeforeKb = process.resourceUsage().maxRSS;
  let rssPeak = rssBefore;
  let heapTotalPeak = 0;
  let externalPeak = 0;
  // Where the heap's peak is: the largest physical size each V8 space reached (new space is
  // where short-lived garbage lives; large_object_space holds every string or array over 128 KiB).
  const spacesBefore = Object.fromEntries(
    getHeapSpaceStatistics().map((space) => [space.space_name, space.physical_space_size]),
  );
  const spacesPeak = { ...spacesBefore };
  // RSS over the wait, every 500 ms (MiB above the start): when the peak is reached.
  const rssTimeline = [];
  let samples = 0;
  const sampler = setInterval(() => {
    const usage = process.memoryUsage();
    if (samples++ % 20 === 0) rssTimeline.push(Math.round((usage.rss - rssBefore) / 1048576));
    for (const space of getHeapSpaceStatistics())
      spacesPeak[space.space_name] = Math.max(spacesPeak[space.space_name] ?? 0, space.physical_space_size);
    rssPeak = Math.max(rssPeak, usage.rss);
    heapTotalPeak = Math.max(heapTotalPeak, usage.heapTotal);
    externalPeak = Math.max(externalPeak, usage.external);
  }, RSS_SAMPLE_MS);
  // Pauses of the garbage collector during the wait: how much of the event-loop delay they are.
  const gcPauses = [];
  const gcObserver = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) gcPauses.push(entry.duration);
  });
  gcObserver.observe({ entryTypes: ['gc'] });
  const eld = monitorEventLoopDelay({ resolution: ELD_RESOLUTION_MS });
  eld.enable();
  const cpuBefore = process.cpuUsage();
  const startedAt = clock();

  let kept;
  if (mode === 'per-run') {
    // The baseline: N independent waits, each polling its run with gets (no list to batch with).
    kept = await Promise.all(
      refs.map((ref) =>
        jobs.waitForJob(ref, { ...options, onUpdate }).then(
          (jobRun) => {
            count(undefined);
            return jobRun;
          },
          (error) => {
            count(error);
            return error;
          },
        ),
      ),
    );
  } else {
    kept = await jobs.waitForJobs(refs, { ...options, onUpdate });
    for (const result of kept) count(result.error);
  }

  const wallMs = clock() - startedAt;
  const cpu = process.cpuUsage(cpuBefore);
  eld.disable();
  clearInterval(sampler);
  gcObserver.disconnect();
  rssPeak = Math.max(rssPeak, process.memoryUsage.rss());
  const heapAfter = process.memoryUsage().heapUsed;
  // What the results (one run or error per ref, as the caller holds them) keep after a full GC.
  globalThis.gc?.();
  globalThis.gc?.();
  const retained = process.memoryUsage();
  const keptCount = kept.length;
  gcPauses.sort((a, b) => a - b);
  const delay = (ns) => Math.max(0, ns / 1e6 - ELD_RESOLUTION_MS);
  return {
    type: 'done',
    wallMs,
    startedAt,
    cpuUserMs: cpu.user / 1000,
    cpuSystemMs: cpu.system / 1000,
    rssBefore,
    rssPeak,
    heapBefore,
    heapAfter,
    heapTotalPeak,
    externalPeak,
    rssTimeline,
    heapSpacesKb: Object.fromEntries(
      Object.entries(spacesPeak).map(([name, peak]) => [
        name,
        { before: Math.round((spacesBefore[name] ?? 0) / 1024), peak: Math.round(peak / 1024) },
      ]),
    ),
    retainedHeapUsed: retained.heapUsed,
    retainedRss: retained.rss,
    keptCount,
    gc: {
      pauses: gcPauses.length,
      totalMs: gcPauses.reduce((sum, ms) => sum + ms, 0),
      maxMs: gcPauses.at(-1) ?? 0,
      over20Ms: gcPauses.filter((ms) => ms > 20).length,
    },
    maxRssBeforeKb,
    maxRssKb: process.resourceUsage().maxRSS,
    eld: {
      resolutionMs: ELD_RESOLUTION_MS,
      p50Ms: delay(eld.percentile(50)),
      p99Ms: delay(eld.percentile(99)),
      maxMs: delay(eld.max),
      samples: eld.count,
    },
    outcomes,
    seen: [...seen],
  };
}

/**
 * Where the time of one big list page goes: one TrueFoundry page of `pageSize` runs read
 * `reps` times one after the other, by raw fetch + JSON.parse and by the facade's listJobRuns (the
 * path the batched wait takes), plus the two synchronous steps of the facade's answer handling
 * measured alone on the same body: JSON.parse and the redaction walk over the parsed value
 * (call-operation.ts). Medians over the reps of CPU per page (process.cpuUsage()) and of the
 * longest stretch the event loop did not turn while one page was read.
 */
async function diagnose({ urls, keys, applicationId, pageSize, reps }) {
  const internal = join(repoRoot, 'packages', 'core', 'dist', 'internal.js');
  const { Redactor } = await import(pathToFileURL(internal).href);
  const url = `${urls.truefoundry}/api/svc/v1/jobs/${applicationId}/runs?limit=${pageSize}&offset=0&sortBy=startTime&order=desc`;
  const headers = { authorization: `Bearer ${keys.truefoundry}` };
  const body = await (await fetch(url, { headers })).text();
  // Each rep alone: CPU and wall time, and its longest stretch without a turn of the event loop
  // (the largest gap between two setImmediate callbacks chained through the rep: the longest run
  // of I/O callbacks and their microtasks); the median over reps, so that one preemption by
  // another process on the machine does not make the figure.
  const measure = async (step) => {
    for (let i = 0; i < 3; i++) await step();
    const cpuMs = [];
    const wallMs = [];
    const stallMs = [];
    for (let i = 0; i < reps; i++) {
      globalThis.gc?.();
      let beating = true;
      let last = performance.now();
      let longest = 0;
      const beat = () => {
        const now = performance.now();
        longest = Math.max(longest, now - last);
        last = now;
        if (beating) setImmediate(beat);
      };
      setImmediate(beat);
      const cpu = process.cpuUsage();
      const started = performance.now();
      await step();
      wallMs.push(performance.now() - started);
      const used = process.cpuUsage(cpu);
      beating = false;
      await new Promise((resolve) => setImmediate(resolve));
      cpuMs.push((used.user + used.system) / 1000);
      stallMs.push(longest);
    }
    const median = (values) => values.sort((a, b) => a - b)[values.length >> 1];
    return { cpuMs: median(cpuMs), wallMs: median(wallMs), maxStallMs: median(stallMs) };
  };
  const redactor = new Redactor([keys.truefoundry]);
  const parsed = JSON.parse(body);
  return {
    type: 'diagnosed',
    reps,
    pageBytes: Buffer.byteLength(body),
    pageSize,
    rawFetch: await measure(async () => (await fetch(url, { headers })).json()),
    facade: await measure(async () => {
      let n = 0;
      for await (const _ of jobs.listJobRuns(
        { provider: 'truefoundry', applicationId },
        { pageSize, limit: pageSize },
      ))
        n++;
      return n;
    }),
    parse: await measure(async () => JSON.parse(body)),
    redact: await measure(async () => redactor.value(parsed)),
  };
}

process.on('message', async (/** @type {any} */ message) => {
  try {
    if (message.type === 'init') {
      await init(message);
      send({ type: 'ready' });
    } else if (message.type === 'run') {
      send(await run(message));
    } else if (message.type === 'diagnose') {
      send(await diagnose(message));
    }
  } catch (error) {
    send({ type: 'error', error: String(error?.stack ?? error) });
  }
});
process.on('disconnect', () => process.exit(0));
send({ type: 'loaded' });
