// Types of provider-emulator.mjs (a loopback emulator of the TrueFoundry and Kognitos job-run APIs).

export type Provider = 'truefoundry' | 'kognitos';

export declare const PROVIDERS: readonly ['truefoundry', 'kognitos'];
export declare const ROUTES: {
  readonly truefoundry: readonly [
    'triggerJob',
    'getJobRun',
    'listJobRuns',
    'terminateJobRun',
    'deleteJobRun',
  ];
  readonly kognitos: readonly [
    'getHealth',
    'listProcesses',
    'getProcess',
    'listRuns',
    'startRun',
    'getRun',
    'createFile',
  ];
};

/** `<provider>.<operationId>` of specs/<provider>.yaml. */
export type RouteName =
  | `truefoundry.${(typeof ROUTES)['truefoundry'][number]}`
  | `kognitos.${(typeof ROUTES)['kognitos'][number]}`;
/** A route, every route of one provider, or every route. */
export type RouteSelector = RouteName | `${Provider}.*` | '*';

export interface DrawInfo {
  provider: Provider;
  /** TrueFoundry: the application id; Kognitos: `agentId/processId`. */
  job: string;
  /** Index of the run within its job (0 for the first), so draws are repeatable per job. */
  index: number;
}

/**
 * A duration in provider milliseconds (multiplied by `timeScale` before use): a fixed number,
 * `[min, max]` drawn uniformly, or a function of the run and its seeded PRNG.
 */
export type DurationSpec = number | [number, number] | ((info: DrawInfo, random: () => number) => number);

export interface EmulatorOptions {
  /** Keys the servers accept. Default `{ truefoundry: 'tfy-emulator-key', kognitos: 'kognitos-emulator-key' }`. */
  apiKeys?: Partial<Record<Provider, string>>;
  /** Multiplies every run duration (0.01 turns 60 s into 600 ms). Default 1. Fault delays are not scaled. */
  timeScale?: number;
  /** PRNG seed: the same seed gives the same durations and outcomes per job. Default 1. */
  seed?: number;
  /** Time a run stays queued (first half CREATED/Created, second half SCHEDULED/Pending). Default [200, 1000]. */
  queueMs?: DurationSpec;
  /** Time a run stays running before it is final. Default [1000, 5000]. */
  durationMs?: DurationSpec;
  /** TrueFoundry: time from a terminate request (TERMINATION_REQUESTED) to TERMINATED. Default [500, 2000]. */
  terminationMs?: DurationSpec;
  /** Share of runs that end FAILED / Failed. Default 0. */
  failureRate?: number;
  /** Milliseconds since the epoch, fractional. Default `performance.timeOrigin + performance.now()`. */
  clock?: () => number;
  /** Keep every request (default). false keeps only counts, for long benchmarks. */
  recordRequests?: boolean;
  /** Fixed ports instead of free ones (0). */
  ports?: Partial<Record<Provider, number>>;
  truefoundry?: {
    /**
     * Applications that exist (others answer 404). Default: any id exists. Deployment ids default
     * to `<applicationId>-dep`.
     */
    applications?: string[] | Record<string, { deploymentId?: string; name?: string }>;
  };
  kognitos?: {
    /** Agents and their process ids that exist (others answer 404). Default: any. */
    agents?: Record<string, string[]>;
  };
}

/** Run state in anyjob's words, next to the provider's own `status`. */
export type RunState = 'queued' | 'running' | 'succeeded' | 'failed' | 'canceled';

