#!/usr/bin/env node
// A loopback emulator of the TrueFoundry and Kognitos job-run APIs (specs/truefoundry.yaml,
// specs/kognitos.yaml), for fault tests, fleet benchmarks and the runtime smoke suite. Unlike
// Prism it keeps state: a triggered run exists, progresses with time (queued → running → final)
// and is listed with the providers' real pagination. It also injects faults per route and
// records every request, so a test can count duplicate and lost runs from the server's own books.
//
//   import { startEmulator } from '../lib/provider-emulator.mjs';
//   const emulator = await startEmulator({ timeScale: 0.01, durationMs: [5_000, 20_000], seed: 7 });
//   emulator.setFault('truefoundry.triggerJob', { type: 'status', status: 502, sideEffect: true });
//   ... createAnyJob({ truefoundry: { apiKey: emulator.keys.truefoundry, baseUrl: emulator.urls.truefoundry } }) ...
//   emulator.runs({ provider: 'truefoundry' }).length; emulator.count('truefoundry.triggerJob');
//   await emulator.close();
//
// As a child process: `node scripts/lib/provider-emulator.mjs --time-scale 0.01` prints one JSON
// line `{"urls":{"truefoundry":…,"kognitos":…},"keys":{…},"pid":…}` and serves until killed. Both
// servers answer `GET /__emulator/stats`, `/__emulator/runs`, `/__emulator/requests`, and take
// `POST /__emulator/faults` (`{route, ...fault}`), `DELETE /__emulator/faults`, `POST /__emulator/reset`.
//
// No dependencies beyond node: (it starts in a few milliseconds and runs under any Node ≥ 20).
// Types: the JSDoc typedefs below (EmulatorOptions in, Emulator out).
import { createServer, STATUS_CODES } from 'node:http';
import { Readable } from 'node:stream';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { createGzip } from 'node:zlib';

// --- types (what a test or script sees: EmulatorOptions in, Emulator out) --------------------

/** @typedef {'truefoundry' | 'kognitos'} Provider */

/**
 * `<provider>.<operationId>` of specs/<provider>.yaml.
 * @typedef {`truefoundry.${(typeof ROUTES)['truefoundry'][number]}` | `kognitos.${(typeof ROUTES)['kognitos'][number]}`} RouteName
 */
/**
 * A route, every route of one provider, or every route.
 * @typedef {RouteName | `${Provider}.*` | '*'} RouteSelector
 */

/**
 * @typedef {object} DrawInfo
 * @property {Provider} provider
 * @property {string} job TrueFoundry: the application id; Kognitos: `agentId/processId`.
 * @property {number} index Index of the run within its job (0 for the first), so draws are repeatable per job.
 */

/**
 * A duration in provider milliseconds (multiplied by `timeScale` before use): a fixed number,
 * `[min, max]` drawn uniformly, or a function of the run and its seeded PRNG.
 * @typedef {number | [number, number] | ((info: DrawInfo, random: () => number) => number)} DurationSpec
 */

/**
 * @typedef {object} EmulatorOptions
 * @property {Partial<Record<Provider, string>>} [apiKeys] Keys the servers accept. Default
 *   `{ truefoundry: 'tfy-emulator-key', kognitos: 'kognitos-emulator-key' }`.
 * @property {number} [timeScale] Multiplies every run duration (0.01 turns 60 s into 600 ms). Default 1.
 *   Fault delays are not scaled.
 * @property {number} [seed] PRNG seed: the same seed gives the same durations and outcomes per job. Default 1.
 * @property {DurationSpec} [queueMs] Time a run stays queued (first half CREATED/Created, second half
 *   SCHEDULED/Pending). Default [200, 1000].
 * @property {DurationSpec} [durationMs] Time a run stays running before it is final. Default [1000, 5000].
 * @property {DurationSpec} [terminationMs] TrueFoundry: time from a terminate request
 *   (TERMINATION_REQUESTED) to TERMINATED. Default [500, 2000].
 * @property {number} [failureRate] Share of runs that end FAILED / Failed. Default 0.
 * @property {() => number} [clock] Milliseconds since the epoch, fractional. Default
 *   `performance.timeOrigin + performance.now()`.
 * @property {boolean} [recordRequests] Keep every request (default). false keeps only counts, for long benchmarks.
 * @property {Partial<Record<Provider, number>>} [ports] Fixed ports instead of free ones (0).
 * @property {{ applications?: string[] | Record<string, { deploymentId?: string, name?: string }> }} [truefoundry]
 *   `applications`: the applications that exist (others answer 404). Default: any id exists.
 *   Deployment ids default to `<applicationId>-dep`.
 * @property {{ agents?: Record<string, string[]> }} [kognitos] `agents`: the agents and their process
 *   ids that exist (others answer 404). Default: any.
 */

/**
 * Run state in anyjob's words, next to the provider's own `status`.
 * @typedef {'queued' | 'running' | 'succeeded' | 'failed' | 'canceled'} RunState
 */

/**
 * @typedef {object} EmulatedRun
 * @property {Provider} provider
 * @property {string} id TrueFoundry: the JobRun id; Kognitos: the run id (what `GET /runs/{run_id}` takes).
 * @property {string} name TrueFoundry: `jobRunName`; Kognitos: the run's `name`.
 * @property {string} job
 * @property {string | null} alias TrueFoundry `metadata.job_run_name_alias`; Kognitos `name`: what a
 *   test uses to find duplicates.
 * @property {string} status The provider's status now (`RUNNING`, `Succeeded`, …).
 * @property {RunState} state
 * @property {boolean} final
 * @property {'succeeded' | 'failed' | 'canceled'} outcome The final outcome the run has (or will have):
 *   `canceled` once termination was requested.
 * @property {number} createdAt Server times, ms since the epoch (fractional).
 * @property {number} runningAt
 * @property {number} finalAt When the run becomes (became) final: the detection-lag baseline.
 * @property {number | null} finalServedAt When a get or list first served this run in a final status;
 *   null until then.
 * @property {number | null} terminationRequestedAt
 * @property {number | null} createdByRequest Id of the request that created the run (see `requests()`);
 *   null for seeded runs.
 * @property {boolean} seeded
 * @property {boolean} deleted
 * @property {string} [applicationId]
 * @property {string} [deploymentId]
 * @property {string} [agentId]
 * @property {string} [processId]
 * @property {string} [stage]
 */

/**
 * @typedef {object} RecordedRequest
 * @property {number} id 1, 2, 3… in arrival order.
 * @property {Provider} provider
 * @property {RouteName | null} route null when no route matched (the answer was 404).
 * @property {string} method
 * @property {string} path
 * @property {string} url Path and query as sent.
 * @property {Record<string, string | string[]>} query A repeated key gives an array.
 * @property {Record<string, string | string[] | undefined>} headers Lower-case names.
 * @property {string} body
 * @property {number} time Arrival time (body read), ms since the epoch.
 * @property {number | null} status Status answered; null when the connection was reset, held or is still waiting.
 * @property {'pending' | 'answered' | 'reset' | 'held' | 'delayed' | 'cut' | 'streaming' | 'client-gone'} outcome
 * @property {number | null} answeredAt
 * @property {FaultType | null} fault
 * @property {string | null} createdRunId The run this request created, if any: with
 *   `EmulatedRun.createdByRequest` this accounts for every run.
 * @property {number | null} bytesWritten huge-body, gzip-bomb, cut-body: body bytes flushed to the
 *   socket before it ended or the client left.
 */

/** @typedef {(typeof FAULT_TYPES)[number]} FaultType */

/**
 * @typedef {object} FaultBase
 * @property {number | 'always'} [times] How many matching requests it applies to: default 1;
 *   `Infinity` or 'always' for every one.
 * @property {Record<string, string>} [headers] Extra response headers.
 */

/**
 * Hold the request and never answer (until close/reset).
 * @typedef {FaultBase & { type: 'timeout', sideEffect?: boolean }} TimeoutFault
 */
/**
 * Destroy the socket without handling the request.
 * @typedef {FaultBase & { type: 'reset-before' }} ResetBeforeFault
 */
/**
 * Handle the request (the run is created), then destroy the socket.
 * @typedef {FaultBase & { type: 'reset-after' }} ResetAfterFault
 */
/**
 * Answer this status with the provider's error body (or `body`), optionally with Retry-After.
 * @typedef {FaultBase & { type: 'status', status: number, retryAfter?: number | string, body?: unknown, contentType?: string, sideEffect?: boolean }} StatusFault
 */
/**
 * Handle it, send its status and a Content-Length larger than the bytes sent, then destroy.
 * @typedef {FaultBase & { type: 'cut-body', sentBytes?: number, declaredLength?: number }} CutBodyFault
 */
/**
 * Answer 200 (or `status`) with a body that is not JSON (default an HTML page, content type JSON).
 * @typedef {FaultBase & { type: 'invalid-json', body?: string, contentType?: string, status?: number, sideEffect?: boolean }} InvalidJsonFault
 */
/**
 * Answer 307 (or `status`) with Location (default the request's own path and query).
 * @typedef {FaultBase & { type: 'redirect', status?: number, location?: string, sideEffect?: boolean }} RedirectFault
 */
/**
 * Stream `bytes` (default 100 MiB) of a JSON string; `bytesWritten` counts what was flushed.
 * @typedef {FaultBase & { type: 'huge-body', bytes?: number, contentLength?: boolean, status?: number, sideEffect?: boolean }} HugeBodyFault
 */
