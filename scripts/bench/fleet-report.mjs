// The fleet section of BENCHMARKS.md (figures from fleet.mjs): the table of cases, the targets
// and the notes on what each figure is. report.mjs puts the pieces in place.
import { mib, table, yes } from './markdown.mjs';

const MiB = 1024; // RSS and heap figures are in KiB

const fmt = (v, digits = 0) => (v === undefined || Number.isNaN(v) ? '–' : v.toFixed(digits));
const int = (v) => (v === undefined ? '–' : Math.round(v).toLocaleString('en-US'));
const secs = (ms) => `${(ms / 1000).toFixed(1)} s`;
const load = (l) => l.map((v) => v.toFixed(1)).join('/');

const find = (fleet, mode, n) => fleet?.cases.find((c) => c.mode === mode && c.n === n && !c.budget);
const budgetCase = (fleet) => fleet?.cases.find((c) => c.budget);
/** The largest N a mode was run at (budget case apart): 1,000 per-run and 10,000 batched in a full run. */
const largest = (fleet, mode) =>
  fleet?.cases
    .filter((c) => c.mode === mode && !c.budget)
    .reduce((a, c) => (a && a.n >= c.n ? a : c), undefined);

/**
 * The per-run baseline at its largest N (1,000) and the batched case at the same N, the largest
 * batched case (10,000) and the budget case, as the targets need them. By role, not by N, so a
 * `--quick` run with tiny N renders every line too.
 */
export function fleetFigures(fleet) {
  const perRun = largest(fleet, 'per-run');
  const batched = perRun && find(fleet, 'batched', perRun.n);
  const big = largest(fleet, 'batched');
  return { perRun, batched, big: big && big !== batched ? big : undefined, budget: budgetCase(fleet) };
}

export function fleetTargets(fleet) {
  const rows = [];
  const { perRun, batched, big, budget } = fleetFigures(fleet);
  const share = perRun && batched ? batched.requests / perRun.requests : undefined;
  rows.push([
    'fleet N = 1,000: batched requests ≤ 2 % of per-run polling',
    share === undefined
      ? 'not measured'
      : `${(share * 100).toFixed(2)} % (${int(batched.requests)} vs ${int(perRun.requests)})`,
    yes(share === undefined ? undefined : share <= 0.02),
  ]);
  rows.push([
    'fleet N = 1,000: batched detection-lag p99 no worse than per-run',
    perRun && batched ? `${int(batched.lagMs.p99)} ms vs ${int(perRun.lagMs.p99)} ms` : 'not measured',
    yes(perRun && batched ? batched.lagMs.p99 <= perRun.lagMs.p99 : undefined),
  ]);
  rows.push([
    'fleet N = 10,000 batched: peak RSS growth ≤ 50 MiB (≤ 5 KiB per run)',
    big ? `${mib(big.rssGrowthKb)} (${fmt(big.rssGrowthPerRunKb, 1)} KiB per run)` : 'not measured',
    yes(big ? big.rssGrowthKb <= 50 * MiB && big.rssGrowthPerRunKb <= 5 : undefined),
  ]);
  rows.push([
    'fleet N = 10,000 batched: event-loop delay p99 ≤ 20 ms',
    big ? `${fmt(big.eld.p99Ms, 1)} ms` : 'not measured',
    yes(big ? big.eld.p99Ms <= 20 : undefined),
  ]);
  if (budget) {
    const worst = Object.entries(budget.windows).map(([p, w]) => `${p} ${w.maxPerWindow}`);
    rows.push([
      `fleet: no provider sees more than its budget (${budget.budget} requests per real minute) in any 60 s window`,
      `most in a window: ${worst.join(', ')}`,
      yes(Object.values(budget.windows).every((w) => w.maxPerWindow <= budget.budget)),
    ]);
  } else rows.push(['fleet: no provider sees more than its request budget', 'not measured', yes(undefined)]);
  if (fleet) {
    const duplicates = fleet.cases.reduce((sum, c) => sum + c.duplicateGets, 0);
    rows.push([
      'fleet: 0 gets of a run already served as final (every case)',
      String(duplicates),
      yes(duplicates === 0),
    ]);
  }
  return rows;
}

function caseName(c) {
  return `${c.mode === 'per-run' ? 'per-run `waitForJob` ×N' : 'batched `waitForJobs`'}${c.budget ? `, ${c.budget}/min budget` : ''}`;
}