export interface EmulatedRun {
  provider: Provider;
  /** TrueFoundry: the JobRun id; Kognitos: the run id (what `GET /runs/{run_id}` takes). */
  id: string;
  /** TrueFoundry: `jobRunName`; Kognitos: the run's `name`. */
  name: string;
  job: string;
  /** TrueFoundry `metadata.job_run_name_alias`; Kognitos `name`: what a test uses to find duplicates. */
  alias: string | null;
  /** The provider's status now (`RUNNING`, `Succeeded`, …). */
  status: string;
  state: RunState;
  final: boolean;
  /** The final outcome the run has (or will have): `canceled` once termination was requested. */
  outcome: 'succeeded' | 'failed' | 'canceled';
  /** Server times, ms since the epoch (fractional). */
  createdAt: number;
  runningAt: number;
  /** When the run becomes (became) final: the detection-lag baseline. */
  finalAt: number;
  /** When a get or list first served this run in a final status; null until then. */
  finalServedAt: number | null;
  terminationRequestedAt: number | null;
  /** Id of the request that created the run (see `requests()`); null for seeded runs. */
  createdByRequest: number | null;
  seeded: boolean;
  deleted: boolean;
  applicationId?: string;
  deploymentId?: string;
  agentId?: string;
  processId?: string;
  stage?: string;
}

export interface RecordedRequest {
  /** 1, 2, 3… in arrival order. */
  id: number;
  provider: Provider;
  /** null when no route matched (the answer was 404). */
  route: RouteName | null;
  method: string;
  path: string;
  /** Path and query as sent. */
  url: string;
  /** A repeated key gives an array. */
  query: Record<string, string | string[]>;
  /** Lower-case names. */
  headers: Record<string, string | string[] | undefined>;
  body: string;
  /** Arrival time (body read), ms since the epoch. */
  time: number;
  /** Status answered; null when the connection was reset, held or is still waiting. */
  status: number | null;
  outcome: 'pending' | 'answered' | 'reset' | 'held' | 'delayed' | 'cut' | 'streaming' | 'client-gone';
  answeredAt: number | null;
  fault: FaultType | null;
  /** The run this request created, if any: with `EmulatedRun.createdByRequest` this accounts for every run. */
  createdRunId: string | null;
  /** huge-body, gzip-bomb, cut-body: body bytes flushed to the socket before it ended or the client left. */
  bytesWritten: number | null;
}

export type FaultType =
  | 'timeout'
  | 'reset-before'
  | 'reset-after'
  | 'status'
  | 'cut-body'
  | 'invalid-json'
  | 'redirect'
  | 'huge-body'
  | 'gzip-bomb'
  | 'delay';

interface FaultBase {
  /** How many matching requests it applies to: default 1; `Infinity` or 'always' for every one. */
  times?: number | 'always';
  /** Extra response headers. */
  headers?: Record<string, string>;
}

/**
 * `sideEffect`: run the route's handler first (create the run, terminate it, …), then fail.
 * Defaults: timeout false, status false, redirect false, invalid-json/huge-body/gzip-bomb true.
 */
export type Fault =
  /** Hold the request and never answer (until close/reset). */
  | (FaultBase & { type: 'timeout'; sideEffect?: boolean })
  /** Destroy the socket without handling the request. */
  | (FaultBase & { type: 'reset-before' })
  /** Handle the request (the run is created), then destroy the socket. */
  | (FaultBase & { type: 'reset-after' })
  /** Answer this status with the provider's error body (or `body`), optionally with Retry-After. */
  | (FaultBase & {
      type: 'status';
      status: number;
      retryAfter?: number | string;
      body?: unknown;
      contentType?: string;
      sideEffect?: boolean;
    })
  /** Handle it, send its status and a Content-Length larger than the bytes sent, then destroy. */
  | (FaultBase & { type: 'cut-body'; sentBytes?: number; declaredLength?: number })
  /** Answer 200 (or `status`) with a body that is not JSON (default an HTML page, content type JSON). */
  | (FaultBase & {
      type: 'invalid-json';
      body?: string;
      contentType?: string;
      status?: number;
      sideEffect?: boolean;
    })
  /** Answer 307 (or `status`) with Location (default the request's own path and query). */
  | (FaultBase & { type: 'redirect'; status?: number; location?: string; sideEffect?: boolean })
  /** Stream `bytes` (default 100 MiB) of a JSON string; `bytesWritten` counts what was flushed. */
  | (FaultBase & {
      type: 'huge-body';
      bytes?: number;
      contentLength?: boolean;
      status?: number;
      sideEffect?: boolean;
    })
  /** Content-Encoding gzip body inflating to `inflatedBytes` (default 1 GiB, ~1 MB on the wire). */
  | (FaultBase & { type: 'gzip-bomb'; inflatedBytes?: number; status?: number; sideEffect?: boolean })
  /** Handle the request at once, answer after `ms` (real milliseconds). */
  | (FaultBase & { type: 'delay'; ms: number });

