// Fleet benchmark: waiting for many runs. @anyjob/testing's fake (fleet-server.mjs, its own
// process) simulates TrueFoundry and Kognitos runs with random durations of one to sixty seconds,
// time compressed by `timeScale`; each case runs in a fresh client process (fleet-client.mjs).
// For N runs spread over 10 jobs (5 TrueFoundry applications, 5 Kognitos processes) it compares
// the baseline — N concurrent waitForJob calls, each polling its run with gets — with one
// waitForJobs(runs) call (batched: list requests per job), both with the same poll schedule.
//
//   node scripts/bench/fleet.mjs [--quick] [--cases per-run:100,batched:100] [--cpu-prof]
//                                [--client-node-args '--trace-gc'] [--no-page]
//
// prints the figures as JSON (run.mjs writes them into BENCHMARKS.md). With --cpu-prof each client
// process writes a V8 CPU profile to scripts/bench/.generated/fleet-profiles/; --client-node-args
// passes more flags to the client processes (their output goes to this process's stdout);
// --no-page skips the diagnostic of one 1,000-run page.
import { fork } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { benchDir, generatedDir } from './paths.mjs';

/** Provider milliseconds: runs last one to sixty seconds (no queue time), 10 % fail. */
const RUN_DURATION_MS = [1_000, 60_000];
const FAILURE_RATE = 0.1;
/** The poll schedule both modes use, in provider ms (the library's defaults), scaled by timeScale. */
const POLL_INTERVAL_MS = 1_000;
const MAX_POLL_INTERVAL_MS = 30_000;
/** Sliding window of the request budget check, in real ms (the budget is per real minute). */
const BUDGET_WINDOW_MS = 60_000;
const JOBS = [
  ...Array.from({ length: 5 }, (_, i) => ({ provider: 'truefoundry', job: `bench-app-${i + 1}` })),
  ...Array.from({ length: 5 }, (_, i) => ({
    provider: 'kognitos',
    job: `bench-agent/bench-process-${i + 1}`,
  })),
];

/** Per-run polling is not run at N = 10,000 (see the report). */
const FLEET_CASES = [
  { mode: 'per-run', n: 100 },
  { mode: 'batched', n: 100 },
  { mode: 'per-run', n: 1_000 },
  { mode: 'batched', n: 1_000 },
  { mode: 'batched', n: 10_000 },
];
/** The same shape of cases with tiny N, for `--quick`: every line of the report is rendered. */
const QUICK_CASES = [
  { mode: 'per-run', n: 10 },
  { mode: 'batched', n: 10 },
  { mode: 'per-run', n: 20 },
  { mode: 'batched', n: 20 },
  { mode: 'batched', n: 50 },
];

export function fleetConfig(quick) {
  return quick
    ? {
        // A 60 s run lasts 0.6 s: a smoke run of the code, not figures.
        timeScale: 0.01,
        cases: QUICK_CASES,
        // A budget the few requests stay under, so the case ends at once.
        budget: { mode: 'batched', n: 20, requestsPerMinute: 600 },
      }
    : {
        timeScale: 0.2,
        cases: FLEET_CASES,
        // Kognitos needs up to 10 list pages per process per poll at this N (about 75 requests in
        // all under this budget): at 60 requests a minute the waits run at the budget's pace for
        // more than a minute, so the sliding 60 s windows check the steady state and not only
        // the first burst.
        budget: { mode: 'batched', n: 10_000, requestsPerMinute: 60 },
      };
}

// ---------------------------------------------------------------------------------------------
// Child processes

