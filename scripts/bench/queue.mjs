// Queue benchmark (@anyjob/bullmq): N runs over 10 jobs (5 Kognitos processes, 5 TrueFoundry
// applications) of @anyjob/testing's fakes, served by listen() in this process, with runs lasting
// RUN_MS. Two cases against fresh fakes:
//
// - one process (queue-baseline.mjs): triggers every run, then one waitForJobs — the batched figure;
// - the queue: enqueueRuns on a real Redis (Debian's redis-server, a free 127.0.0.1 port, no
//   persistence), WORKERS worker processes (packages/bullmq/test/fixtures/run-worker.mjs) holding
//   every run between them, results read with batchResults until the batch is drained.
//
// Both wait with the same schedule and budget. Figures: requests to the providers (triggers and
// reads) against the one process's, whether each provider's budget held in every window (the token
// bucket's own bound on every pair of requests, which keeps every 60 s window within it), Redis
// memory per run (INFO memory's used_memory, before the enqueue and after the drain, jobs and
// results kept), and the time to drain.
//
//   node scripts/bench/queue.mjs [--quick] [--write]
//
// prints the figures as JSON; --write also replaces the queue section of BENCHMARKS.md (run.mjs
// renders it with the rest of the report).
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { repoRoot } from '../lib/providers.mjs';
import { benchDir } from './paths.mjs';

const require = createRequire(join(repoRoot, 'packages', 'bullmq', 'package.json'));
const load = async (name) => import(pathToFileURL(require.resolve(name)).href);

const WORKER = join(repoRoot, 'packages', 'bullmq', 'test', 'fixtures', 'run-worker.mjs');
const BASELINE = join(benchDir, 'queue-baseline.mjs');
/** Slack for a request's trip from its token to the fake, in the budget check. */
const TRIP_MS = 1_000;

export function queueConfig(quick) {
  return quick
    ? {
        quick,
        n: 200,
        workers: 4,
        runMs: [500, 1_500],
        requestsPerMinute: 30_000,
        wait: { pollIntervalMs: 100, maxPollIntervalMs: 600 },
      }
    : {
        quick: false,
        n: 10_000,
        workers: 4,
        runMs: [10_000, 30_000],
        requestsPerMinute: 30_000,
        wait: { pollIntervalMs: 1_000, maxPollIntervalMs: 30_000 },
      };
}

/** The bench's requests: alternating providers, 5 jobs each, each carrying its number. */
export function requests(n) {
  return Array.from({ length: n }, (_, i) =>
    i % 2 === 0
      ? {
          provider: 'kognitos',
          agentId: 'bench-agent',
          processId: `bench-process-${(i / 2) % 5}`,
          inputs: { n: i },
        }
      : {
          provider: 'truefoundry',
          applicationId: `bench-app-${((i - 1) / 2) % 5}`,
          params: { n: String(i) },
        },
  );
}

/** Fakes whose runs last from runMs[0] to runMs[1] (by the request's number, in 5 steps). */
async function startFake(config) {
  const { createFakeProviders } = await load('@anyjob/testing');
  const { kognitos, truefoundry } = await load('anyjob');
  const fake = await createFakeProviders({ providers: [kognitos, truefoundry] });
  const [low, high] = config.runMs;
  for (const provider of ['kognitos', 'truefoundry']) {
    for (let step = 0; step < 5; step++) {
      const ms = low + ((high - low) * step) / 4;
      fake
        .onTrigger(provider, (request) => {
          const n = Number(request.inputs?.n ?? request.params?.n);
          return Math.floor(n / 2) % 5 === step;
        })
        .script([
          { status: 'queued', ms: ms / 10 },
          { status: 'running', ms: (ms * 9) / 10 },
          { status: 'succeeded' },
        ]);
    }
  }
  const server = await fake.listen();
  return { fake, server };
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = /** @type {import('node:net').AddressInfo} */ (server.address());
      server.close(() => resolve(port));
    });
  });
}

async function startRedis() {
  const port = await freePort();
  const child = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  await /** @type {Promise<void>} */ (
    new Promise((resolve, reject) => {
      let out = '';
      child.stdout.on('data', (chunk) => {
        out += chunk;
        if (out.includes('Ready to accept connections')) resolve();
      });
      child.once('error', (error) =>
        reject(new Error(`redis-server: ${error.message} (apt-get install redis-server)`)),
      );
      child.once('exit', (code) => reject(new Error(`redis-server exited (${code})`)));
    })
  );
  child.stdout.resume();
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    stop: () =>
      new Promise((resolve) => {
        child.removeAllListeners('exit');
        child.once('exit', resolve);
        child.kill('SIGTERM');
      }),
  };
}

