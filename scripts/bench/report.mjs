// Renders one `pnpm bench` run as BENCHMARKS.md: machine, every figure and ratio, and the targets.
import { fakeTimeSection, fakeTimeTargets } from './fake-time.mjs';
import { fleetLimits, fleetSection, fleetTargets } from './fleet-report.mjs';
import { mib, table, yes } from './markdown.mjs';
import { queueSection } from './queue.mjs';

const KB = 1000; // sizes and targets in KB of 1,000 bytes: the stricter reading of "4 KB"
const us = (v) => (v === undefined ? '–' : v.toFixed(1));
const ratio = (v) => (v === undefined ? '–' : `${v.toFixed(2)}×`);
const ms = (v) => (v === undefined ? '–' : `${Math.round(v)} ms`);
const kb = (bytes) => `${(bytes / KB).toFixed(2)} KB`;

const OPERATIONS = {
  trigger: 'TrueFoundry trigger (`POST /api/svc/v1/jobs/trigger`)',
  getRun: 'Kognitos get-run (`GET /runs/{run_id}`)',
};

const control = (block) => {
  const c = block['raw fetch (control)'];
  return c ? `; control ${ratio(c.ratio)}` : '';
};

function targets(report) {
  const rows = [];
  const facade = 'anyjob facade';
  for (const mode of ['sequential', 'concurrent']) {
    for (const op of ['trigger', 'getRun']) {
      const block = report.perCall.results[mode][op];
      const f = block[facade];
      rows.push([
        `facade ${op} ${mode}: ≤ 1.05× raw fetch`,
        f ? `${ratio(f.ratio)} (CPU ${ratio(f.cpuRatio)}${control(block)})` : 'facade not built',
        yes(f ? f.ratio <= 1.05 : undefined),
      ]);
      const peer = block['openapi-fetch'];
      rows.push([
        `facade ${op} ${mode}: no slower than openapi-fetch`,
        f ? `${ratio(f.ratio)} vs ${ratio(peer.ratio)}` : 'facade not built',
        yes(f ? f.ratio <= peer.ratio : undefined),
      ]);
    }
  }
  for (const b of report.bundles.filter((b) => b.target === 'trigger')) {
    rows.push([`${b.name}: ≤ 4 KB gzip`, kb(b.gzip), yes(b.gzip <= 4 * KB)]);
  }
  const all = report.bundles.find((b) => b.target === 'facade');
  rows.push([
    'facade with every provider: ≤ 8 KB gzip',
    all ? kb(all.gzip) : 'facade not built',
    yes(all ? all.gzip <= 8 * KB : undefined),
  ]);
  rows.push([
    'fetch-client runtime present once with every provider',
    all ? `${all.runtimeCopies} cop${all.runtimeCopies === 1 ? 'y' : 'ies'}` : 'facade not built',
    yes(all ? all.runtimeCopies === 1 : undefined),
  ]);
  const { cold, cached } = report.codegen;
  rows.push(['`pnpm generate` cold: ≤ 3 s', ms(cold.medianMs), yes(cold.medianMs <= 3000)]);
  rows.push(['`pnpm generate` cached: ≤ 0.5 s', ms(cached.medianMs), yes(cached.medianMs <= 500)]);
  const anyjob = report.imports.find((i) => i.name === 'anyjob');
  const peer = report.imports.find((i) => i.name === 'openapi-fetch');
  rows.push([
    'cold `import("anyjob")`: ≤ 1.5× `import("openapi-fetch")`',
    anyjob
      ? `${anyjob.ratioToOpenapiFetch.toFixed(2)}× (${anyjob.medianMs.toFixed(1)} ms vs ${peer.medianMs.toFixed(1)} ms)`
      : 'facade not built',
    yes(anyjob ? anyjob.ratioToOpenapiFetch <= 1.5 : undefined),
  ]);
  rows.push(...fleetTargets(report.fleet));
  rows.push(...fakeTimeTargets(report.fakeTime));
  return table(['target', 'measured', 'result'], rows);
}