export function fleetSection(report) {
  const fleet = report.fleet;
  if (!fleet) return 'Not measured in this run.';
  const s = fleet.timeScale;
  const perRunAt = (n) => find(fleet, 'per-run', n);
  const rows = fleet.cases.map((c) => {
    const baseline = perRunAt(c.n);
    return [
      caseName(c),
      int(c.n),
      int(c.requests),
      fmt(c.requestsPerRun, 2),
      baseline && c.mode === 'batched' && !c.budget
        ? `${((c.requests / baseline.requests) * 100).toFixed(2)} %`
        : '–',
      `${int(c.lagMs.p50)} / ${int(c.lagMs.p99)}`,
      `${fmt(c.lagProviderS.p50, 1)} / ${fmt(c.lagProviderS.p99, 1)}`,
      `${c.seenFinal}/${c.n}`,
      mib(c.maxRssKb),
      mib(c.rssGrowthKb),
      fmt(c.rssGrowthPerRunKb, 2),
      fmt(c.eld.p99Ms, 1),
      secs(c.cpuMs),
      fmt((c.cpuMs * 1000) / c.n, 0),
      secs(c.wallMs),
      `${c.duplicateGets} (${c.getsAfterKnownFinal})`,
      load(c.loadBefore),
    ];
  });
  const routes = fleet.cases.map((c) => [
    caseName(c),
    int(c.n),
    Object.entries(c.byRoute)
      .sort((a, b) => b[1] - a[1])
      .map(([route, count]) => `\`${route}\` ${int(count)}`)
      .join(', '),
  ]);
  const budget = budgetCase(fleet);
  const budgetRows = budget
    ? Object.entries(budget.windows).map(([provider, w]) => [
        provider,
        String(budget.budget),
        int(w.requests),
        secs(w.spanMs),
        int(w.maxPerWindow),
        yes(w.maxPerWindow <= budget.budget),
      ])
    : [];
  const perRun1k = fleetFigures(fleet).perRun;
  const skipped = perRun1k
    ? `N = 10,000 is not run per-run: at N = 1,000 per-run polling already used ${secs(perRun1k.cpuMs)} of client CPU in ${secs(perRun1k.wallMs)} of wall time (${fmt((perRun1k.cpuMs / perRun1k.wallMs) * 100, 0)} % of a core, on 2 cores shared with the fake and other work) for ${int(perRun1k.requests)} requests, with up to 1,000 requests and sockets in flight at its first poll. Ten times the runs means about ten times the requests, 10,000 requests and sockets in flight at once on the first poll, and a client far past saturation, whose figures would measure the machine, not the library.`
    : 'N = 10,000 is not run per-run (see the N = 1,000 case for why).';
  return `Waiting for many runs (\`scripts/bench/fleet.mjs\`). @anyjob/testing's fake
(\`createFakeProviders()\` served by \`listen()\` in \`scripts/bench/fleet-server.mjs\`, its own process, so
the client's memory and CPU are the client's alone) simulates TrueFoundry and Kognitos runs: get
and list routes with the providers' real pagination (TrueFoundry 1,000 runs a page, Kognitos 100),
every request recorded. N runs are spread evenly over 10 jobs (5 TrueFoundry applications, 5
Kognitos processes), each lasting a random ${fleet.runDurationMs[0] / 1000}–${fleet.runDurationMs[1] / 1000} s of provider time (no queue time,
${fleet.failureRate * 100} % end failed), all started together. **Time is compressed ×${s}**: a 60 s run lasts
${(60 * s).toFixed(0)} s, and both modes poll on the library's default schedule scaled the same way —
\`pollIntervalMs\` ${fleet.pollIntervalMs * s} ms (${fleet.pollIntervalMs} ms × ${s}), growing ×1.5 per poll up to
\`maxPollIntervalMs\` ${fleet.maxPollIntervalMs * s} ms (${fleet.maxPollIntervalMs} ms × ${s}); everything else is left at its default
(at most 8 requests in flight per provider per wait). Each case runs in a fresh client process
(\`scripts/bench/fleet-client.mjs\`): the facade is created and warmed up (one get and one wait per
provider), the fake is reset and the runs created, then the client waits for all of them:

- **per-run** (the baseline): N concurrent \`waitForJob(ref)\` calls, each its own wait polling its
  own run with gets (a one-run wait has no list to batch with: \`batch: false\` semantics);
- **batched**: one \`waitForJobs(refs)\` call, which reads each job's runs through its list operation,
  page after page until it has found them all, one page at a time per provider; a job read
  through a list that costs at most a third of the gets (always so here) has a schedule of its own:
  at once, after \`pollIntervalMs\`, the delay tripling per read up to \`maxPollIntervalMs / 3\`
  (${(fleet.maxPollIntervalMs * s) / 3} ms).

Figures: **requests** as the fake recorded them (by route below). **Detection lag**: for each run,
the time the client first saw its final status (\`onUpdate\`) minus the fake's recorded
\`finalAt\`, in real ms (p50 / p99), and the same in provider seconds (÷ ${s}); the client and the
fake read the same wall clock (\`performance.timeOrigin + performance.now()\`, \`Date.now()\`). **Peak RSS** is the
client's \`process.resourceUsage().maxRSS\`; **RSS growth** is the highest \`process.memoryUsage.rss()\`
sampled every 25 ms during the wait minus the RSS just before it (after the warm-up, the refs
received and two \`gc()\`); per run is that ÷ N. **Event-loop delay p99**:
\`perf_hooks.monitorEventLoopDelay\` (resolution 10 ms, which every sample includes and is
subtracted) over the wait. **CPU**: \`process.cpuUsage()\` of the client over the wait (user +
system), and per run in µs. **Duplicate gets**: gets of a run that arrived after the fake had
already served that run as final (a get or a list answer), one client per case; in brackets the
stricter count of gets sent after the client itself had seen the run final. List pages that also
carry runs already final are not counted: a list cannot leave them out. The load average (1 min /
5 / 15) is read before each case.

${table(
  [
    'case',
    'N',
    'requests',
    'per run',
    '% of per-run',
    'lag p50 / p99 (ms)',
    'lag p50 / p99 (provider s)',
    'seen final',
    'peak RSS',
    'RSS growth',
    'KiB per run',
    'loop delay p99 (ms)',
    'CPU',
    'CPU µs per run',
    'wall',
    'duplicate gets',
    'load before',
  ],
  rows,
)}

${skipped}

Requests by route:

${table(['case', 'N', 'requests by route'], routes)}

Where the memory went (MiB): each V8 heap space's largest physical size during the wait minus its
size before (new space holds short-lived garbage and grows up to 2 × 16 MiB under a high rate of
allocation; old space holds what survived, the results included), the largest \`external\`
(buffers outside the heap, such as response bodies), and what the results keep after a full GC.

${table(
  [
    'case',
    'N',
    'RSS growth',
    'new space',
    'old space',
    'large objects',
    'external (peak)',
    'results after GC',
  ],
  fleet.cases
    .filter((c) => c.heapSpacesKb)
    .map((c) => {
      const grew = (name) => {
        const space = c.heapSpacesKb[name];
        return space ? (space.peak - space.before) / MiB : 0;
      };
      return [
        caseName(c),
        int(c.n),
        mib(c.rssGrowthKb),
        fmt(grew('new_space'), 1),
        fmt(grew('old_space'), 1),
        fmt(grew('large_object_space') + grew('new_large_object_space'), 1),
        fmt(c.externalPeakKb / MiB, 1),
        fmt(c.retainedHeapKb / MiB, 1),
      ];
    }),
)}

${
  budget
    ? `#### Request budget

One more batched case, N = ${int(budget.n)}, with \`requestsPerMinute: { truefoundry: ${budget.budget}, kognitos: ${budget.budget} }\`. The budget is
in **real time** (the library's token bucket counts real minutes; it is not scaled by the time
compression), and it is checked from the fake's own request arrival times: the most requests
any provider received in any sliding 60 s window of real time.

${table(['provider', 'budget per minute', 'requests', 'first to last request', 'most in any 60 s window', 'result'], budgetRows)}

Detection lag under the budget: p50 ${int(budget.lagMs.p50)} ms, p99 ${int(budget.lagMs.p99)} ms (the budget, not the schedule, sets the pace); ${budget.seenFinal}/${budget.n} runs seen final; duplicate gets ${budget.duplicateGets}.`
    : ''
}`;
}

/**
 * Why the fleet targets that are missed are missed, with this run's figures. Pointers are to the
 * sources at the commit measured (packages/core/src/job/fleet.ts unless said otherwise).
 */
export function fleetLimits(report) {
  const fleet = report.fleet;
  if (!fleet) return '';
  const { perRun, batched, big, budget } = fleetFigures(fleet);
  const items = [];
  const page = fleet.page;
  const s = fleet.timeScale;
  if (perRun && batched && batched.requests > 0.02 * perRun.requests) {
    const sched = perRun.schedule.gets;
    items.push(`- **Fleet requests, N = 1,000.** The batched wait sends one list request per job per read (100 runs
  fit one page) — ${int(batched.requests)} requests for 10 jobs — so its share is set by how many gets the baseline
  sends. Per-run polling sent ${int(perRun.requests)}, but its own schedule implies ${int(sched)} (one get per run per
  poll until its run is final): it fell behind its schedule, CPU-bound (${secs(perRun.cpuMs)} of client CPU in
  ${secs(perRun.wallMs)}, event-loop delay p99 ${fmt(perRun.eld.p99Ms, 0)} ms), because every \`waitForJob\` is a wait of its own
  and the first polls of all runs fall due together. Against the schedule's ${int(sched)} gets the
  batched share is ${((batched.requests / sched) * 100).toFixed(2)} %.`);
  }
  if (perRun && batched && batched.lagMs.p99 > perRun.lagMs.p99) {
    items.push(`- **Fleet detection lag, N = 1,000.** The batched p99 (${int(batched.lagMs.p99)} ms) is above per-run's
  (${int(perRun.lagMs.p99)} ms). A job read through its list is read at least every \`maxPollIntervalMs / 3\`
  (${(fleet.maxPollIntervalMs * s) / 3} ms here, \`LIST_SPEEDUP\` in \`packages/core/src/job/fleet.ts\`), so its p99 should sit near
  that plus one read; a p99 far above it means the reads themselves fell behind (see the CPU and
  loop-delay columns and the load average).`);
  }
  const bigGets = (big?.byRoute['kognitos.getRun'] ?? 0) + (big?.byRoute['truefoundry.getJobRun'] ?? 0);
  if (big && bigGets > 0.1 * big.requests) {
    items.push(`- **Gets next to the lists (N = 10,000).** ${int(bigGets)} of the case's ${int(big.requests)} requests were gets. A list
  read goes on until it has found every run of the job (\`#readGroup\` in \`packages/core/src/job/fleet.ts\`),
  so gets should only come when few runs of a job are left and one get each costs less than the
  job's pages.`);
  }
  if (big && !(big.rssGrowthKb <= 50 * MiB && big.rssGrowthPerRunKb <= 5)) {
    const grew = (name) => {
      const space = big.heapSpacesKb?.[name];
      return space ? (space.peak - space.before) * 1024 : undefined;
    };
    const newSpace = grew('new_space');
    const oldSpace = grew('old_space');
    items.push(`- **Fleet memory, N = 10,000.** Of the ${mib(big.rssGrowthKb)} RSS growth, the results keep
  ${mib(big.retainedHeapKb)} after a full GC (${fmt(big.retainedHeapKb / big.n, 2)} KiB per run: each final run whole, with its \`raw\`
  provider object, and an error object per failed run; a run still going is kept without \`raw\`).${
    newSpace === undefined || oldSpace === undefined
      ? ''
      : ` V8's
  young generation grew by ${mib(newSpace / 1024)}: its semi-spaces double whenever more than their size has survived
  scavenges since they last grew, and at this pace the results (each survives a scavenge, then
  is promoted) and whatever is alive mid-page when a scavenge comes take them to their 16 MiB
  maximum. The old generation grew by ${mib(oldSpace / 1024)} (the results,
  and garbage promoted before a full GC came) and buffers outside the heap peaked at
  ${mib(big.externalPeakKb)} (response bodies waiting for a scavenge).`
  } The engine reads one page of at most 250 runs at a time per provider and
  keeps nothing of a page once read but the final runs; its own allocations are about 5 % of the
  wait's (about 250 MB over the wait, sampled with V8's heap profiler at this change), the rest being
  the transport's reading, parsing and redaction of the pages and the providers' mapping of them.${
    budget
      ? ` The
  budget case reads as many runs and keeps the same results, slowly: ${mib(budget.rssGrowthKb)}.`
      : ''
  }`);
  }
  if (big && big.eld.p99Ms > 20) {
    items.push(`- **Event-loop delay, N = 10,000.** The engine reads one page at a time per provider, of at most 250 runs, so
  the longest stretch of its own is one page's parse, redaction and mapping${
    page
      ? ` (a 1,000-run TrueFoundry page through the facade: ${fmt(page.facade.cpuMs, 1)} ms of CPU, longest stall ${fmt(page.facade.maxStallMs, 0)} ms; raw
  \`fetch\` + \`json()\`: ${fmt(page.rawFetch.cpuMs, 1)} ms and ${fmt(page.rawFetch.maxStallMs, 0)} ms; medians of ${page.reps} reads)`
      : ''
  }. Garbage collection paused the
  process ${big.gc.pauses} times during the wait (longest ${fmt(big.gc.maxMs, 0)} ms, ${big.gc.over20Ms} over 20 ms): scavenges copy what is
  alive, the results included. A load average above the core count (see the table) inflates
  every figure here: a delay counts while the process waits for a core.`);
  }
  if (budget && !Object.values(budget.windows).every((w) => w.maxPerWindow <= budget.budget)) {
    items.push(`- **Request budget.** A provider saw more than ${budget.budget} requests in some 60 s window: the token
  bucket (\`packages/core/src/transport/pacing.ts\`) lets a burst of a tenth of the budget through and refills
  the rest; requests that arrive bunched by the network can still land in one window.`);
  }
  const duplicates = fleet.cases.reduce((sum, c) => sum + c.duplicateGets, 0);
  if (duplicates > 0) {
    items.push(`- **Duplicate gets.** ${duplicates} gets reached the fake after it had served their run as final: a
  run is settled when its answer is read, so a get already in flight, or a get of a run a list
  missed sent after another page had answered, can still arrive.`);
  }
  return items.length > 0 ? items.join('\n') : '- Fleets: every target was met in this run.';
}