/**
 * Content-Encoding gzip body inflating to `inflatedBytes` (default 1 GiB, ~1 MB on the wire).
 * @typedef {FaultBase & { type: 'gzip-bomb', inflatedBytes?: number, status?: number, sideEffect?: boolean }} GzipBombFault
 */
/**
 * Handle the request at once, answer after `ms` (real milliseconds).
 * @typedef {FaultBase & { type: 'delay', ms: number }} DelayFault
 */
/**
 * `sideEffect`: run the route's handler first (create the run, terminate it, …), then fail.
 * Defaults: timeout false, status false, redirect false, invalid-json/huge-body/gzip-bomb true.
 * @typedef {TimeoutFault | ResetBeforeFault | ResetAfterFault | StatusFault | CutBodyFault | InvalidJsonFault | RedirectFault | HugeBodyFault | GzipBombFault | DelayFault} Fault
 */

/**
 * @template {FaultType} T
 * @typedef {Omit<Extract<Fault, { type: T }>, 'type'>} FaultParams
 */

/**
 * @typedef {RouteName | Provider | Partial<Pick<RecordedRequest, 'provider' | 'route' | 'method' | 'path' | 'fault' | 'status'>> | ((request: RecordedRequest) => boolean)} RequestFilter
 */

/**
 * `deleted`: default false, deleted runs are left out.
 * @typedef {{ provider?: Provider, job?: string, alias?: string | null, state?: RunState, seeded?: boolean, deleted?: boolean } | ((run: EmulatedRun) => boolean)} RunFilter
 */

/**
 * @typedef {object} SeedOptions
 * @property {boolean} [final] Default true: history, every run final by `endAt`. false: runs created
 *   now that progress as usual.
 * @property {number} [spacingMs] History: provider ms between creations (scaled by timeScale). Default 60 000.
 * @property {number} [endAt] History: every run is final by this time (ms since the epoch). Default now.
 * @property {DurationSpec} [queueMs]
 * @property {DurationSpec} [durationMs]
 * @property {number} [failureRate]
 * @property {'Draft' | 'Published'} [stage] Kognitos stage. Default 'Published'.
 * @property {string} [namePrefix] Kognitos run names: `<namePrefix> <i>`. Default 'seeded run'.
 * @property {string} [triggeredBy] TrueFoundry triggeredBy.
 */

/**
 * @typedef {object} EmulatorStats
 * @property {Record<Provider, string>} urls
 * @property {number} uptimeMs
 * @property {number} requests Requests received (admin routes and CORS preflights excluded).
 * @property {number} preflights
 * @property {Record<string, number>} byRoute
 * @property {Record<string, number>} byStatus
 * @property {Record<string, number>} faults `<route>:<fault type>` → times it struck.
 * @property {Record<string, Fault[]>} pendingFaults
 * @property {Record<Provider, { total: number, seeded: number, deleted: number, byState: Record<RunState, number> }>} runs
 */

/**
 * Queues a fault for the next matching request(s); several queue in order.
 * @typedef {{
 *   (route: RouteSelector, fault: Fault): void;
 *   <T extends FaultType>(route: RouteSelector, type: T, params?: FaultParams<T>): void;
 * }} SetFault
 */

/**
 * What startEmulator returns.
 * @typedef {object} Emulator
 * @property {Readonly<Record<Provider, string>>} urls TrueFoundry: the origin (paths `/api/svc/v1/...`);
 *   Kognitos: `<origin>/v2`.
 * @property {Readonly<Record<Provider, string>>} keys
 * @property {number} timeScale
 * @property {() => number} now The emulator's clock (ms since the epoch).
 * @property {(filter?: RunFilter) => EmulatedRun[]} runs Snapshots of the runs (deleted ones left out
 *   unless asked for), in creation order.
 * @property {(filter?: RequestFilter) => RecordedRequest[]} requests
 * @property {(filter?: RequestFilter) => number} count Requests received, in all or matching the
 *   filter (a route name is O(1)).
 * @property {() => EmulatorStats} stats
 * @property {SetFault} setFault Queues a fault for the next matching request(s); several queue in order.
 * @property {(route?: RouteSelector) => void} clearFaults
 * @property {(provider: Provider, job: string | { agentId: string, processId: string }, n: number, options?: SeedOptions) => EmulatedRun[]} seedRuns
 *   Creates runs without HTTP. TrueFoundry job: the application id; Kognitos: 'agent/process' or ids.
 * @property {() => void} reset Forgets runs, requests and faults; ends held requests.
 * @property {() => Promise<void>} close
 */

export const PROVIDERS = /** @type {const} */ (['truefoundry', 'kognitos']);

/** Route names (`<provider>.<operationId>` of the specs) that faults, filters and counts use. */
export const ROUTES = /** @type {const} */ ({
  truefoundry: ['triggerJob', 'getJobRun', 'listJobRuns', 'terminateJobRun', 'deleteJobRun'],
  kognitos: ['getHealth', 'listProcesses', 'getProcess', 'listRuns', 'startRun', 'getRun', 'createFile'],
});

export const FAULT_TYPES = /** @type {const} */ ([
  'timeout',
  'reset-before',
  'reset-after',
  'status',
  'cut-body',
  'invalid-json',
  'redirect',
  'huge-body',
  'gzip-bomb',
  'delay',
]);

/**
 * Whether a fault runs the route's handler (creates the run, terminates it, …) before it strikes,
 * when the caller does not say. `null`: fixed, the caller cannot choose.
 */
const SIDE_EFFECT_DEFAULTS = {
  timeout: false,
  'reset-before': null,
  'reset-after': null,
  status: false,
  'cut-body': null,
  'invalid-json': true,
  redirect: false,
  'huge-body': true,
  'gzip-bomb': true,
  delay: null,
};
const SIDE_EFFECT_FIXED = { 'reset-before': false, 'reset-after': true, 'cut-body': true, delay: true };

const DEFAULT_KEYS = { truefoundry: 'tfy-emulator-key', kognitos: 'kognitos-emulator-key' };
const KOGNITOS_PREFIX = '/v2';
const TF_PREFIX = '/api/svc/v1/jobs';
const TF_STATUSES = [
  'CREATED',
  'SCHEDULED',
  'RUNNING',
  'FINISHED',
  'FAILED',
  'TERMINATION_REQUESTED',
  'TERMINATING',
  'TERMINATED',
  'UNKNOWN',
];
const TF_SORT_FIELDS = ['startTime', 'duration', 'deploymentVersion', 'triggeredBy', 'status'];
const KOGNITOS_STAGES = ['Draft', 'Published'];
const RESOURCE_ID = /^[a-zA-Z0-9-_]{1,26}$/;
const CORS_HEADERS = {
  'access-control-allow-origin': '*',
  'access-control-allow-headers': 'authorization, x-api-key, content-type',
  'access-control-allow-methods': 'GET, POST, DELETE, OPTIONS',
  'access-control-expose-headers': 'retry-after, content-length, content-type, location',
  'access-control-max-age': '600',
};

// ---------------------------------------------------------------------------------------------
// Repeatable randomness: every run draws from its own PRNG, seeded from (seed, provider, job,
// index of the run within its job), so a run's durations and outcome do not depend on how
// concurrent triggers of other jobs interleave.

function hashString(text) {
  // cyrb53 (public domain): a fast 53-bit string hash.
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ ch, 2654435761);
    h2 = Math.imul(h2 ^ ch, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return 4294967296 * (2097151 & h2) + (h1 >>> 0);
}

/** mulberry32: a small, fast, seedable PRNG returning floats in [0, 1). */
function mulberry32(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** @param {DurationSpec} spec */
function draw(spec, info, random, name) {
  let value;
  if (typeof spec === 'function') value = spec(info, random);
  else if (Array.isArray(spec)) value = spec[0] + random() * (spec[1] - spec[0]);
  else value = spec;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new Error(`provider emulator: ${name} gave ${value}; durations are finite numbers ≥ 0 (ms)`);
  }
  return value;
}

function checkDurationSpec(spec, name) {
  if (typeof spec === 'function') return;
  if (typeof spec === 'number' && spec >= 0 && Number.isFinite(spec)) return;
  if (
    Array.isArray(spec) &&
    spec.length === 2 &&
    spec.every((n) => Number.isFinite(n) && n >= 0) &&
    spec[0] <= spec[1]
  )
    return;
  throw new TypeError(`provider emulator: ${name} must be [min, max] ms, a number of ms or a function`);
}

// ---------------------------------------------------------------------------------------------
// Small helpers

function base36(n, width) {
  return n.toString(36).padStart(width, '0');
}