function perCall(report) {
  const { rounds, calls, concurrency } = report.config;
  const sections = [];
  for (const mode of ['sequential', 'concurrent']) {
    for (const op of ['trigger', 'getRun']) {
      const block = report.perCall.results[mode][op];
      const rows = Object.entries(block).map(([name, r]) => [
        name,
        us(r.wallUs),
        ratio(r.ratio),
        us(r.cpuUs),
        ratio(r.cpuRatio),
        ...(mode === 'sequential' ? [us(r.latencyP50Us)] : []),
        r.rounds.map((v) => v.toFixed(0)).join(' / '),
      ]);
      const header = [
        'client',
        'µs per call (median of rounds)',
        'ratio to raw fetch',
        'CPU µs per call',
        'CPU ratio',
        ...(mode === 'sequential' ? ['p50 latency µs'] : []),
        'µs per call, each round',
      ];
      sections.push(
        `#### ${mode === 'sequential' ? 'Sequential' : `${concurrency}-way concurrent`}: ${OPERATIONS[op]}\n\n${table(header, rows)}`,
      );
    }
  }
  return `${rounds} rounds × ${calls} calls per client, per operation and per mode, all clients in one
process (\`scripts/bench/percall.mjs\`), interleaved: each round runs every (mode, operation) block
for every client, the client order rotated per round and each block cut into 4 slices that alternate
between clients, after an untimed warm-up of every block. The
loopback server (\`scripts/bench/server.mjs\`, node:http, keep-alive, one fixed JSON body per route
taken from the spec's 200 example) runs in its own process, so the CPU time below is the client's
alone (\`process.cpuUsage()\` of the client process over the block, ÷ calls, GC included). "µs per
call" is the block's wall time ÷ calls (for the concurrent mode that is the inverse of throughput);
the ratio is paired — client ÷ raw fetch in the same round — and the median over rounds is shown.
Every client reads and parses the whole JSON body. With \`--control\`, "raw fetch (control)" is the
raw fetch code run again as a separate client: how far its ratio is from 1.00× is the noise of the run.

${sections.join('\n\n')}`;
}

function bundles(report) {
  const rows = report.bundles.map((b) => [
    b.name,
    String(b.chunks),
    kb(b.minified),
    kb(b.gzip),
    kb(b.brotli),
    kb(b.atImportGzip),
    b.runtimeCopies === 0 ? '–' : `${b.runtimeCopies} (${kb(b.runtimeBytes)} min)`,
  ]);
  const largest = report.bundles
    .map(
      (b) =>
        `- ${b.name}: ${b.largest.map((i) => `\`${i.path.replace(/^.*node_modules\//, '')}\` ${kb(i.bytes)}`).join(', ')}`,
    )
    .join('\n');
  return `esbuild (bundle, minify, ESM, browser platform, tree-shaking, **code splitting on**), gzip level 9
and brotli quality 11 via node:zlib (\`scripts/bench/bundle.mjs\`). The providers load their
implementation with a dynamic \`import()\`, which a bundler turns into a chunk of its own, so every
size below is the **sum over every chunk the case can load** — the entry, its static imports and
every chunk reachable through a dynamic \`import()\` (from esbuild's metafile), each chunk
compressed alone as a browser fetches it — not the entry file alone. "gzip at import" is the
entry and its static imports only: what loads before the first call. Entries import each
package's sources (\`src/\`, what its \`dist/\` is bundled from), so the metafile can name every
module in a bundle. "Runtime copies" counts how many copies of each module of the generated
fetch-client runtime the loaded chunks hold: 1 means the single \`@anyjob/core/fetch-client\` is shared.

${table(['bundle', 'chunks', 'minified', 'gzip', 'brotli', 'gzip at import', 'runtime copies (runtime bytes)'], rows)}

Largest modules in each bundle (minified bytes in the loaded chunks):

${largest}`;
}

function codegen(report) {
  const c = report.codegen;
  const s = (x) => `${ms(x.medianMs)} (${x.samplesMs.map((v) => Math.round(v)).join(' / ')})`;
  const s2 = (wallMs) => `${(wallMs / 1000).toFixed(1)} s`;
  let suite = 'Never measured: run `pnpm bench --suite`.';
  const when = report.suite?.reused
    ? ` Recorded by \`pnpm bench --suite\` on ${report.suite.date} at commit ${report.suite.commit}
(\`scripts/bench/suite-time.json\`), not in this run.`
    : ' Measured in this run (`--suite`).';
  if (report.suite?.exitCode === 0) {
    suite = `\`pnpm test\` once, wall time: **${s2(report.suite.wallMs)}** — every step of the README's test command
(spec lint, Biome, generate, drift check, build, release checks, typecheck, Prism start-up and the
vitest run), run as CI runs it: in a fresh git worktree of the commit, turbo cache empty, after a
\`pnpm install --frozen-lockfile --prefer-offline\` (${s2(report.suite.installMs)}, not included).${when}`;
  } else if (report.suite) {
    suite = `\`pnpm test\` **failed** (exit ${report.suite.exitCode}) after ${s2(report.suite.wallMs)}, so this is the time up to
the failing step (in a fresh git worktree of the commit), not the suite's time.${when}`;
  }
  return `### Codegen time

Median of samples (\`scripts/bench/codegen.mjs\`). Cold: \`pnpm generate --force\` (turbo skips its cache and runs the
generator; same as with \`.turbo\` removed). Cached: \`pnpm generate\` again with nothing changed.

${table(
  ['what', 'median (samples)'],
  [
    ['`pnpm generate --force` (cold)', s(c.cold)],
    ['`node scripts/generate.mjs` (the generator alone, no pnpm/turbo)', s(c.generatorAlone)],
    ['`pnpm generate` (cached)', s(c.cached)],
    ['`turbo run generate:run` (cached, without pnpm)', s(c.cachedTurboOnly)],
    ['`pnpm --version` (pnpm start-up alone)', s(c.pnpmStartup)],
  ],
)}

### Suite time

${suite}`;
}