function startNode(script, env) {
  const child = spawn(process.execPath, [script], {
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  const ready = /** @type {Promise<void>} */ (
    new Promise((resolve, reject) => {
      child.stdout.on('data', (chunk) => {
        out += chunk;
        if (out.includes('\n')) resolve();
      });
      child.once('exit', (code) =>
        code === 0 ? resolve() : reject(new Error(`${script} exited (${code})`)),
      );
    })
  );
  const exited = new Promise((resolve) => child.once('exit', resolve));
  return { child, ready, exited, output: () => out };
}

/** The worst excess over the token bucket's bound among every pair of requests (≤ 0: held). */
function budgetExcess(times, requestsPerMinute) {
  const capacity = Math.max(1, Math.floor(requestsPerMinute / 10));
  const refillPerMs = Math.max(requestsPerMinute - capacity, 1) / 60_000;
  const sorted = [...times].sort((a, b) => a - b);
  let worst = Number.NEGATIVE_INFINITY;
  let widest = 0;
  let start = 0;
  for (let j = 0; j < sorted.length; j++) {
    // Only windows that could exceed: the bound grows with the width, the count by one per request.
    for (let i = Math.max(0, j - 2 * capacity - 1_000); i <= j; i++) {
      worst = Math.max(worst, j - i + 1 - (capacity + (sorted[j] - sorted[i] + TRIP_MS) * refillPerMs));
    }
    while (sorted[j] - sorted[start] >= 60_000) start++;
    widest = Math.max(widest, j - start + 1);
  }
  return { worst, widest60s: widest, requests: sorted.length };
}

function counts(fake) {
  const all = fake.requests();
  const triggers = all.filter((r) => r.method === 'POST').length;
  return { requests: all.length, triggers, reads: all.length - triggers, all };
}

async function baseline(config) {
  const { fake, server } = await startFake(config);
  try {
    const node = startNode(BASELINE, {
      BASELINE_CONFIG: JSON.stringify({
        baseUrls: server.baseUrls,
        apiKeys: { kognitos: fake.apiKey('kognitos'), truefoundry: fake.apiKey('truefoundry') },
        n: config.n,
        requestsPerMinute: { kognitos: config.requestsPerMinute, truefoundry: config.requestsPerMinute },
        wait: config.wait,
      }),
    });
    await node.exited;
    const phases = JSON.parse(node.output());
    const { requests: total, triggers, reads } = counts(fake);
    return {
      requests: total,
      triggers,
      reads,
      drainMs: phases.ended - phases.started,
      succeeded: phases.succeeded,
    };
  } finally {
    await server.close();
  }
}

async function queue(config) {
  const { Queue } = await load('bullmq');
  const { Redis } = await load('ioredis');
  const { enqueueRuns, batchResults } = await import(
    pathToFileURL(join(repoRoot, 'packages', 'bullmq', 'dist', 'index.js')).href
  );
  const redis = await startRedis();
  const { fake, server } = await startFake(config);
  const client = new Redis(redis.url);
  const queueName = 'bench-runs';
  const runQueue = new Queue(queueName, { connection: { host: '127.0.0.1', port: redis.port } });
  const workers = [];
  try {
    for (let i = 0; i < config.workers; i++) {
      workers.push(
        startNode(WORKER, {
          WORKER_CONFIG: JSON.stringify({
            redisUrl: redis.url,
            queueName,
            budgetPrefix: 'bench:',
            baseUrls: server.baseUrls,
            apiKeys: { kognitos: fake.apiKey('kognitos'), truefoundry: fake.apiKey('truefoundry') },
            worker: `w${i}`,
            concurrency: Math.ceil(config.n / config.workers) + 100,
            requestsPerMinute: { kognitos: config.requestsPerMinute, truefoundry: config.requestsPerMinute },
            wait: config.wait,
          }),
        }),
      );
    }
    await Promise.all(workers.map((worker) => worker.ready));
    const usedMemory = async () => Number(/used_memory:(\d+)/.exec(await client.info('memory'))?.[1]);
    const memoryBefore = await usedMemory();
    const started = Date.now();
    await enqueueRuns(runQueue, requests(config.n), { batchId: 'bench' });
    const outcomes = {};
    let delivered = 0;
    const seen = new Set();
    for await (const result of batchResults(runQueue, 'bench', { pollIntervalMs: 2_000 })) {
      outcomes[result.outcome] = (outcomes[result.outcome] ?? 0) + 1;
      delivered++;
      seen.add(result.index);
    }
    const drainMs = Date.now() - started;
    const memoryAfter = await usedMemory();
    const { requests: total, triggers, reads, all } = counts(fake);
    const budget = Object.fromEntries(
      ['kognitos', 'truefoundry'].map((provider) => [
        provider,
        budgetExcess(
          all.filter((r) => r.provider === provider).map((r) => r.time),
          config.requestsPerMinute,
        ),
      ]),
    );
    const perWorker = Object.fromEntries(
      workers.map((_, i) => [`w${i}`, all.filter((r) => r.headers['x-worker'] === `w${i}`).length]),
    );
    return {
      requests: total,
      triggers,
      reads,
      drainMs,
      outcomes,
      delivered,
      deliveredOnce: seen.size === delivered,
      fakeRuns: fake.runs().length,
      budget,
      perWorker,
      redisBytesPerRun: (memoryAfter - memoryBefore) / config.n,
    };
  } finally {
    for (const worker of workers) worker.child.kill('SIGTERM');
    await Promise.all(workers.map((worker) => worker.exited));
    await runQueue.close();
    client.disconnect();
    await server.close();
    await redis.stop();
  }
}

/**
 * The figures of the queue case (run.mjs: `report.queue`).
 * @param {{ quick?: boolean, log?: (message: string, section?: string) => void }} [options]
 */
export async function measureQueue({ quick = false, log = () => {} } = {}) {
  const config = queueConfig(quick);
  log(`queue: one process, ${config.n} runs triggered then waited for with waitForJobs`);
  const one = await baseline(config);
  log(`queue: ${config.workers} worker processes on Redis, ${config.n} runs`);
  const queued = await queue(config);
  return {
    config,
    baseline: one,
    queue: queued,
    ratio: queued.requests / one.requests,
    readRatio: queued.reads / one.reads,
  };
}

const int = (value) => Math.round(value).toLocaleString('en-US');

/** The queue section of BENCHMARKS.md. */
export function queueSection(report) {
  const q = report.queue;
  if (!q) return 'Not measured in this run.';
  const { config, baseline: one, queue: many } = q;
  const held = Object.values(many.budget).every(
    (b) => b.worst <= 0 && b.widest60s <= config.requestsPerMinute,
  );
  return `${int(config.n)} runs over 10 jobs (5 Kognitos processes, 5 TrueFoundry applications) of
\`@anyjob/testing\`'s fakes served by \`listen()\`, each run lasting ${config.runMs[0] / 1000}–${config.runMs[1] / 1000} s; a budget of
${int(config.requestsPerMinute)} requests a minute per provider; the wait schedule ${int(config.wait.pollIntervalMs)} ms growing to
${int(config.wait.maxPollIntervalMs)} ms in both cases. The queue: \`enqueueRuns\` on Debian's redis-server (no persistence),
${config.workers} worker processes (\`createRunWorker\`, \`regroupMs\` default), results read with \`batchResults\`.
\`node scripts/bench/queue.mjs --write\` (\`scripts/bench/queue.mjs\`).

| | requests | triggers | reads | time to drain |
| --- | ---: | ---: | ---: | ---: |
| one process (trigger all, one \`waitForJobs\`) | ${int(one.requests)} | ${int(one.triggers)} | ${int(one.reads)} | ${(one.drainMs / 1000).toFixed(1)} s |
| ${config.workers} workers on BullMQ | ${int(many.requests)} | ${int(many.triggers)} | ${int(many.reads)} | ${(many.drainMs / 1000).toFixed(1)} s |

- Requests against one process's batched figure: **${q.ratio.toFixed(3)}×** (target ≤ 1.1×: ${q.ratio <= 1.1 ? 'met' : 'not met'}); reads alone ${q.readRatio.toFixed(2)}×
  (each worker waits for its quarter of the runs, so each job's list is read by every worker, and runs
  join a worker's fleet in regroups).
- Budget held in every window: **${held ? 'yes' : 'no'}** (worst excess over the bucket's bound ${Object.entries(
    many.budget,
  )
    .map(([provider, b]) => `${provider} ${b.worst.toFixed(1)}`)
    .join(', ')}; most requests in a 60 s window ${Object.entries(many.budget)
    .map(([provider, b]) => `${provider} ${int(b.widest60s)}`)
    .join(', ')} of ${int(config.requestsPerMinute)})${
    Object.values(many.budget).every((b) => b.widest60s < config.requestsPerMinute / 2)
      ? `. The budget did not bind at this size: the triggers in flight (8 per provider per worker,
  \`triggerConcurrency\`) set the pace; \`test/run-worker.test.ts\` shows it binding at 60 a minute`
      : ''
  }.
- Redis memory per run: **${int(many.redisBytesPerRun)} bytes** (used_memory after the drain minus before, the jobs
  and their results kept; BullMQ's \`removeOnComplete\` frees them).
- Outcomes: ${Object.entries(many.outcomes)
    .map(([outcome, count]) => `${outcome} ${int(count)}`)
    .join(
      ', ',
    )}; ${int(many.delivered)} results delivered, each once: ${many.deliveredOnce ? 'yes' : 'no'}; the fake started ${int(many.fakeRuns)} runs.
- Requests per worker: ${Object.entries(many.perWorker)
    .map(([worker, count]) => `${worker} ${int(count)}`)
    .join(', ')}.`;
}

const START = '<!-- queue:start -->';
const END = '<!-- queue:end -->';

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const quick = process.argv.includes('--quick');
  const figures = await measureQueue({ quick, log: (message) => process.stderr.write(`${message}\n`) });
  process.stdout.write(`${JSON.stringify(figures, null, 1)}\n`);
  if (process.argv.includes('--write') && !quick) {
    const path = join(repoRoot, 'BENCHMARKS.md');
    const text = readFileSync(path, 'utf8');
    const section = `${START}\n${queueSection({ queue: figures })}\n${END}`;
    const at = text.indexOf(START);
    writeFileSync(
      path,
      at >= 0
        ? text.slice(0, at) + section + text.slice(text.indexOf(END) + END.length)
        : `${text.trimEnd()}\n\n## 7. Queued runs on BullMQ (@anyjob/bullmq)\n\n${section}\n`,
    );
  }
}