/** @param {string} script @param {string[]} [args] @param {string[]} [execArgv] */
function startChild(script, args = [], execArgv = []) {
  const child = fork(join(benchDir, script), args, {
    execArgv,
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const waiting = new Map();
  let nextId = 0;
  const typed = [];
  child.on('message', (/** @type {any} */ message) => {
    if (message.id !== undefined && waiting.has(message.id)) {
      const { resolve, reject } = waiting.get(message.id);
      waiting.delete(message.id);
      if (message.error !== undefined) reject(new Error(`${script}: ${message.error}`));
      else resolve(message.result);
      return;
    }
    const index = typed.findIndex((t) => t.type === message.type || message.type === 'error');
    if (index >= 0) {
      const [{ resolve, reject }] = typed.splice(index, 1);
      if (message.type === 'error') reject(new Error(`${script}: ${message.error}`));
      else resolve(message);
    }
  });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.once('exit', (code) => {
    const error = new Error(`${script} exited (${code})`);
    for (const { reject } of [...waiting.values(), ...typed]) reject(error);
  });
  return {
    child,
    exited,
    /** Resolves with the next message of `type`. */
    next: (type) => new Promise((resolve, reject) => typed.push({ type, resolve, reject })),
    call: (cmd, args) =>
      new Promise((resolve, reject) => {
        const id = nextId++;
        waiting.set(id, { resolve, reject });
        child.send({ id, cmd, args });
      }),
    stop: () => {
      if (child.connected) child.disconnect();
      return exited;
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Figures

const percentile = (sorted, p) =>
  sorted.length === 0
    ? undefined
    : sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];

/** Most requests in any window of `windowMs` (two pointers over the sorted arrival times). */
function maxInWindow(times, windowMs) {
  const sorted = [...times].sort((a, b) => a - b);
  let most = 0;
  let first = 0;
  for (let last = 0; last < sorted.length; last++) {
    while (sorted[last] - sorted[first] >= windowMs) first++;
    most = Math.max(most, last - first + 1);
  }
  return most;
}

/**
 * What the poll schedule alone implies, with no latency and no CPU limit: poll k of a run happens
 * at T_k (T_0 = 0, gaps pollIntervalMs × 1.5^k up to maxPollIntervalMs) after the wait starts,
 * so a run final at d is seen at the first T_k ≥ d, after k + 1 gets of its own.
 */
function scheduled(durations, { pollIntervalMs, maxPollIntervalMs }) {
  const times = [0];
  let gap = pollIntervalMs;
  const last = Math.max(...durations);
  for (let at = 0; at < last; ) {
    at += gap;
    times.push(at);
    gap = Math.min(gap * 1.5, maxPollIntervalMs);
  }
  let gets = 0;
  const lags = [];
  for (const d of durations) {
    const k = times.findIndex((t) => t >= d);
    gets += k + 1;
    lags.push(times[k] - d);
  }
  lags.sort((a, b) => a - b);
  return { gets, polls: times.length, lagMs: { p50: percentile(lags, 50), p99: percentile(lags, 99) } };
}

function analyse({ client, server, n, timeScale, budget, options }) {
  const finalAt = new Map(server.runs.map((run) => [run.key, run]));
  const seenAt = new Map(client.seen);
  // Detection lag: the fake's final transition → the client's first sight of the final status.
  const lags = [];
  for (const [key, at] of seenAt) {
    const run = finalAt.get(key);
    if (run) lags.push(at - run.finalAt);
  }
  lags.sort((a, b) => a - b);
  const byRoute = {};
  const byProvider = {};
  let gets = 0;
  const lists = {};
  let afterServedFinal = 0;
  let afterKnownFinal = 0;
  for (const request of server.requests) {
    byRoute[request.route] = (byRoute[request.route] ?? 0) + 1;
    byProvider[request.provider] ??= [];
    byProvider[request.provider].push(request.time);
    if (request.firstPage !== undefined) {
      lists[request.provider] ??= { reads: 0, pages: 0 };
      const entry = lists[request.provider];
      entry.pages++;
      if (request.firstPage) entry.reads++;
    }
    if (request.run === undefined) continue;
    gets++;
    const run = finalAt.get(request.run);
    // A get of a run the fake had already served as final (to this client: one per case).
    if (run?.finalServedAt != null && request.time > run.finalServedAt) afterServedFinal++;
    // Stricter: a get sent after the client itself had seen the run final.
    const seen = seenAt.get(request.run);
    if (seen !== undefined && request.time > seen) afterKnownFinal++;
  }
  const windows = {};
  for (const [provider, times] of Object.entries(byProvider)) {
    windows[provider] = {
      requests: times.length,
      maxPerWindow: maxInWindow(times, BUDGET_WINDOW_MS),
      spanMs: Math.max(...times) - Math.min(...times),
    };
  }
  const requests = server.requests.length;
  const rssGrowth = client.rssPeak - client.rssBefore;
  const durations = server.runs.map((run) => Math.max(0, run.finalAt - client.startedAt));
  return {
    n,
    requests,
    requestsPerRun: requests / n,
    byRoute,
    windows,
    budget,
    gets,
    lists,
    duplicateGets: afterServedFinal,
    getsAfterKnownFinal: afterKnownFinal,
    seenFinal: seenAt.size,
    outcomes: client.outcomes,
    lagMs: { p50: percentile(lags, 50), p99: percentile(lags, 99), max: lags.at(-1), count: lags.length },
    lagProviderS: {
      p50: percentile(lags, 50) / timeScale / 1000,
      p99: percentile(lags, 99) / timeScale / 1000,
    },
    wallMs: client.wallMs,
    cpuMs: client.cpuUserMs + client.cpuSystemMs,
    cpuUserMs: client.cpuUserMs,
    cpuSystemMs: client.cpuSystemMs,
    maxRssKb: client.maxRssKb,
    rssBeforeKb: client.rssBefore / 1024,
    rssPeakKb: client.rssPeak / 1024,
    rssGrowthKb: rssGrowth / 1024,
    rssGrowthPerRunKb: rssGrowth / 1024 / n,
    heapGrowthKb: (client.heapAfter - client.heapBefore) / 1024,
    heapTotalPeakKb: client.heapTotalPeak / 1024,
    externalPeakKb: client.externalPeak / 1024,
    heapSpacesKb: client.heapSpacesKb,
    rssTimelineMiB: client.rssTimeline,
    // The heap the results keep (one JobRun or error per run) after a full GC.
    retainedHeapKb: (client.retainedHeapUsed - client.heapBefore) / 1024,
    retainedRssKb: (client.retainedRss - client.rssBefore) / 1024,
    gc: client.gc,
    eld: client.eld,
    schedule: scheduled(durations, options),
  };
}

// ---------------------------------------------------------------------------------------------

/**
 * @param {any} server @param {{ mode: string, n: number, requestsPerMinute?: number }} spec
 * @param {{ timeScale: number, cpuProf: boolean, nodeArgs?: string[], log?: (message: string) => void }} options
 */
async function runCase(server, spec, { timeScale, cpuProf, nodeArgs = [], log }) {
  const { mode, n, requestsPerMinute } = spec;
  const loadBefore = os.loadavg();
  await server.call('reset');
  const warmup = await server.call('seed', {
    jobs: [JOBS[0], JOBS[5]],
    perJob: 1,
    final: true,
    durationMs: RUN_DURATION_MS,
    queueMs: 0,
  });
  const execArgv = ['--expose-gc', ...nodeArgs];
  if (cpuProf) {
    const dir = join(generatedDir, 'fleet-profiles');
    mkdirSync(dir, { recursive: true });
    execArgv.push(
      '--cpu-prof',
      `--cpu-prof-dir=${dir}`,
      `--cpu-prof-name=${mode}-${n}${requestsPerMinute ? '-budget' : ''}.cpuprofile`,
    );
  }
  const client = startChild('fleet-client.mjs', [], execArgv);
  try {
    await client.next('loaded');
    const ready = client.next('ready');
    client.child.send({ type: 'init', urls: server.urls, keys: server.keys, warmup });
    await ready;
    await server.call('reset');
    const refs = await server.call('seed', {
      jobs: JOBS,
      perJob: n / JOBS.length,
      final: false,
      durationMs: RUN_DURATION_MS,
      queueMs: 0,
      failureRate: FAILURE_RATE,
    });
    const options = {
      pollIntervalMs: POLL_INTERVAL_MS * timeScale,
      maxPollIntervalMs: MAX_POLL_INTERVAL_MS * timeScale,
      // A safety net: far beyond the longest run, so no case hangs the bench.
      timeoutMs: 15 * 60_000,
      ...(requestsPerMinute
        ? { requestsPerMinute: { truefoundry: requestsPerMinute, kognitos: requestsPerMinute } }
        : {}),
    };
    log?.(
      `fleet: ${mode} N=${n}${requestsPerMinute ? ` with ${requestsPerMinute} requests per minute` : ''}`,
    );
    const done = client.next('done');
    client.child.send({ type: 'run', mode, refs, options });
    const result = await done;
    const collected = await server.call('collect');
    return {
      mode,
      options: { ...options, timeoutMs: undefined },
      loadBefore,
      loadAfter: os.loadavg(),
      ...analyse({ client: result, server: collected, n, timeScale, budget: requestsPerMinute, options }),
    };
  } finally {
    await client.stop();
  }
}

/** One TrueFoundry list page of 1,000 runs, read again and again (see diagnose() in fleet-client.mjs). */
async function diagnosePage(server, reps) {
  await server.call('reset');
  const warmup = await server.call('seed', {
    jobs: [JOBS[0], JOBS[5]],
    perJob: 1,
    final: true,
    durationMs: RUN_DURATION_MS,
    queueMs: 0,
  });
  const pageSize = 1_000;
  const applicationId = 'bench-page';
  await server.call('seed', {
    jobs: [{ provider: 'truefoundry', job: applicationId }],
    perJob: pageSize,
    final: true,
    durationMs: RUN_DURATION_MS,
    queueMs: 0,
    failureRate: FAILURE_RATE,
  });
  const client = startChild('fleet-client.mjs', [], ['--expose-gc']);
  try {
    await client.next('loaded');
    const ready = client.next('ready');
    client.child.send({ type: 'init', urls: server.urls, keys: server.keys, warmup });
    await ready;
    const done = client.next('diagnosed');
    client.child.send({
      type: 'diagnose',
      urls: server.urls,
      keys: server.keys,
      applicationId,
      pageSize,
      reps,
    });
    return { ...(await done), load: os.loadavg() };
  } finally {
    await client.stop();
  }
}

/**
 * @param {{ quick?: boolean, only?: Array<{ mode: string, n: number, requestsPerMinute?: number }>,
 *   cpuProf?: boolean, nodeArgs?: string[], page?: boolean, log?: (message: string, section?: string) => void }} [options]
 */
export async function measureFleet({
  quick = false,
  only,
  cpuProf = false,
  nodeArgs = [],
  page: withPage = true,
  log,
} = {}) {
  const config = fleetConfig(quick);
  const server = startChild('fleet-server.mjs', [String(config.timeScale)]);
  try {
    const ready = await server.next('ready');
    server.urls = ready.urls;
    server.keys = ready.keys;
    const specs = only ?? [...config.cases, config.budget];
    const cases = [];
    for (const spec of specs)
      cases.push(await runCase(server, spec, { timeScale: config.timeScale, cpuProf, nodeArgs, log }));
    if (withPage) log?.('fleet: diagnostic, one TrueFoundry list page of 1,000 runs');
    const page = withPage ? await diagnosePage(server, quick ? 1 : 20) : undefined;
    return {
      page,
      timeScale: config.timeScale,
      runDurationMs: RUN_DURATION_MS,
      failureRate: FAILURE_RATE,
      pollIntervalMs: POLL_INTERVAL_MS,
      maxPollIntervalMs: MAX_POLL_INTERVAL_MS,
      jobs: JOBS,
      budgetWindowMs: BUDGET_WINDOW_MS,
      cases,
    };
  } finally {
    await server.stop();
  }
}

if (process.argv[1] === new URL(import.meta.url).pathname) {
  const args = process.argv.slice(2);
  const value = (name) => {
    const i = args.indexOf(name);
    return i >= 0 ? args[i + 1] : undefined;
  };
  const only = value('--cases')
    ?.split(',')
    .map((entry) => {
      const [mode, n, requestsPerMinute] = entry.split(':');
      return {
        mode,
        n: Number(n),
        ...(requestsPerMinute ? { requestsPerMinute: Number(requestsPerMinute) } : {}),
      };
    });
  const result = await measureFleet({
    quick: args.includes('--quick'),
    only,
    cpuProf: args.includes('--cpu-prof'),
    nodeArgs: value('--client-node-args')?.split(' ').filter(Boolean) ?? [],
    page: !args.includes('--no-page'),
    log: (message) => process.stderr.write(`${message}\n`),
  });
  for (const c of result.cases) {
    const { byRoute, windows, ...rest } = c;
    process.stderr.write(`${JSON.stringify(rest)}\n${JSON.stringify({ byRoute, windows })}\n`);
  }
  process.stdout.write(`${JSON.stringify(result)}\n`);
}