function importsAndMemory(report) {
  const imports = table(
    ['module', 'median', 'paired ratio to openapi-fetch', 'min', 'max'],
    report.imports.map((i) => [
      `\`${i.name}\``,
      `${i.medianMs.toFixed(1)} ms`,
      `${i.ratioToOpenapiFetch.toFixed(2)}×`,
      `${i.minMs.toFixed(1)} ms`,
      `${i.maxMs.toFixed(1)} ms`,
    ]),
  );
  const memory = table(
    ['client', 'peak RSS', 'RSS after import + first calls', 'growth during the calls'],
    Object.entries(report.memory)
      .filter(([name]) => name !== 'idleNodeKb')
      .map(([name, m]) => [name, mib(m.maxRssKb), mib(m.rssAfterLoadKb), mib(m.maxRssKb - m.rssAfterLoadKb)]),
  );
  return `### Cold import

\`await import(name)\` timed inside a fresh \`node\` process (Node's own start-up excluded), ${report.imports[0].samples}
samples per module, interleaved, median (\`scripts/bench/import-cost.mjs\`). The probe runs in a directory laid
out like an application's (\`node_modules/anyjob\`, \`node_modules/openapi-fetch\` linked to the packages),
so each package is imported by its name, as an application does, and both sides pay Node's package
resolution. The ratio is paired with openapi-fetch's sample of the same round. The "by file URL" rows
skip the resolution of the top-level import (but not \`anyjob\`'s own \`import "@anyjob/core"\`): Node
sets up its package resolver on the first bare import of a process, which any application has
already paid before it imports anyjob.

${imports}

### Peak RSS per client

Each client alone in its own process (\`percall.mjs\` with one client): import, one warm-up, then one
round of the same sequential and ${report.config.concurrency}-way blocks (${report.config.calls / 4} calls each); peak RSS is
\`process.resourceUsage().maxRSS\` at the end. An idle \`node\` process peaks at ${mib(report.memory.idleNodeKb)}.

${memory}`;
}