function encodeToken(value) {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

function decodeToken(token) {
  try {
    const value = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
    return value !== null && typeof value === 'object' ? value : undefined;
  } catch {
    return undefined;
  }
}

function queryObject(searchParams) {
  /** @type {Record<string, string | string[]>} */
  const query = {};
  for (const [key, value] of searchParams) {
    const existing = query[key];
    if (existing === undefined) query[key] = value;
    else if (Array.isArray(existing)) existing.push(value);
    else query[key] = [existing, value];
  }
  return query;
}

function readBody(req) {
  return new Promise((resolve) => {
    const chunks = [];
    req.on('data', (chunk) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', () => resolve(Buffer.concat(chunks).toString('utf8')));
  });
}

/** Lower bound: the first index in `runs` (ascending `seq`) whose seq is ≥ `seq`. */
function indexOfSeq(runs, seq) {
  let lo = 0;
  let hi = runs.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (runs[mid].seq < seq) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

const gzipBombCache = new Map();
/** A gzip body that inflates to `size` bytes of JSON (`{"data":"aaaa…"}`), built once per size. */
async function gzipBomb(size) {
  let cached = gzipBombCache.get(size);
  if (!cached) {
    cached = (async () => {
      const block = Buffer.alloc(1 << 20, 0x61);
      async function* body() {
        yield Buffer.from('{"data":"');
        let left = Math.max(0, size - 11);
        while (left > 0) {
          const n = Math.min(left, block.length);
          yield n === block.length ? block : block.subarray(0, n);
          left -= n;
        }
        yield Buffer.from('"}');
      }
      const chunks = [];
      for await (const chunk of Readable.from(body()).pipe(createGzip({ level: 9 }))) chunks.push(chunk);
      return Buffer.concat(chunks);
    })();
    gzipBombCache.set(size, cached);
  }
  return cached;
}

// ---------------------------------------------------------------------------------------------

/**
 * Starts one HTTP server per provider on 127.0.0.1 (free ports). See the typedefs above for
 * the options and the returned API.
 * @param {EmulatorOptions} [options]
 * @returns {Promise<Emulator>}
 */
export async function startEmulator(options = {}) {
  const keys = { ...DEFAULT_KEYS, ...options.apiKeys };
  const timeScale = options.timeScale ?? 1;
  if (!(timeScale > 0) || !Number.isFinite(timeScale))
    throw new TypeError('provider emulator: timeScale must be > 0');
  const seed = options.seed ?? 1;
  const queueMs = options.queueMs ?? [200, 1_000];
  const durationMs = options.durationMs ?? [1_000, 5_000];
  const terminationMs = options.terminationMs ?? [500, 2_000];
  const failureRate = options.failureRate ?? 0;
  checkDurationSpec(queueMs, 'queueMs');
  checkDurationSpec(durationMs, 'durationMs');
  checkDurationSpec(terminationMs, 'terminationMs');
  if (!(failureRate >= 0 && failureRate <= 1))
    throw new TypeError('provider emulator: failureRate must be in [0, 1]');
  const clock = options.clock ?? (() => performance.timeOrigin + performance.now());
  const recordRequests = options.recordRequests ?? true;
  const host = '127.0.0.1';

  // Known jobs: without a list every id is accepted (and the job springs into existence).
  const tfApplications = options.truefoundry?.applications;
  const kognitosAgents = options.kognitos?.agents;

  // --- state -----------------------------------------------------------------------------------
  let state;
  function freshState() {
    return {
      seq: { truefoundry: 0, kognitos: 0 },
      /** @type {Map<string, any>} TrueFoundry runs by name */
      tfRunsByName: new Map(),
      /** @type {Map<string, any>} Kognitos runs by id */
      kgRunsById: new Map(),
      /** @type {Map<string, { runs: any[], byCreatedAt: boolean }>} per provider+job, ascending seq */
      jobs: new Map(),
      /** Every run ever created, in creation order (deleted ones too). */
      allRuns: [],
      /** TrueFoundry deployments ↔ applications. */
      tfDeploymentToApp: new Map(),
      tfAppToDeployment: new Map(),
      /** Kognitos processes seen per agent (insertion order). */
      kgProcesses: new Map(),
      requests: [],
      requestSeq: 0,
      routeCounts: new Map(),
      statusCounts: new Map(),
      faultCounts: new Map(),
      preflights: 0,
      /** @type {Map<string, any[]>} */
      faults: new Map(),
      files: new Map(),
    };
  }
  state = freshState();
  const startedAt = clock();

  /** Timers and held responses, all cleared by close(). */
  const timers = new Set();
  const heldResponses = new Set();

  function later(ms, fn) {
    const timer = setTimeout(() => {
      timers.delete(timer);
      fn();
    }, ms);
    timers.add(timer);
  }

  function jobKey(provider, job) {
    return `${provider}\u0000${job}`;
  }

  function jobEntry(provider, job) {
    const key = jobKey(provider, job);
    let entry = state.jobs.get(key);
    if (!entry) {
      entry = { runs: [], byCreatedAt: true };
      state.jobs.set(key, entry);
    }
    return entry;
  }

  function tfDeploymentFor(applicationId) {
    let deploymentId = state.tfAppToDeployment.get(applicationId);
    if (!deploymentId) {
      const configured = Array.isArray(tfApplications)
        ? undefined
        : tfApplications?.[applicationId]?.deploymentId;
      deploymentId = configured ?? `${applicationId}-dep`;
      state.tfAppToDeployment.set(applicationId, deploymentId);
      state.tfDeploymentToApp.set(deploymentId, applicationId);
    }
    return deploymentId;
  }

  function tfApplicationKnown(applicationId) {
    if (tfApplications === undefined) return true;
    return Array.isArray(tfApplications)
      ? tfApplications.includes(applicationId)
      : Object.hasOwn(tfApplications, applicationId);
  }

  function tfApplicationForDeployment(deploymentId) {
    const known = state.tfDeploymentToApp.get(deploymentId);
    if (known) return known;
    if (tfApplications !== undefined) {
      const ids = Array.isArray(tfApplications) ? tfApplications : Object.keys(tfApplications);
      for (const id of ids) if (tfDeploymentFor(id) === deploymentId) return id;
      return undefined;
    }
    // Open mode: a deployment id names its own application (`<app>-dep` maps back to `<app>`).
    const applicationId = deploymentId.endsWith('-dep') ? deploymentId.slice(0, -4) : deploymentId;
    state.tfAppToDeployment.set(applicationId, deploymentId);
    state.tfDeploymentToApp.set(deploymentId, applicationId);
    return applicationId;
  }

  function kognitosProcessKnown(agentId, processId) {
    if (kognitosAgents === undefined) return true;
    return Object.hasOwn(kognitosAgents, agentId) && kognitosAgents[agentId].includes(processId);
  }

  function kognitosAgentKnown(agentId) {
    return kognitosAgents === undefined || Object.hasOwn(kognitosAgents, agentId);
  }

  /**
   * Creates a run. `at` is its creation time; durations are drawn from the run's own PRNG and
   * scaled by timeScale.
   * @param {string} provider @param {any} fields
   * @param {{ at?: number, overrides?: Record<string, any>, request?: any }} [options]
   */
  function createRun(provider, fields, { at = clock(), overrides = {}, request = null } = {}) {
    const job = provider === 'truefoundry' ? fields.applicationId : `${fields.agentId}/${fields.processId}`;
    const entry = jobEntry(provider, job);
    const index = entry.runs.length + (entry.deleted ?? 0);
    const info = { provider, job, index };
    const random = mulberry32(hashString(`${seed}|${provider}|${job}|${index}`));
    const queue = draw(overrides.queueMs ?? queueMs, info, random, 'queueMs') * timeScale;
    const duration = draw(overrides.durationMs ?? durationMs, info, random, 'durationMs') * timeScale;
    const rate = overrides.failureRate ?? failureRate;
    const failed = random() < rate;
    const seq = ++state.seq[provider];
    const run = {
      provider,
      seq,
      id: provider === 'truefoundry' ? `tfr${base36(seq, 21)}` : `kr${base36(seq, 23)}`,
      name: '',
      job,
      alias: fields.alias ?? null,
      createdAt: at,
      scheduledAt: at + queue / 2,
      runningAt: at + queue,
      naturalFinalAt: at + queue + duration,
      finalAt: at + queue + duration,
      outcome: failed ? 'failed' : 'succeeded',
      terminationRequestedAt: null,
      finalServedAt: null,
      createdByRequest: request?.id ?? null,
      seeded: request === null,
      deleted: false,
      random,
      fields,
    };
    if (provider === 'truefoundry') {
      run.name = `${fields.applicationName}-${base36(seq, 5)}`;
      state.tfRunsByName.set(run.name, run);
    } else {
      run.name = fields.name;
      state.kgRunsById.set(run.id, run);
      let processes = state.kgProcesses.get(fields.agentId);
      if (!processes) {
        processes = new Set();
        state.kgProcesses.set(fields.agentId, processes);
      }
      processes.add(fields.processId);
    }
    const last = entry.runs.at(-1);
    if (last && last.createdAt > run.createdAt) entry.byCreatedAt = false;
    entry.runs.push(run);
    state.allRuns.push(run);
    if (request) request.createdRunId = run.id;
    return run;
  }

  /** Where a run is at time `t`: queued-early, queued-late, running, terminating, or its final outcome. */
  function phaseAt(run, t) {
    if (run.terminationRequestedAt !== null) return t >= run.finalAt ? 'terminated' : 'terminating';
    if (t >= run.finalAt) return run.outcome;
    if (t >= run.runningAt) return 'running';
    return t >= run.scheduledAt ? 'scheduled' : 'created';
  }

  const TF_STATUS_OF = {
    created: 'CREATED',
    scheduled: 'SCHEDULED',
    running: 'RUNNING',
    succeeded: 'FINISHED',
    failed: 'FAILED',
    terminating: 'TERMINATION_REQUESTED',
    terminated: 'TERMINATED',
  };
  const KOGNITOS_STATUS_OF = {
    created: 'Created',
    scheduled: 'Pending',
    running: 'Running',
    succeeded: 'Succeeded',
    failed: 'Failed',
    terminating: 'Running',
    terminated: 'Cancelled',
  };
  const STATE_OF = {
    created: 'queued',
    scheduled: 'queued',
    running: 'running',
    terminating: 'running',
    succeeded: 'succeeded',
    failed: 'failed',
    terminated: 'canceled',
  };

  function providerStatus(run, t) {
    const phase = phaseAt(run, t);
    return run.provider === 'truefoundry' ? TF_STATUS_OF[phase] : KOGNITOS_STATUS_OF[phase];
  }

  function isFinalAt(run, t) {
    return t >= run.finalAt;
  }

  function noteServed(run, t) {
    if (run.finalServedAt === null && isFinalAt(run, t)) run.finalServedAt = t;
  }

  function tfJobRun(run, t) {
    const final = isFinalAt(run, t);
    const phase = phaseAt(run, t);
    const f = run.fields;
    const started = t >= run.runningAt;
    return {
      id: run.id,
      name: run.name,
      applicationName: f.applicationName,
      deploymentVersion: '1',
      createdAt: Math.round(run.createdAt),
      endTime: final ? Math.round(run.finalAt) : null,
      duration: final && started ? Math.round((run.finalAt - run.runningAt) / 1000) : null,
      command: f.command,
      totalRetries: 0,
      error: phase === 'failed' ? 'Container exited with non-zero exit code: 1' : null,
      status: TF_STATUS_OF[phase],
      triggeredBy: f.triggeredBy,
      triggeredBySubject: {
        subjectId: 'emulator-subject',
        subjectType: 'user',
        subjectSlug: f.triggeredBy,
        subjectDisplayName: 'Emulator User',
      },
      exitCode: phase === 'succeeded' ? 0 : phase === 'failed' ? 1 : null,
      sparkUi: null,
      applicationId: f.applicationId,
      deploymentId: f.deploymentId,
      tenantName: 'emulator',
    };
  }

  function kognitosRun(run, t) {
    const phase = phaseAt(run, t);
    const f = run.fields;
    return {
      id: run.id,
      name: run.name,
      agent_id: f.agentId,
      process_id: f.processId,
      stage: f.stage,
      status: KOGNITOS_STATUS_OF[phase],
      created_at: new Date(run.createdAt).toISOString().slice(0, 19),
      file_ids: f.fileIds,
      outputs:
        phase === 'succeeded'
          ? [
              { name: 'result', value: 'ok' },
              { name: 'inputs', value: f.inputs?.length ?? 0 },
            ]
          : null,
    };
  }

  /** The public, JSON-safe view of a run. */
  function snapshot(run, t = clock()) {
    const phase = phaseAt(run, t);
    const view = {
      provider: run.provider,
      id: run.id,
      name: run.name,
      job: run.job,
      alias: run.alias,
      status: run.provider === 'truefoundry' ? TF_STATUS_OF[phase] : KOGNITOS_STATUS_OF[phase],
      state: STATE_OF[phase],
      final: isFinalAt(run, t),
      outcome: run.terminationRequestedAt !== null ? 'canceled' : run.outcome,
      createdAt: run.createdAt,
      runningAt: run.runningAt,
      finalAt: run.finalAt,
      finalServedAt: run.finalServedAt,
      terminationRequestedAt: run.terminationRequestedAt,
      createdByRequest: run.createdByRequest,
      seeded: run.seeded,
      deleted: run.deleted,
    };
    if (run.provider === 'truefoundry') {
      view.applicationId = run.fields.applicationId;
      view.deploymentId = run.fields.deploymentId;
    } else {
      view.agentId = run.fields.agentId;
      view.processId = run.fields.processId;
      view.stage = run.fields.stage;
    }
    return view;
  }

  // --- responses ---------------------------------------------------------------------------------

  function tfError(status, message) {
    return { status, body: { statusCode: status, message } };
  }
  function kgError(status, message, details = null) {
    return { status, body: { message, status_code: status, details } };
  }
  function errorFor(provider, status, message = STATUS_CODES[status] ?? 'Error') {
    return provider === 'truefoundry' ? tfError(status, message) : kgError(status, message);
  }

  function parseJson(body) {
    if (body === '') return { value: undefined };
    try {
      return { value: JSON.parse(body) };
    } catch (error) {
      return { error: error.message };
    }
  }

  function single(query, name) {
    const value = query[name];
    return Array.isArray(value) ? value.at(-1) : value;
  }
  function many(query, name) {
    const value = query[name] ?? query[`${name}[]`];
    if (value === undefined) return [];
    return Array.isArray(value) ? value : [value];
  }
  function intParam(value) {
    return /^-?\d+$/.test(value) ? Number(value) : Number.NaN;
  }

  // --- TrueFoundry handlers ------------------------------------------------------------------------

  function tfTrigger(ctx) {
    const parsed = parseJson(ctx.body);
    if (parsed.error) return tfError(400, `Invalid JSON body: ${parsed.error}`);
    const body = parsed.value;
    if (body === null || typeof body !== 'object' || Array.isArray(body)) {
      return tfError(400, 'Request body must be a JSON object');
    }
    let { applicationId, deploymentId } = body;
    if (applicationId != null && typeof applicationId !== 'string')
      return tfError(422, 'applicationId must be a string');
    if (deploymentId != null && typeof deploymentId !== 'string')
      return tfError(422, 'deploymentId must be a string');
    if (!applicationId && !deploymentId)
      return tfError(422, 'Either deploymentId or applicationId must be provided');
    if (applicationId) {
      if (!tfApplicationKnown(applicationId)) {
        return tfError(404, `Application not found for applicationId ${applicationId}`);
      }
      const expected = tfDeploymentFor(applicationId);
      if (deploymentId && deploymentId !== expected) {
        return tfError(404, `Deployment not found for deploymentId ${deploymentId}`);
      }
      deploymentId = expected;
    } else {
      applicationId = tfApplicationForDeployment(deploymentId);
      if (!applicationId) return tfError(404, `Deployment not found for deploymentId ${deploymentId}`);
    }
    const input = body.input ?? {};
    const command = input?.command;
    if (
      command != null &&
      typeof command !== 'string' &&
      !(Array.isArray(command) && command.every((c) => typeof c === 'string'))
    ) {
      return tfError(422, 'Command must be a string or an array of strings');
    }
    const configuredName = Array.isArray(tfApplications) ? undefined : tfApplications?.[applicationId]?.name;
    const run = createRun(
      'truefoundry',
      {
        applicationId,
        deploymentId,
        applicationName: configuredName ?? applicationId,
        command: Array.isArray(command) ? command.join(' ') : (command ?? 'python main.py'),
        params: input?.params ?? null,
        triggeredBy: 'emulator@anyjob.test',
        alias: body.metadata?.job_run_name_alias ?? null,
      },
      { at: ctx.time, request: ctx.record },
    );
    return {
      status: 200,
      body: { message: 'Job triggered', jobRunName: run.name, data: tfJobRun(run, ctx.time) },
    };
  }

  function tfFindRun(jobId, jobRunName) {
    const run = state.tfRunsByName.get(jobRunName);
    return run && run.fields.applicationId === jobId ? run : undefined;
  }

  function tfGetRun(ctx) {
    const { jobId, jobRunName } = ctx.params;
    const run = tfFindRun(jobId, jobRunName);
    if (!run) return tfError(404, `Job run ${jobRunName} not found`);
    noteServed(run, ctx.time);
    return { status: 200, body: { data: tfJobRun(run, ctx.time) } };
  }

  function tfDeleteRun(ctx) {
    const { jobId, jobRunName } = ctx.params;
    const run = tfFindRun(jobId, jobRunName);
    if (!run) return tfError(404, `Job run ${jobRunName} not found`);
    if (!isFinalAt(run, ctx.time)) {
      return tfError(409, `Job run ${jobRunName} is still running and cannot be deleted`);
    }
    run.deleted = true;
    state.tfRunsByName.delete(jobRunName);
    const entry = jobEntry('truefoundry', run.job);
    entry.runs.splice(indexOfSeq(entry.runs, run.seq), 1);
    entry.deleted = (entry.deleted ?? 0) + 1;
    return { status: 200, body: { message: `Job run ${jobRunName} deleted` } };
  }

  function tfTerminate(ctx) {
    const deploymentId = single(ctx.query, 'deploymentId');
    const jobRunName = single(ctx.query, 'jobRunName');
    if (!deploymentId) return tfError(422, 'deploymentId should not be empty');
    if (!jobRunName) return tfError(422, 'jobRunName should not be empty');
    const applicationId = state.tfDeploymentToApp.get(deploymentId);
    if (!applicationId) return tfError(404, `Deployment not found for deploymentId ${deploymentId}`);
    const run = tfFindRun(applicationId, jobRunName);
    if (!run) return tfError(404, `Job run ${jobRunName} not found`);
    if (isFinalAt(run, ctx.time)) {
      return tfError(
        417,
        `Job run ${jobRunName} is already in a terminal state (${providerStatus(run, ctx.time)})`,
      );
    }
    const info = { provider: 'truefoundry', job: run.job, index: run.seq };
    run.terminationRequestedAt = ctx.time;
    run.finalAt = ctx.time + draw(terminationMs, info, run.random, 'terminationMs') * timeScale;
    return {
      status: 200,
      body: { message: 'Job run termination requested', jobRunStatus: 'TERMINATION_REQUESTED' },
    };
  }

  function tfList(ctx) {
    const { jobId } = ctx.params;
    const q = ctx.query;
    if (!tfApplicationKnown(jobId)) return tfError(404, `Application not found for applicationId ${jobId}`);
    const limitRaw = single(q, 'limit');
    const offsetRaw = single(q, 'offset');
    const limit = limitRaw === undefined ? 100 : intParam(limitRaw);
    const offset = offsetRaw === undefined ? 0 : intParam(offsetRaw);
    if (!Number.isInteger(limit)) return tfError(422, 'limit must be an integer number');
    if (limit < 1) return tfError(422, 'limit must not be less than 1');
    if (limit > 1000) return tfError(422, 'limit must not be greater than 1000');
    if (!Number.isInteger(offset)) return tfError(422, 'offset must be an integer number');
    if (offset < 0) return tfError(422, 'offset must not be less than 0');
    const sortBy = single(q, 'sortBy') ?? 'startTime';
    const order = single(q, 'order') ?? 'desc';
    if (!TF_SORT_FIELDS.includes(sortBy))
      return tfError(422, `sortBy must be one of: ${TF_SORT_FIELDS.join(', ')}`);
    if (order !== 'asc' && order !== 'desc') return tfError(422, 'order must be one of: asc, desc');
    const statuses = many(q, 'status');
    for (const status of statuses) {
      if (!TF_STATUSES.includes(status))
        return tfError(422, `status must be one of: ${TF_STATUSES.join(', ')}`);
    }
    const triggeredBy = many(q, 'triggeredBy');
    const versions = many(q, 'versionNumbers').map(Number);
    if (versions.some((v) => !Number.isFinite(v))) return tfError(422, 'versionNumbers must be numbers');
    const searchPrefix = single(q, 'searchPrefix');

    const entry = state.jobs.get(jobKey('truefoundry', jobId));
    const runs = entry?.runs ?? [];
    const t = ctx.time;
    const filtered =
      statuses.length > 0 || triggeredBy.length > 0 || versions.length > 0 || Boolean(searchPrefix);
    let page;
    let total;
    if (!filtered && sortBy === 'startTime' && entry?.byCreatedAt !== false) {
      // Fast path: the job's runs are kept in creation order, so a page is a slice.
      total = runs.length;
      if (order === 'asc') page = runs.slice(offset, offset + limit);
      else {
        const end = Math.max(0, total - offset);
        page = runs.slice(Math.max(0, end - limit), end).reverse();
      }
    } else {
      let matching = runs;
      if (filtered) {
        matching = runs.filter(
          (run) =>
            (statuses.length === 0 || statuses.includes(providerStatus(run, t))) &&
            (triggeredBy.length === 0 || triggeredBy.includes(run.fields.triggeredBy)) &&
            (versions.length === 0 || versions.includes(1)) &&
            (!searchPrefix || run.name.startsWith(searchPrefix)),
        );
      }
      const key = {
        startTime: (run) => run.createdAt,
        duration: (run) => (isFinalAt(run, t) ? run.finalAt - run.runningAt : Number.POSITIVE_INFINITY),
        deploymentVersion: () => 1,
        triggeredBy: (run) => run.fields.triggeredBy,
        status: (run) => providerStatus(run, t),
      }[sortBy];
      const sign = order === 'asc' ? 1 : -1;
      const sorted = matching
        .map((run) => ({ run, k: key(run) }))
        .sort((a, b) => (a.k < b.k ? -sign : a.k > b.k ? sign : (a.run.seq - b.run.seq) * sign))
        .map((item) => item.run);
      total = sorted.length;
      page = sorted.slice(offset, offset + limit);
    }
    for (const run of page) noteServed(run, t);
    return {
      status: 200,
      body: { data: page.map((run) => tfJobRun(run, t)), pagination: { total, offset, limit } },
    };
  }

  // --- Kognitos handlers ---------------------------------------------------------------------------

  function kgInvalid(details) {
    return kgError(400, 'Invalid input values', details);
  }

  function kgLimit(q, max) {
    const raw = single(q, 'limit');
    if (raw === undefined) return { limit: 10 };
    const limit = intParam(raw);
    if (!Number.isInteger(limit) || limit < 1 || limit > max) {
      return {
        error: kgInvalid([{ loc: ['query', 'limit'], msg: `limit must be an integer from 1 to ${max}` }]),
      };
    }
    return { limit };
  }

  function kgStartRun(ctx) {
    const parsed = parseJson(ctx.body);
    if (parsed.error) return kgInvalid([{ loc: ['body'], msg: `Invalid JSON: ${parsed.error}` }]);
    const body = parsed.value;
    if (body === null || typeof body !== 'object' || Array.isArray(body)) {
      return kgInvalid([{ loc: ['body'], msg: 'body must be an object' }]);
    }
    const details = [];
    for (const field of ['agent_id', 'process_id']) {
      if (typeof body[field] !== 'string' || !RESOURCE_ID.test(body[field])) {
        details.push({ loc: ['body', field], msg: 'must be 1 to 26 characters of [a-zA-Z0-9-_]' });
      }
    }
    if (typeof body.name !== 'string' || body.name.length < 1 || body.name.length > 100) {
      details.push({ loc: ['body', 'name'], msg: 'must be a string of 1 to 100 characters' });
    }
    if (!KOGNITOS_STAGES.includes(body.stage)) {
      details.push({ loc: ['body', 'stage'], msg: `must be one of ${KOGNITOS_STAGES.join(', ')}` });
    }
    if (body.inputs != null) {
      const valid =
        Array.isArray(body.inputs) &&
        body.inputs.every(
          (i) => i !== null && typeof i === 'object' && typeof i.name === 'string' && 'value' in i,
        );
      if (!valid) details.push({ loc: ['body', 'inputs'], msg: 'must be an array of {name, value}' });
    }
    if (
      body.file_ids != null &&
      !(Array.isArray(body.file_ids) && body.file_ids.every((id) => typeof id === 'string'))
    ) {
      details.push({ loc: ['body', 'file_ids'], msg: 'must be an array of strings' });
    }
    if (details.length > 0) return kgInvalid(details);
    if (!kognitosAgentKnown(body.agent_id)) return kgError(404, 'Agent not found');
    if (!kognitosProcessKnown(body.agent_id, body.process_id)) return kgError(404, 'Process not found');
    const run = createRun(
      'kognitos',
      {
        agentId: body.agent_id,
        processId: body.process_id,
        name: body.name,
        stage: body.stage,
        inputs: body.inputs ?? null,
        fileIds: body.file_ids ?? null,
        alias: body.name,
      },
      { at: ctx.time, request: ctx.record },
    );
    return { status: 201, body: kognitosRun(run, ctx.time) };
  }

  function kgGetRun(ctx) {
    const run = state.kgRunsById.get(ctx.params.runId);
    if (!run) return kgError(404, 'Run not found');
    noteServed(run, ctx.time);
    return { status: 200, body: kognitosRun(run, ctx.time) };
  }

  function kgListRuns(ctx) {
    const q = ctx.query;
    const agentId = single(q, 'agent_id');
    const processId = single(q, 'process_id');
    const stage = single(q, 'stage');
    const details = [];
    if (!agentId || !RESOURCE_ID.test(agentId))
      details.push({ loc: ['query', 'agent_id'], msg: 'required resource id' });
    if (!processId || !RESOURCE_ID.test(processId))
      details.push({ loc: ['query', 'process_id'], msg: 'required resource id' });
    if (stage !== undefined && !KOGNITOS_STAGES.includes(stage)) {
      details.push({ loc: ['query', 'stage'], msg: `must be one of ${KOGNITOS_STAGES.join(', ')}` });
    }
    const { limit, error } = kgLimit(q, 100);
    if (error) return error;
    if (details.length > 0) return kgInvalid(details);
    if (!kognitosAgentKnown(agentId)) return kgError(404, 'Agent not found');
    if (!kognitosProcessKnown(agentId, processId)) return kgError(404, 'Process not found');

    const job = `${agentId}/${processId}`;
    // Newest first. The token names the last run returned (by creation sequence), so runs
    // created while a client pages through do not shift the pages it has not read yet.
    let before = Number.POSITIVE_INFINITY;
    const rawToken = single(q, 'continuation_token');
    if (rawToken !== undefined) {
      const token = decodeToken(rawToken);
      if (!token || token.j !== job || (token.s ?? null) !== (stage ?? null) || !Number.isInteger(token.b)) {
        return kgInvalid([{ loc: ['query', 'continuation_token'], msg: 'invalid continuation token' }]);
      }
      before = token.b;
    }
    const runs = state.jobs.get(jobKey('kognitos', job))?.runs ?? [];
    const t = ctx.time;
    const items = [];
    let i = (before === Number.POSITIVE_INFINITY ? runs.length : indexOfSeq(runs, before)) - 1;
    for (; i >= 0 && items.length < limit; i--) {
      if (stage === undefined || runs[i].fields.stage === stage) items.push(runs[i]);
    }
    let more = false;
    for (; i >= 0; i--) {
      if (stage === undefined || runs[i].fields.stage === stage) {
        more = true;
        break;
      }
    }
    for (const run of items) noteServed(run, t);
    return {
      status: 200,
      body: {
        items: items.map((run) => kognitosRun(run, t)),
        continuation_token: more ? encodeToken({ j: job, s: stage ?? null, b: items.at(-1).seq }) : null,
      },
    };
  }

  function kgProcessIds(agentId) {
    if (kognitosAgents !== undefined) return kognitosAgents[agentId] ?? [];
    return [...(state.kgProcesses.get(agentId) ?? [])];
  }

  function kgListProcesses(ctx) {
    const q = ctx.query;
    const agentId = single(q, 'agent_id');
    if (!agentId || !RESOURCE_ID.test(agentId)) {
      return kgInvalid([{ loc: ['query', 'agent_id'], msg: 'required resource id' }]);
    }
    const { limit, error } = kgLimit(q, 100);
    if (error) return error;
    if (!kognitosAgentKnown(agentId)) return kgError(404, 'Agent not found');
    let offset = 0;
    const rawToken = single(q, 'continuation_token');
    if (rawToken !== undefined) {
      const token = decodeToken(rawToken);
      if (!token || token.a !== agentId || !Number.isInteger(token.o) || token.o < 0) {
        return kgInvalid([{ loc: ['query', 'continuation_token'], msg: 'invalid continuation token' }]);
      }
      offset = token.o;
    }
    const ids = kgProcessIds(agentId);
    const page = ids.slice(offset, offset + limit);
    const next = offset + page.length;
    return {
      status: 200,
      body: {
        items: page.map((id) => ({ id, name: `Process ${id}` })),
        continuation_token: next < ids.length ? encodeToken({ a: agentId, o: next }) : null,
      },
    };
  }

  function kgGetProcess(ctx) {
    const { processId } = ctx.params;
    const agentId = single(ctx.query, 'agent_id');
    if (!agentId || !RESOURCE_ID.test(agentId) || !RESOURCE_ID.test(processId)) {
      return kgInvalid([{ loc: ['query', 'agent_id'], msg: 'required resource id' }]);
    }
    if (!kognitosAgentKnown(agentId)) return kgError(404, 'Agent not found');
    if (!kognitosProcessKnown(agentId, processId)) return kgError(404, 'Process not found');
    return { status: 200, body: { id: processId, name: `Process ${processId}` } };
  }

  function kgCreateFile(ctx) {
    const parsed = parseJson(ctx.body);
    const body = parsed.value;
    if (parsed.error || body === null || typeof body !== 'object')
      return kgInvalid([{ loc: ['body'], msg: 'invalid body' }]);
    if (typeof body.file_name !== 'string' || body.file_name.length < 1 || body.file_name.length > 256) {
      return kgInvalid([{ loc: ['body', 'file_name'], msg: 'must be a string of 1 to 256 characters' }]);
    }
    const id = `kf${base36(state.files.size + 1, 23)}`;
    state.files.set(id, { id, fileName: body.file_name, uploaded: false });
    return {
      status: 201,
      body: {
        id,
        file_name: body.file_name,
        upload_url: `${ctx.origin}/__emulator/uploads/${id}`,
        upload_http_method: 'POST',
        upload_fields: { key: `uploads/${id}/${body.file_name}` },
        upload_http_headers: {},
      },
    };
  }

  // --- routing -------------------------------------------------------------------------------------

  function decode(segment) {
    try {
      return decodeURIComponent(segment);
    } catch {
      return undefined;
    }
  }

  /** @returns {{ name: string, params: Record<string, string>, handler: Function } | null} */
  function matchRoute(provider, method, path) {
    if (provider === 'truefoundry') {
      if (!path.startsWith(`${TF_PREFIX}/`)) return null;
      const rest = path.slice(TF_PREFIX.length + 1).replace(/\/$/, '');
      const parts = rest.split('/');
      if (parts.length === 1 && method === 'POST' && parts[0] === 'trigger') {
        return { name: 'triggerJob', params: {}, handler: tfTrigger };
      }
      if (parts.length === 1 && method === 'POST' && parts[0] === 'terminate') {
        return { name: 'terminateJobRun', params: {}, handler: tfTerminate };
      }
      if (parts[1] !== 'runs' || parts.length > 3) return null;
      const jobId = decode(parts[0]);
      if (!jobId) return null;
      if (parts.length === 2 && method === 'GET')
        return { name: 'listJobRuns', params: { jobId }, handler: tfList };
      const jobRunName = decode(parts[2] ?? '');
      if (!jobRunName) return null;
      if (method === 'GET') return { name: 'getJobRun', params: { jobId, jobRunName }, handler: tfGetRun };
      if (method === 'DELETE')
        return { name: 'deleteJobRun', params: { jobId, jobRunName }, handler: tfDeleteRun };
      return null;
    }
    if (!path.startsWith(`${KOGNITOS_PREFIX}/`)) return null;
    const parts = path
      .slice(KOGNITOS_PREFIX.length + 1)
      .replace(/\/$/, '')
      .split('/');
    const [resource, id, extra] = parts;
    if (extra !== undefined) return null;
    if (id === undefined) {
      if (resource === 'health' && method === 'GET')
        return { name: 'getHealth', params: {}, handler: () => ({ status: 200, body: { status: 'OK' } }) };
      if (resource === 'processes' && method === 'GET')
        return { name: 'listProcesses', params: {}, handler: kgListProcesses };
      if (resource === 'runs' && method === 'GET')
        return { name: 'listRuns', params: {}, handler: kgListRuns };
      if (resource === 'runs' && method === 'POST')
        return { name: 'startRun', params: {}, handler: kgStartRun };
      if (resource === 'files' && method === 'POST')
        return { name: 'createFile', params: {}, handler: kgCreateFile };
      return null;
    }
    const value = decode(id);
    if (!value || method !== 'GET') return null;
    if (resource === 'runs') return { name: 'getRun', params: { runId: value }, handler: kgGetRun };
    if (resource === 'processes')
      return { name: 'getProcess', params: { processId: value }, handler: kgGetProcess };
    return null;
  }

  function authorized(provider, headers) {
    if (provider === 'truefoundry') return headers.authorization === `Bearer ${keys.truefoundry}`;
    return headers['x-api-key'] === keys.kognitos;
  }

  // --- faults ----------------------------------------------------------------------------------------

  function checkRoute(route) {
    if (route === '*') return;
    const [provider, name, extra] = String(route).split('.');
    if (
      extra === undefined &&
      /** @type {readonly string[]} */ (PROVIDERS).includes(provider) &&
      (name === '*' || ROUTES[provider].includes(name))
    )
      return;
    const known = PROVIDERS.flatMap((p) => ROUTES[p].map((r) => `${p}.${r}`));
    throw new Error(
      `provider emulator: unknown route "${route}"; use one of ${known.join(', ')}, "<provider>.*" or "*"`,
    );
  }

  function normalizeFault(fault) {
    if (!FAULT_TYPES.includes(fault.type)) {
      throw new Error(
        `provider emulator: unknown fault type "${fault.type}"; use one of ${FAULT_TYPES.join(', ')}`,
      );
    }
    const times =
      fault.times === undefined ? 1 : fault.times === 'always' ? Number.POSITIVE_INFINITY : fault.times;
    if (!(times >= 1)) throw new Error('provider emulator: fault.times must be ≥ 1, Infinity or "always"');
    const fixed = SIDE_EFFECT_FIXED[fault.type];
    if (fixed !== undefined && fault.sideEffect !== undefined && fault.sideEffect !== fixed) {
      throw new Error(`provider emulator: a ${fault.type} fault always has sideEffect ${fixed}`);
    }
    if (
      fault.type === 'status' &&
      !(Number.isInteger(fault.status) && fault.status >= 100 && fault.status <= 599)
    ) {
      throw new Error('provider emulator: a status fault needs status (100–599)');
    }
    if (fault.type === 'delay' && !(fault.ms >= 0))
      throw new Error('provider emulator: a delay fault needs ms ≥ 0');
    return { ...fault, times, sideEffect: fixed ?? fault.sideEffect ?? SIDE_EFFECT_DEFAULTS[fault.type] };
  }

  function setFault(route, fault, params) {
    checkRoute(route);
    const normalized = normalizeFault(typeof fault === 'string' ? { ...params, type: fault } : fault);
    const queue = state.faults.get(route) ?? [];
    queue.push(normalized);
    state.faults.set(route, queue);
  }

  function clearFaults(route) {
    if (route === undefined) state.faults.clear();
    else state.faults.delete(route);
  }

  function takeFault(route) {
    const provider = route.split('.')[0];
    for (const key of [route, `${provider}.*`, '*']) {
      const queue = state.faults.get(key);
      if (!queue || queue.length === 0) continue;
      const fault = queue[0];
      fault.times -= 1;
      if (fault.times <= 0) queue.shift();
      if (queue.length === 0) state.faults.delete(key);
      return fault;
    }
    return null;
  }

  // --- request handling ------------------------------------------------------------------------------

  function count(map, key) {
    map.set(key, (map.get(key) ?? 0) + 1);
  }

  function finish(record, status, outcome) {
    record.status = status;
    record.outcome = outcome;
    record.answeredAt = clock();
    if (status !== null) count(state.statusCounts, String(status));
  }

  function sendJson(res, result, extraHeaders = {}) {
    const payload = result.rawBody ?? JSON.stringify(result.body);
    res.writeHead(result.status, {
      'content-type': result.contentType ?? 'application/json; charset=utf-8',
      'content-length': Buffer.byteLength(payload),
      ...result.headers,
      ...extraHeaders,
    });
    res.end(payload);
  }

  function holdResponse(res) {
    heldResponses.add(res);
    res.on('close', () => heldResponses.delete(res));
  }

  /** Applies `fault` to the answer of a request. `result` is the handler's answer if it ran. */
  async function applyFault(fault, ctx, res, result) {
    const { record, provider } = ctx;
    count(state.faultCounts, `${record.route}:${fault.type}`);
    const headers = { ...fault.headers };
    switch (fault.type) {
      case 'reset-before':
      case 'reset-after':
        finish(record, null, 'reset');
        ctx.req.socket.destroy();
        return;
      case 'timeout':
        finish(record, null, 'held');
        holdResponse(res);
        return;
      case 'delay':
        finish(record, null, 'delayed');
        holdResponse(res);
        later(fault.ms, () => {
          if (res.destroyed) return;
          record.status = result.status;
          record.outcome = 'answered';
          record.answeredAt = clock();
          count(state.statusCounts, String(result.status));
          sendJson(res, result, headers);
        });
        return;
      case 'status': {
        if (fault.retryAfter !== undefined) headers['retry-after'] = String(fault.retryAfter);
        const answer =
          fault.body === undefined
            ? errorFor(provider, fault.status)
            : typeof fault.body === 'string'
              ? {
                  status: fault.status,
                  rawBody: fault.body,
                  contentType: fault.contentType ?? 'text/plain; charset=utf-8',
                }
              : { status: fault.status, body: fault.body };
        answer.status = fault.status;
        finish(record, fault.status, 'answered');
        sendJson(res, answer, headers);
        return;
      }
      case 'invalid-json': {
        const body = fault.body ?? '<!doctype html><html><body><h1>Bad Gateway</h1></body></html>';
        const status = fault.status ?? 200;
        finish(record, status, 'answered');
        sendJson(
          res,
          { status, rawBody: body, contentType: fault.contentType ?? 'application/json' },
          headers,
        );
        return;
      }
      case 'redirect': {
        const status = fault.status ?? 307;
        const location = fault.location ?? ctx.req.url;
        finish(record, status, 'answered');
        res.writeHead(status, { location, 'content-length': 0, ...headers });
        res.end();
        return;
      }
      case 'cut-body': {
        const payload = Buffer.from(JSON.stringify(result.body));
        const sent = Math.min(fault.sentBytes ?? Math.floor(payload.length / 2), payload.length);
        const declared = fault.declaredLength ?? Math.max(payload.length * 2, sent + 1);
        finish(record, result.status, 'cut');
        res.writeHead(result.status, {
          'content-type': 'application/json',
          'content-length': declared,
          ...headers,
        });
        res.write(payload.subarray(0, sent), () => {
          record.bytesWritten = sent;
          ctx.req.socket.destroy();
        });
        return;
      }
      case 'huge-body': {
        const bytes = fault.bytes ?? 100 * 2 ** 20;
        const status = fault.status ?? 200;
        finish(record, status, 'streaming');
        record.bytesWritten = 0;
        res.writeHead(status, {
          'content-type': 'application/json',
          ...(fault.contentLength ? { 'content-length': bytes } : {}),
          ...headers,
        });
        const head = Buffer.from('{"data":"');
        const tail = Buffer.from('"}');
        const filler = Buffer.alloc(64 * 1024, 0x61);
        let queued = 0;
        const chunkAt = (offset) => {
          if (offset < head.length) return head.subarray(offset);
          const fillerEnd = bytes - tail.length;
          if (offset < fillerEnd) return filler.subarray(0, Math.min(filler.length, fillerEnd - offset));
          return tail.subarray(offset - fillerEnd);
        };
        const pump = () => {
          while (queued < bytes && !res.destroyed) {
            const chunk = chunkAt(queued).subarray(0, bytes - queued);
            queued += chunk.length;
            const n = chunk.length;
            const more = res.write(chunk, (error) => {
              if (!error) record.bytesWritten += n;
            });
            if (!more) {
              res.once('drain', pump);
              return;
            }
          }
          if (queued >= bytes && !res.destroyed) res.end();
        };
        res.on('close', () => {
          record.outcome = res.writableFinished ? 'answered' : 'client-gone';
          record.answeredAt = clock();
        });
        pump();
        return;
      }
      case 'gzip-bomb': {
        const inflated = fault.inflatedBytes ?? 2 ** 30;
        const status = fault.status ?? 200;
        finish(record, status, 'streaming');
        const payload = await gzipBomb(inflated);
        if (res.destroyed) return;
        record.bytesWritten = 0;
        res.on('close', () => {
          record.outcome = res.writableFinished ? 'answered' : 'client-gone';
        });
        res.writeHead(status, {
          'content-type': 'application/json',
          'content-encoding': 'gzip',
          'content-length': payload.length,
          ...headers,
        });
        res.end(payload, () => {
          record.bytesWritten = payload.length;
        });
        return;
      }
    }
  }

  function admin(req, res, url) {
    const path = url.pathname.slice('/__emulator'.length);
    const json = (status, body) => sendJson(res, { status, body });
    if (req.method === 'GET' && path === '/stats') return json(200, stats());
    if (req.method === 'GET' && path === '/runs') {
      const filter = {};
      for (const key of ['provider', 'job', 'state'])
        if (url.searchParams.has(key)) filter[key] = url.searchParams.get(key);
      return json(200, runs(filter));
    }
    if (req.method === 'GET' && path === '/requests') {
      const filter = {};
      for (const key of ['provider', 'route', 'method', 'path']) {
        if (url.searchParams.has(key)) filter[key] = url.searchParams.get(key);
      }
      return json(200, requests(filter));
    }
    if (req.method === 'GET' && path === '/urls') return json(200, { urls, keys });
    if (req.method === 'POST' && path === '/reset') {
      reset();
      return json(200, { ok: true });
    }
    if (path === '/faults' && req.method === 'DELETE') {
      clearFaults(url.searchParams.get('route') ?? undefined);
      return json(200, { ok: true });
    }
    if (path.startsWith('/uploads/') && req.method === 'POST') {
      const file = state.files.get(path.slice('/uploads/'.length));
      req.resume();
      if (!file) return json(404, { message: 'unknown upload' });
      file.uploaded = true;
      res.writeHead(204).end();
      return;
    }
    if (path === '/faults' && req.method === 'POST') {
      readBody(req).then((text) => {
        try {
          const { route, ...fault } = JSON.parse(text);
          setFault(route, fault);
          json(200, { ok: true });
        } catch (error) {
          json(400, { message: error.message });
        }
      });
      return;
    }
    json(404, { message: `provider emulator: no admin route ${req.method} ${url.pathname}` });
  }

  async function onRequest(provider, origin, req, res) {
    for (const [name, value] of Object.entries(CORS_HEADERS)) res.setHeader(name, value);
    const url = new URL(req.url ?? '/', origin);
    if (req.method === 'OPTIONS') {
      state.preflights += 1;
      req.resume();
      res.writeHead(204, { 'content-length': 0 }).end();
      return;
    }
    if (url.pathname.startsWith('/__emulator/')) {
      admin(req, res, url);
      return;
    }
    const body = await readBody(req);
    const time = clock();
    const method = req.method ?? 'GET';
    const matched = matchRoute(provider, method, url.pathname);
    const route = matched ? `${provider}.${matched.name}` : null;
    const query = queryObject(url.searchParams);
    const record = {
      id: ++state.requestSeq,
      provider,
      route,
      method,
      path: url.pathname,
      url: req.url ?? '/',
      query,
      headers: { ...req.headers },
      body,
      time,
      status: null,
      outcome: 'pending',
      answeredAt: null,
      fault: null,
      createdRunId: null,
      bytesWritten: null,
    };
    if (recordRequests) state.requests.push(record);
    count(state.routeCounts, route ?? `${provider}.unmatched`);
    const ctx = { provider, origin, req, record, body, query, time, params: matched?.params ?? {} };

    const fault = route ? takeFault(route) : null;
    record.fault = fault?.type ?? null;
    const handle = () => {
      if (!matched) {
        const message = provider === 'truefoundry' ? `Cannot ${method} ${url.pathname}` : 'Not Found';
        return errorFor(provider, 404, message);
      }
      if (!authorized(provider, record.headers)) return errorFor(provider, 401, 'Unauthorized');
      return matched.handler(ctx);
    };
    try {
      if (fault) {
        const result =
          fault.sideEffect || fault.type === 'cut-body' || fault.type === 'delay' ? handle() : undefined;
        await applyFault(fault, ctx, res, result);
        return;
      }
      const result = handle();
      finish(record, result.status, 'answered');
      sendJson(res, result);
    } catch (error) {
      finish(record, 500, 'answered');
      if (!res.headersSent) sendJson(res, errorFor(provider, 500, `provider emulator: ${error.message}`));
      else res.destroy();
    }
  }

  // --- servers -----------------------------------------------------------------------------------------

  async function listen(provider) {
    const server = createServer();
    let origin = '';
    server.on('request', (req, res) => {
      onRequest(provider, origin, req, res).catch((error) => {
        if (!res.headersSent) res.writeHead(500).end(String(error));
        else res.destroy();
      });
    });
    // A client that hangs up mid-request is not an emulator error.
    server.on('clientError', (_error, socket) => socket.destroy());
    await new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.ports?.[provider] ?? 0, host, () => resolve(undefined));
    });
    origin = `http://${host}:${/** @type {import('node:net').AddressInfo} */ (server.address()).port}`;
    return { server, origin };
  }

  const [tf, kg] = await Promise.all([listen('truefoundry'), listen('kognitos')]);
  const urls = { truefoundry: tf.origin, kognitos: `${kg.origin}${KOGNITOS_PREFIX}` };

  // --- public API ----------------------------------------------------------------------------------------

  function runMatches(run, filter, t) {
    if (!filter) return !run.deleted;
    if (typeof filter === 'function') return filter(snapshot(run, t));
    if (filter.provider && run.provider !== filter.provider) return false;
    if (filter.job && run.job !== filter.job) return false;
    if (filter.alias !== undefined && run.alias !== filter.alias) return false;
    if (filter.seeded !== undefined && run.seeded !== filter.seeded) return false;
    if (filter.deleted === undefined && run.deleted) return false;
    if (filter.deleted !== undefined && run.deleted !== filter.deleted) return false;
    if (filter.state && STATE_OF[phaseAt(run, t)] !== filter.state) return false;
    return true;
  }

  function runs(filter) {
    const t = clock();
    let source = state.allRuns;
    if (filter && typeof filter === 'object' && filter.provider && filter.job && !filter.deleted) {
      source = state.jobs.get(jobKey(filter.provider, filter.job))?.runs ?? [];
    }
    return source.filter((run) => runMatches(run, filter, t)).map((run) => snapshot(run, t));
  }

  function requestMatches(record, filter) {
    if (filter === undefined) return true;
    if (typeof filter === 'function') return filter(record);
    if (typeof filter === 'string')
      return /** @type {readonly string[]} */ (PROVIDERS).includes(filter)
        ? record.provider === filter
        : record.route === filter;
    for (const key of ['provider', 'route', 'method', 'path', 'fault', 'status']) {
      if (filter[key] !== undefined && record[key] !== filter[key]) return false;
    }
    return true;
  }

  function requests(filter) {
    return state.requests.filter((record) => requestMatches(record, filter)).map((record) => ({ ...record }));
  }

  function countRequests(filter) {
    if (typeof filter === 'string' && !(/** @type {readonly string[]} */ (PROVIDERS).includes(filter)))
      return state.routeCounts.get(filter) ?? 0;
    if (filter === undefined) return state.requestSeq;
    if (!recordRequests)
      throw new Error('provider emulator: count(filter) needs recordRequests; count(route) works without');
    let n = 0;
    for (const record of state.requests) if (requestMatches(record, filter)) n++;
    return n;
  }

  function stats() {
    const t = clock();
    const runsByProvider = /** @type {Record<string, any>} */ ({});
    for (const provider of PROVIDERS) {
      runsByProvider[provider] = {
        total: 0,
        seeded: 0,
        deleted: 0,
        byState: { queued: 0, running: 0, succeeded: 0, failed: 0, canceled: 0 },
      };
    }
    for (const run of state.allRuns) {
      const entry = runsByProvider[run.provider];
      if (run.deleted) {
        entry.deleted++;
        continue;
      }
      entry.total++;
      if (run.seeded) entry.seeded++;
      entry.byState[STATE_OF[phaseAt(run, t)]]++;
    }
    return {
      urls,
      uptimeMs: Math.round(t - startedAt),
      requests: state.requestSeq,
      preflights: state.preflights,
      byRoute: Object.fromEntries(state.routeCounts),
      byStatus: Object.fromEntries(state.statusCounts),
      faults: Object.fromEntries(state.faultCounts),
      pendingFaults: Object.fromEntries(
        [...state.faults].map(([route, queue]) => [route, queue.map((f) => ({ ...f }))]),
      ),
      runs: runsByProvider,
    };
  }

  function seedRuns(provider, job, n, seedOptions = {}) {
    if (!PROVIDERS.includes(provider)) throw new Error(`provider emulator: unknown provider ${provider}`);
    if (!Number.isInteger(n) || n < 0) throw new Error('provider emulator: seedRuns needs a count ≥ 0');
    let fields;
    if (provider === 'truefoundry') {
      if (typeof job !== 'string' || job === '')
        throw new Error('provider emulator: a TrueFoundry job is its application id');
      const deploymentId = tfDeploymentFor(job);
      fields = {
        applicationId: job,
        deploymentId,
        applicationName: (Array.isArray(tfApplications) ? undefined : tfApplications?.[job]?.name) ?? job,
        command: 'python main.py',
        params: null,
        triggeredBy: seedOptions.triggeredBy ?? 'emulator@anyjob.test',
      };
    } else {
      const [agentId, processId] = typeof job === 'string' ? job.split('/') : [job.agentId, job.processId];
      if (!RESOURCE_ID.test(agentId ?? '') || !RESOURCE_ID.test(processId ?? '')) {
        throw new Error('provider emulator: a Kognitos job is "agentId/processId" or { agentId, processId }');
      }
      fields = { agentId, processId, stage: seedOptions.stage ?? 'Published', inputs: null, fileIds: null };
    }
    const overrides = {
      queueMs: seedOptions.queueMs,
      durationMs: seedOptions.durationMs,
      failureRate: seedOptions.failureRate,
    };
    const now = clock();
    const created = [];
    if (seedOptions.final === false) {
      for (let i = 0; i < n; i++) {
        const name =
          provider === 'kognitos' ? `${seedOptions.namePrefix ?? 'seeded run'} ${i + 1}` : undefined;
        created.push(createRun(provider, { ...fields, name, alias: name ?? null }, { at: now, overrides }));
      }
    } else {
      // History: created `spacingMs` (provider time) apart, all final by `endAt` (default now).
      const spacing = (seedOptions.spacingMs ?? 60_000) * timeScale;
      const endAt = seedOptions.endAt ?? now;
      const longest =
        Array.isArray(seedOptions.durationMs ?? durationMs) && Array.isArray(seedOptions.queueMs ?? queueMs)
          ? ((seedOptions.durationMs ?? durationMs)[1] + (seedOptions.queueMs ?? queueMs)[1]) * timeScale
          : undefined;
      let base = endAt - (n - 1) * spacing - (longest ?? 0) - 1;
      for (let i = 0; i < n; i++) {
        const name =
          provider === 'kognitos' ? `${seedOptions.namePrefix ?? 'seeded run'} ${i + 1}` : undefined;
        const run = createRun(
          provider,
          { ...fields, name, alias: name ?? null },
          { at: base + i * spacing, overrides },
        );
        if (longest === undefined && run.finalAt > endAt) {
          // Durations from a function: shift this run back so that it is final by endAt.
          const shift = run.finalAt - endAt;
          for (const key of ['createdAt', 'scheduledAt', 'runningAt', 'naturalFinalAt', 'finalAt'])
            run[key] -= shift;
          base -= shift;
          jobEntry(provider, run.job).byCreatedAt = false;
        }
        created.push(run);
      }
    }
    return created.map((run) => snapshot(run, now));
  }

  function reset() {
    for (const timer of timers) clearTimeout(timer);
    timers.clear();
    for (const res of heldResponses) res.destroy();
    heldResponses.clear();
    state = freshState();
  }

  let closed;
  function close() {
    closed ??= (async () => {
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      for (const res of heldResponses) res.destroy();
      await Promise.all(
        [tf.server, kg.server].map(
          (server) =>
            new Promise((resolve) => {
              server.close(() => resolve(undefined));
              server.closeAllConnections();
            }),
        ),
      );
    })();
    return closed;
  }

  return {
    urls,
    keys: { ...keys },
    timeScale,
    now: clock,
    runs,
    requests,
    count: countRequests,
    stats,
    setFault,
    clearFaults,
    seedRuns,
    reset,
    close,
  };
}

