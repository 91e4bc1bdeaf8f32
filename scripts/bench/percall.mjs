// Per-call cost of each client against the loopback server (server.mjs, in another process).
//
//   node --expose-gc percall.mjs <port> <rounds> <calls> <concurrency> <client>...
//
// prints one JSON object. With several clients it interleaves them: every round runs each
// (mode, operation) block for every client, in an order rotated per round and cut into slices
// that alternate between clients, so drift from other load on the machine hits all clients alike. Ratios are paired per round (client ÷ raw fetch in
// the same round and block) and the median over rounds is reported. With one client it is the
// memory run: that client alone in this process, peak RSS read from process.resourceUsage().
import { loadClient } from './clients.mjs';

const OPERATIONS = ['trigger', 'getRun'];
const MODES = ['sequential', 'concurrent'];
const SLICES = 4;

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

async function sequential(call, calls, latencies) {
  for (let i = 0; i < calls; i++) {
    const started = performance.now();
    await call();
    latencies?.push(performance.now() - started);
  }
}

async function concurrent(call, calls, concurrency) {
  let next = 0;
  const worker = async () => {
    while (next < calls) {
      next++;
      await call();
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
}

/** Runs one block and returns wall and CPU microseconds per call. */
async function block(client, operation, mode, calls, concurrency, latencies) {
  globalThis.gc?.();
  const call = client[operation];
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  if (mode === 'sequential') await sequential(call, calls, latencies);
  else await concurrent(call, calls, concurrency);
  const wallUs = ((performance.now() - started) * 1000) / calls;
  const cpu = process.cpuUsage(cpuBefore);
  return { wallUs, cpuUs: (cpu.user + cpu.system) / calls };
}

export async function run({ port, rounds, calls, concurrency, names }) {
  const baseUrl = `http://127.0.0.1:${port}`;
  const loaded = [];
  for (const name of names) loaded.push({ name, client: await loadClient(name, baseUrl) });
  const rssAfterLoadKb = process.resourceUsage().maxRSS;

  // Warm-up: JIT, keep-alive sockets of the pool, lazily loaded undici internals.
  const warmup = Math.max(100, calls >> 3);
  for (const { client } of loaded) {
    for (const operation of OPERATIONS) {
      for (const mode of MODES) await block(client, operation, mode, warmup, concurrency);
    }
  }

  const samples = {}; // samples[mode][operation][name] = [{ wallUs, cpuUs }] per round
  const latencies = {}; // sequential per-call latencies in ms, pooled over rounds
  for (const mode of MODES) {
    samples[mode] = {};
    for (const operation of OPERATIONS) {
      samples[mode][operation] = Object.fromEntries(names.map((n) => [n, []]));
    }
  }
  for (const operation of OPERATIONS) latencies[operation] = Object.fromEntries(names.map((n) => [n, []]));

  for (let round = 0; round < rounds; round++) {
    const order = loaded.map((_, i) => loaded[(i + round) % loaded.length]);
    for (const mode of MODES) {
      for (const operation of OPERATIONS) {
        // A round's block of `calls` runs as SLICES slices, alternating between clients, so a
        // burst of outside load lands on every client's block rather than on one.
        const totals = new Map(order.map(({ name }) => [name, { wallUs: 0, cpuUs: 0 }]));
        for (let slice = 0; slice < SLICES; slice++) {
          for (const { name, client } of order) {
            const pooled = mode === 'sequential' ? latencies[operation][name] : undefined;
            const part = await block(client, operation, mode, calls / SLICES, concurrency, pooled);
            const total = /** @type {{ wallUs: number, cpuUs: number }} */ (totals.get(name));
            total.wallUs += part.wallUs / SLICES;
            total.cpuUs += part.cpuUs / SLICES;
          }
        }
        for (const [name, total] of totals) samples[mode][operation][name].push(total);
      }
    }
  }

  const results = {};
  for (const mode of MODES) {
    results[mode] = {};
    for (const operation of OPERATIONS) {
      const byName = samples[mode][operation];
      const floor = byName['raw fetch'];
      results[mode][operation] = Object.fromEntries(
        names.map((name) => {
          const rows = byName[name];
          return [
            name,
            {
              wallUs: median(rows.map((r) => r.wallUs)),
              cpuUs: median(rows.map((r) => r.cpuUs)),
              latencyP50Us: mode === 'sequential' ? median(latencies[operation][name]) * 1000 : undefined,
              ratio: floor ? median(rows.map((r, i) => r.wallUs / floor[i].wallUs)) : undefined,
              cpuRatio: floor ? median(rows.map((r, i) => r.cpuUs / floor[i].cpuUs)) : undefined,
              rounds: rows.map((r) => r.wallUs),
            },
          ];
        }),
      );
    }
  }
  return { results, rssAfterLoadKb, maxRssKb: process.resourceUsage().maxRSS };
}

if (process.argv[1] === new URL(import.meta.url).pathname) {
  const [port, rounds, calls, concurrency, ...names] = process.argv.slice(2);
  const result = await run({
    port: Number(port),
    rounds: Number(rounds),
    calls: Number(calls),
    concurrency: Number(concurrency),
    names,
  });
  process.stdout.write(`${JSON.stringify(result)}\n`);
}