/** Why the missed targets are missed, with this run's figures for the parts named. */
function limits(report) {
  const bundle = (prefix) => report.bundles.find((b) => b.name.startsWith(prefix));
  const imported = (prefix) => report.imports.find((i) => i.name.startsWith(prefix));
  const gz = (b) => (b ? kb(b.gzip) : 'n/a');
  const atImport = (b) => (b ? kb(b.atImportGzip) : 'n/a');
  const msOf = (i) => (i ? `${i.medianMs.toFixed(1)} ms` : 'n/a');
  const { pnpmStartup, cachedTurboOnly } = report.codegen;
  return `- **Per-call overhead.** CPU profiles (\`node --cpu-prof\`, 20,000 get-runs each, self time per
  call) of the facade and of \`openapi-fetch\` differ by about 265 µs a call at this change: about
  75 µs is the generated hey-api client's own request path (\`beforeRequest\` and \`request\`, async
  functions that merge the client's config into each call's options and await the auth and
  validator hooks; \`toRequestInit\`; its path serializer), about 15 µs anyjob's transport (timeout,
  per-attempt abort signal, redaction check), about 15 µs the facade's response checks and status
  mapping, about 15 µs each of extra garbage collection and
  string writes, the rest is idle time and undici. Both build a \`Request\` (and its \`Headers\`) per
  call that \`fetch\` builds again, where a hand-built \`fetch\` builds one. Reaching openapi-fetch
  would mean replacing the generated runtime's request path; reaching 1.05× of raw fetch, bypassing it.
- **Bundle size.** The generated fetch-client runtime alone is ${gz(bundle('diagnostic: fetch-client runtime'))} gzip, and request
  validation is on by default (valibot and the generated schemas: the TrueFoundry trigger without
  valibot is ${gz(bundle('diagnostic: TrueFoundry trigger with valibot'))}). 4 KB for one trigger is below what the runtime plus
  validation weigh; the rest of one SDK function's ${gz(bundle('TrueFoundry trigger'))} is the transport every call goes through
  (retries, timeouts, same-origin redirects, size limits, key redaction, logging, tracing hooks,
  the shared request budget: see the largest modules). A provider's descriptor is pure
  (\`/* @__PURE__ */ defineJobProvider(…)\`), so an SDK-function bundle does not pull the provider's
  implementation, and the live conformance checker is an entry of its own (\`@anyjob/core/conformance\`)
  that only a provider's conformance plan imports. The facade can run any of its providers, so its
  bundle holds every provider's implementation as a chunk loaded on that provider's first call, and
  its conformance plan as a chunk only \`anyjob doctor\` loads: ${atImport(bundle('facade, every provider'))} load at import, ${gz(bundle('facade, every provider'))} in all
  (each chunk compressed alone); \`composeAnyJob\` with one provider carries only that one
  (${gz(bundle('facade composed'))} in all, ${atImport(bundle('facade composed'))} at import).
- **\`pnpm generate\` cached.** pnpm's own start-up is ${ms(pnpmStartup.medianMs)} on Node 20 (no compile cache before Node 22);
  turbo's cache hit itself takes ${ms(cachedTurboOnly.medianMs)}.
- **Cold import.** \`import('anyjob')\` loads two modules: the facade (with the providers' descriptors
  bundled in) and \`@anyjob/core\`'s main entry, each one file; a provider's SDK, schemas and valibot
  load on its first call (\`anyjob\` then the TrueFoundry implementation: ${msOf(imported('anyjob, then'))}).
  By file URL, \`anyjob\` (${msOf(imported('diagnostic: anyjob by file URL'))}) pays the first package resolution of the process for its
  \`@anyjob/core\` import, which \`openapi-fetch\` by file URL (${msOf(imported('diagnostic: openapi-fetch by file URL'))}), a single file importing
  nothing, does not; imported by name, as applications do, both pay it. valibot is one module
  compiled whole (${msOf(imported('diagnostic: valibot'))} alone) though about 20 of its functions are used.`;
}

export function renderReport(report) {
  const m = report.machine;
  const load = (l) => l.map((v) => v.toFixed(2)).join(', ');
  return `# Benchmarks

Written by \`pnpm bench\` (\`scripts/bench/run.mjs\`); do not edit by hand — rerun it. Nothing here is a
test: numbers are reported, targets marked met or not.
${
  report.config.quick
    ? `
**A \`pnpm bench --quick\` run**: every section with tiny sizes (fleets of ${(report.fleet?.cases ?? []).map((c) => c.n).join(', ')} runs where
the targets name 1,000 and 10,000), to try the bench's code. Its figures mean nothing.
`
    : ''
}
| machine | |
|---|---|
| CPU | ${m.cpu} |
| cores | ${m.cores} |
| RAM | ${m.ramGiB.toFixed(1)} GiB |
| OS | ${m.platform} |
| Node | ${m.node} |
| date | ${m.date} |
| commit | ${m.commit}${m.dirty ? ' (with uncommitted changes in tracked files)' : ''} |
| load average (1/5/15 min) before / after | ${load(m.loadBefore)} / ${load(m.loadAfter)} |
| whole \`pnpm bench\` | ${(report.totalMs / 1000).toFixed(0)} s${report.suite && !report.suite.reused ? `, of which the suite run ${(report.suite.wallMs / 1000).toFixed(0)} s` : ', without a suite run'} (${report.sections.map((x) => `${x.section} ${(x.ms / 1000).toFixed(0)} s`).join(', ')}) |

A load average above the core count means other work shared the CPU and the timings are noisy.

## Targets

${targets(report)}

## 1. Per-call overhead

${perCall(report)}

## 2. Bundle size

${bundles(report)}

## 3. Codegen and suite time

${codegen(report)}

## 4. Import cost and memory

${importsAndMemory(report)}

## 5. Fleets of runs

${fleetSection(report)}

## 6. What limits the targets that are not met

${limits(report)}
${fleetLimits(report)}

## 7. Testing code on the fake (virtual time)

${fakeTimeSection(report.fakeTime)}

## 8. Queued runs on BullMQ (@anyjob/bullmq)

<!-- queue:start -->
${queueSection(report)}
<!-- queue:end -->
`;
}