// ---------------------------------------------------------------------------------------------------------
// Child-process mode

function parseRange(text, name) {
  const parts = String(text).split(',').map(Number);
  if (parts.length === 1 && Number.isFinite(parts[0])) return parts[0];
  if (parts.length === 2 && parts.every(Number.isFinite)) return /** @type {[number, number]} */ (parts);
  throw new Error(`--${name}: give "ms" or "min,max"`);
}

async function main() {
  const { values } = parseArgs({
    options: {
      'time-scale': { type: 'string' },
      seed: { type: 'string' },
      'failure-rate': { type: 'string' },
      'duration-ms': { type: 'string' },
      'queue-ms': { type: 'string' },
      'termination-ms': { type: 'string' },
      'truefoundry-key': { type: 'string' },
      'kognitos-key': { type: 'string' },
      'truefoundry-port': { type: 'string' },
      'kognitos-port': { type: 'string' },
      'no-record': { type: 'boolean' },
      'exit-on-stdin-close': { type: 'boolean' },
      help: { type: 'boolean' },
    },
  });
  if (values.help) {
    console.log(`usage: node scripts/lib/provider-emulator.mjs [--time-scale 0.01] [--seed 1] [--failure-rate 0.1]
  [--queue-ms min,max] [--duration-ms min,max] [--termination-ms min,max]
  [--truefoundry-key K] [--kognitos-key K] [--truefoundry-port N] [--kognitos-port N] [--no-record]
  [--exit-on-stdin-close]
Prints one JSON line {"urls":{…},"keys":{…},"pid":…} and serves until SIGTERM/SIGINT.`);
    return;
  }
  const number = (name) => (values[name] === undefined ? undefined : Number(values[name]));
  const emulator = await startEmulator({
    timeScale: number('time-scale'),
    seed: number('seed'),
    failureRate: number('failure-rate'),
    durationMs:
      values['duration-ms'] === undefined ? undefined : parseRange(values['duration-ms'], 'duration-ms'),
    queueMs: values['queue-ms'] === undefined ? undefined : parseRange(values['queue-ms'], 'queue-ms'),
    terminationMs:
      values['termination-ms'] === undefined
        ? undefined
        : parseRange(values['termination-ms'], 'termination-ms'),
    apiKeys: {
      ...(values['truefoundry-key'] ? { truefoundry: values['truefoundry-key'] } : {}),
      ...(values['kognitos-key'] ? { kognitos: values['kognitos-key'] } : {}),
    },
    ports: { truefoundry: number('truefoundry-port'), kognitos: number('kognitos-port') },
    recordRequests: !values['no-record'],
  });
  const stop = () => emulator.close().then(() => process.exit(0));
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
  if (values['exit-on-stdin-close']) {
    // With a pipe as stdin: a parent that dies without killing us closes it, and we stop too.
    process.stdin.on('end', stop);
    process.stdin.on('error', stop);
    process.stdin.resume();
  }
  process.stdout.write(`${JSON.stringify({ urls: emulator.urls, keys: emulator.keys, pid: process.pid })}\n`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((error) => {
    console.error(error.stack ?? String(error));
    process.exit(1);
  });
}