export type FaultParams<T extends FaultType> = Omit<Extract<Fault, { type: T }>, 'type'>;

export type RequestFilter =
  | RouteName
  | Provider
  | Partial<Pick<RecordedRequest, 'provider' | 'route' | 'method' | 'path' | 'fault' | 'status'>>
  | ((request: RecordedRequest) => boolean);

export type RunFilter =
  | {
      provider?: Provider;
      job?: string;
      alias?: string | null;
      state?: RunState;
      seeded?: boolean;
      /** Default: deleted runs are left out. */
      deleted?: boolean;
    }
  | ((run: EmulatedRun) => boolean);

export interface SeedOptions {
  /** Default true: history, every run final by `endAt`. false: runs created now that progress as usual. */
  final?: boolean;
  /** History: provider ms between creations (scaled by timeScale). Default 60 000. */
  spacingMs?: number;
  /** History: every run is final by this time (ms since the epoch). Default now. */
  endAt?: number;
  queueMs?: DurationSpec;
  durationMs?: DurationSpec;
  failureRate?: number;
  /** Kognitos stage. Default 'Published'. */
  stage?: 'Draft' | 'Published';
  /** Kognitos run names: `<namePrefix> <i>`. Default 'seeded run'. */
  namePrefix?: string;
  /** TrueFoundry triggeredBy. */
  triggeredBy?: string;
}

export interface EmulatorStats {
  urls: Record<Provider, string>;
  uptimeMs: number;
  /** Requests received (admin routes and CORS preflights excluded). */
  requests: number;
  preflights: number;
  byRoute: Record<string, number>;
  byStatus: Record<string, number>;
  /** `<route>:<fault type>` → times it struck. */
  faults: Record<string, number>;
  pendingFaults: Record<string, Fault[]>;
  runs: Record<
    Provider,
    { total: number; seeded: number; deleted: number; byState: Record<RunState, number> }
  >;
}

export interface Emulator {
  /** TrueFoundry: the origin (paths `/api/svc/v1/...`); Kognitos: `<origin>/v2`. */
  readonly urls: Readonly<Record<Provider, string>>;
  readonly keys: Readonly<Record<Provider, string>>;
  readonly timeScale: number;
  /** The emulator's clock (ms since the epoch). */
  now(): number;
  /** Snapshots of the runs (deleted ones left out unless asked for), in creation order. */
  runs(filter?: RunFilter): EmulatedRun[];
  requests(filter?: RequestFilter): RecordedRequest[];
  /** Requests received, in all or matching the filter (a route name is O(1)). */
  count(filter?: RequestFilter): number;
  stats(): EmulatorStats;
  /** Queues a fault for the next matching request(s); several queue in order. */
  setFault(route: RouteSelector, fault: Fault): void;
  setFault<T extends FaultType>(route: RouteSelector, type: T, params?: FaultParams<T>): void;
  clearFaults(route?: RouteSelector): void;
  /** Creates runs without HTTP. TrueFoundry job: the application id; Kognitos: 'agent/process' or ids. */
  seedRuns(
    provider: Provider,
    job: string | { agentId: string; processId: string },
    n: number,
    options?: SeedOptions,
  ): EmulatedRun[];
  /** Forgets runs, requests and faults; ends held requests. */
  reset(): void;
  close(): Promise<void>;
}

export declare function startEmulator(options?: EmulatorOptions): Promise<Emulator>;
