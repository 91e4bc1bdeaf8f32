// The versioned contract between anyjob's generic layers (facade, CLI, wait and fleet engines)
// and a provider package. A provider package exports one descriptor (JobProviderDescriptor) that
// says everything about its provider — name, status words, env vars, CLI flags — and creates
// JobProvider instances that do the work. Nothing above this contract names a provider.
import type { ProviderConformance } from '../conformance/report.js';
import { checkProviderSettings } from '../settings-checks.js';
import type { LogSettings } from '../transport/logger.js';
import type { ProviderContract } from './contract-v2.js';
import type { ProviderTesting } from './fake.js';
import { type ConfirmedTrigger, confirmTrigger, findRecoveredRun, type TriggerWindow } from './reconcile.js';
import type { JobStatus, StatusTable } from './status.js';

/**
 * The version of this contract a provider implements (like vercel/ai's `specificationVersion`):
 * `v1`, or `v2` where the descriptor also declares its API's behaviour as data (`contract`).
 */
export type SpecificationVersion = 'v1' | 'v2';
/** The version `defineJobProvider` writes for a descriptor without a `contract`. */
export const SPECIFICATION_VERSION: SpecificationVersion = 'v1';
/** Every version this core accepts. */
export const SPECIFICATION_VERSIONS: readonly SpecificationVersion[] = ['v1', 'v2'];

/** Retry, timeout and size settings; accepted per client (provider settings) and per call. */
export interface RetrySettings {
  /** Retries after the first attempt, for failures the operation may safely retry. Default 2; 0 disables. */
  maxRetries?: number;
  /** Per-request timeout in ms, including reading the body. Default 60 000 (some providers more). */
  timeoutMs?: number;
  /** First backoff delay in ms; doubles per retry, with up to 25 % jitter. Default 500. */
  retryDelayMs?: number;
  /** Upper bound of the computed backoff in ms. Default 8 000. */
  maxRetryDelayMs?: number;
  /**
   * Longest server-requested wait (`retry-after-ms` / `Retry-After`) anyjob honours, in ms. A
   * longer request ends the retries and the error carries `retryAfterMs`. Default 60 000.
   */
  maxRetryAfterMs?: number;
  /**
   * Largest response body anyjob reads, in bytes after decompression, for success and error
   * answers alike; a larger one is a ResponseTooLargeError and its connection is released.
   * Default 10 MiB.
   */
  maxResponseBytes?: number;
}

/** Options of one call: triggerJob, getJobRun, cancelJob. */
export interface CallOptions extends RetrySettings {
  /** Cancels the call at once, including a pending retry wait; it rejects with AbortError. */
  signal?: AbortSignal;
}

/** What every stored reference has; each provider adds what it needs to read or cancel the run later. */
export interface JobRefBase {
  provider: string;
  /**
   * The origin of the API the run lives on (`https://acme.truefoundry.cloud`), never a key.
   * Reading a ref against another configured origin is a ConfigError: a ref alone never decides
   * where a key is sent.
   */
  origin?: string;
}

/** One run of a job on some provider, in a provider-neutral shape. */
export interface JobRun<Ref extends JobRefBase = JobRefBase> {
  provider: Ref['provider'];
  /** The provider's id for the run (TrueFoundry: the run name; Kognitos: the run id). */
  id: string;
  status: JobStatus;
  /** The provider's own status word, when it has one (`RUNNING`, `Succeeded`, `error`). */
  providerStatus?: string;
  /** Outputs as a record. */
  output?: Record<string, unknown>;
  /** The provider's error message for a failed run. */
  error?: string;
  /** When the provider created the run (ISO 8601), where its answer says. */
  createdAt?: string;
  /** The run's page for people (a web URL), where the provider's answer has one. */
  url?: string;
  /** Plain JSON with everything needed to read or cancel the run later, in another process. */
  ref: Ref;
  /** The provider's request id of the answer this run was read from, where the provider sends one. */
  requestId?: string;
  /** The provider's response body this run was read from. */
  raw: unknown;
}

/** Options of a list: how many runs in all, and per request. */
export interface ListOptions extends CallOptions {
  /** Stop after this many runs. Default: all. */
  limit?: number;
  /** Runs per request (the provider's page size), up to the provider's maximum. */
  pageSize?: number;
}

/** One page of a provider's run list, read through its list operation. */
export interface RunPage<Ref extends JobRefBase> {
  runs: JobRun<Ref>[];
  /** Pass back to read the next page; undefined on the last page. */
  next: unknown;
}

/**
 * What anyjob knows about a provider's refs without loading the provider: their shape, the run's
 * id, and for batched polling which runs one list request can read together.
 */
export interface RefShape<Ref extends JobRefBase, Query> {
  /** Checks a stored ref's shape (InvalidRequestError naming the field and the fix), before any request. */
  check(ref: unknown, operation: string): Ref;
  /** The provider's id of the run (equals JobRun.id). */
  runId(ref: Ref): string;
  /**
   * The group a run is polled with: runs of one group are read by listing `query` (newest first),
   * `pageSize` runs per request. Undefined when the run can only be read alone.
   */
  group?(ref: Ref): { key: string; query: Query } | undefined;
  /** Runs one list request can cover, for `group`. */
  readonly pageSize?: number;
}

/**
 * A trigger made ready to send, as plain JSON, for queues of runs (@anyjob/bullmq): stored before
 * it is sent, so that if the process sending it dies with the trigger in flight, another process
 * searches for its run by the same proof instead of sending it again.
 */
export interface PreparedTrigger<Request extends { provider: string } = { provider: string }> {
  /** The request as it will be sent: defaults that carry the proof (a run-name marker) filled in. */
  request: Request;
  /** The API origin the trigger goes to (never a key), where the provider knows it before sending. */
  origin?: string;
  /**
   * What only this trigger sends, by field (`{ name: 'anyjob … 1f2e3d4c' }`, an idempotency key);
   * absent where the provider has nothing of the kind: a lost answer then ends unconfirmed.
   */
  proof?: Record<string, string>;
}

/** A configured provider: what the facade, CLI, wait and fleet engines call. */
export interface JobProvider<
  Request extends { provider: string } = { provider: string },
  Ref extends JobRefBase = JobRefBase,
  Query = unknown,
> {
  readonly specificationVersion: SpecificationVersion;
  readonly provider: Ref['provider'];
  /** The descriptor this provider was created from. */
  readonly descriptor: AnyJobProviderDescriptor;
  /** Starts a run. Validates the request before any network call (InvalidRequestError). */
  triggerJob(request: Request, options?: CallOptions): Promise<JobRun<Ref>>;
  /** Reads the run's current state. */
  getJobRun(run: JobRun<Ref> | Ref, options?: CallOptions): Promise<JobRun<Ref>>;
  /** Asks the provider to stop the run; UnsupportedOperationError where the API cannot. */
  cancelJob(run: JobRun<Ref> | Ref, options?: CallOptions): Promise<JobRun<Ref>>;
  /**
   * Reads one page of the runs `query` selects, newest first where the API can sort; `cursor` is
   * the previous page's `next` (undefined for the first page). UnsupportedOperationError where
   * the provider has no run list.
   */
  listRunPage(query: Query, cursor: unknown, options?: ListOptions): Promise<RunPage<Ref>>;
  readonly refs: RefShape<Ref, Query>;
  /**
   * Fills in the request's proof (see PreparedTrigger) without sending anything; checks the
   * request first (InvalidRequestError). A provider without proof returns the request as it is.
   * Optional: defineJobProvider's providers have it.
   */
  prepareTrigger?(request: Request): Promise<PreparedTrigger<Request>>;
  /** Sends a prepared trigger once, as triggerJob does (an unknown outcome searched for its proof). */
  triggerPrepared?(prepared: PreparedTrigger<Request>, options?: CallOptions): Promise<JobRun<Ref>>;
  /**
   * The run of a prepared trigger sent in `window` whose answer was lost (its process died): the
   * one run carrying its proof, else TriggerUnconfirmedError with the candidates. Never sends it.
   */
  findPreparedRun?(
    prepared: PreparedTrigger<Request>,
    window: TriggerWindow,
    options?: { signal?: AbortSignal },
  ): Promise<JobRun<Ref>>;
}

/** What a provider's implementation module returns: everything but the descriptor's data. */
export type JobProviderImplementation<
  Request extends { provider: string },
  Ref extends JobRefBase,
  Query,
> = Omit<
  JobProvider<Request, Ref, Query>,
  | 'specificationVersion'
  | 'provider'
  | 'refs'
  | 'descriptor'
  | 'prepareTrigger'
  | 'triggerPrepared'
  | 'findPreparedRun'
> & {
  /**
   * Optional: the request with its proof fixed (see PreparedTrigger). With `preparedTrigger`, it
   * gives the provider's queued triggers exactly-once recovery.
   */
  prepareTrigger?(request: Request): PreparedTrigger<Request>;
  /** The trigger of a prepared request, as confirmTrigger takes it: its send and its proof search. */
  preparedTrigger?(prepared: PreparedTrigger<Request>, options?: CallOptions): ConfirmedTrigger<Ref>;
};

/** The env vars a provider reads, for messages and for scrubbing keys from output. */
export interface ProviderEnv {
  /** Env vars holding the API key, in order of preference. */
  readonly apiKey: readonly string[];
  /** Env vars holding the base URL, in order of preference. */
  readonly baseUrl: readonly string[];
  /** Env vars of other settings, by setting name (e.g. `region: ['KOGNITOS_REGION']`). */
  readonly settings?: Readonly<Record<string, readonly string[]>>;
}

/**
 * One command-line flag. `field` flags build the request (or the list query) generically:
 * `string` sets the field to the text, `boolean` to true, `list` (repeatable) to an array,
 * `pairs` (repeatable `key=value`, or `key:=<json>` where `json` is set) to a record, `json`
 * (inline JSON, `@file` or `-` for stdin) to the parsed value, `integer` to its decimal digits
 * as a string (kept exactly, like an int64 run id beyond 2^53), `number` to a finite number.
 * `setting` flags set a provider setting instead (e.g. `--region`).
 */
export interface CliFlag {
  /** The flag without dashes, kebab-case: `application` for `--application`. */
  readonly name: string;
  readonly kind: 'string' | 'boolean' | 'list' | 'pairs' | 'json' | 'integer' | 'number';
  readonly field?: string;
  readonly setting?: string;
  /** Placeholder shown in help, e.g. `<id>`. */
  readonly value?: string;
  readonly help: string;
  /** `pairs` only: values may also be JSON (`key:=42`), where the spec allows non-strings. */
  readonly json?: boolean;
  /** Shown as required in usage lines (the provider's checks still decide). */
  readonly required?: boolean;
}

/** How the CLI presents a provider: built into `anyjob trigger <name>`, `anyjob list <name>`, help and errors. */
export interface ProviderCli {
  /** One sentence for `anyjob trigger <name> --help`. */
  readonly summary: string;
  /** Usage lines after `anyjob trigger <name> `, e.g. `--application <id> [--param key=value ...]`. */
  readonly usage: readonly string[];
  readonly flags: readonly CliFlag[];
  /** Flags of `anyjob list <name>`; absent when the provider cannot list runs. */
  readonly listFlags?: readonly CliFlag[];
  /** Flags that set provider settings, accepted by every command acting on this provider's runs. */
  readonly settingFlags?: readonly CliFlag[];
  /** Extra lines for the help page (e.g. which server is used). */
  readonly notes?: string;
}

/** Settings every provider accepts besides its own. */
export interface CommonProviderSettings extends RetrySettings, LogSettings {
  /** API key; defaults to the provider's env var. */
  apiKey?: string;
  /** API base URL; defaults to the provider's env var or documented server. */
  baseUrl?: string;
  /** Extra headers sent with every request. */
  headers?: Record<string, string>;
  /** A `fetch` implementation to use instead of the global one (proxies, tracing, tests). */
  fetch?: typeof globalThis.fetch;
  /** Env to read settings from; defaults to `process.env` where it exists. */
  env?: Record<string, string | undefined>;
  /**
   * Allows running in a browser. Off by default: an API key shipped to a browser is readable by
   * everyone who loads the page. Turn it on only when the key is meant to be public.
   */
  dangerouslyAllowBrowser?: boolean;
  /** Check each request against the spec before sending it (default `true`). */
  validateRequests?: boolean;
  /** Check each 2xx JSON body against the spec (default `false`). */
  validateResponses?: boolean;
}

/** Everything about one provider. Exported by its package; the facade and CLI are built from these. */
export interface JobProviderDescriptor<
  Name extends string = string,
  Request extends { provider: Name } = { provider: Name },
  Ref extends JobRefBase & { provider: Name } = JobRefBase & { provider: Name },
  Settings extends CommonProviderSettings = CommonProviderSettings,
  Query = unknown,
> {
  readonly specificationVersion: SpecificationVersion;
  readonly name: Name;
  /** The provider's name for people: `TrueFoundry`. */
  readonly displayName: string;
  /** The provider's run status words → JobStatus (checked against the spec's status enum by a test). */
  readonly statuses: StatusTable;
  /** v2: what the provider's API does, as data (status, pagination, id type, idempotency, trigger answer). */
  readonly contract?: ProviderContract;
  /** Runs finish inside the trigger request: there is nothing to poll (the trigger's timeout bounds the run). */
  readonly synchronousRuns: boolean;
  readonly capabilities: { readonly cancel: boolean; readonly list: boolean };
  readonly env: ProviderEnv;
  /**
   * A request budget from the provider's documentation, shared by every wait in the process;
   * absent when the provider documents none.
   */
  readonly rateLimit?: { readonly requestsPerMinute: number; readonly source: string };
  readonly cli: ProviderCli;
  readonly refs: RefShape<Ref, Query>;
  /**
   * The live conformance check (`anyjob doctor <name>`): which read operations to call, in what
   * order, and the spec's schemas of their answers, loaded on first use. Absent: no check.
   */
  readonly conformance?: ProviderConformance<Settings>;
  /**
   * The provider's fake for tests (`@anyjob/testing`): its routes, wire shape and status words,
   * loaded on first use from the package's `./testing` entry. Absent: no fake.
   */
  readonly testing?: ProviderTesting;
  /**
   * Creates a provider instance. The settings passed are checked at once (ConfigError naming the
   * setting); nothing is loaded, read or sent until its first call.
   */
  create(settings?: Settings): JobProvider<Request, Ref, Query>;
}

/** Any provider descriptor, whatever its types. */
// biome-ignore lint/suspicious/noExplicitAny: the widest descriptor type, for registries
export type AnyJobProviderDescriptor = JobProviderDescriptor<string, any, any, any, any>;

/** What a provider package's implementation module exports, loaded on the provider's first use. */
export interface JobProviderModule<
  Request extends { provider: string },
  Ref extends JobRefBase,
  Settings,
  Query,
> {
  createJobProvider(settings: Settings): JobProviderImplementation<Request, Ref, Query>;
}

/** A v2 descriptor: one that declares its `contract`. */
export type JobProviderDescriptorV2<
  Name extends string = string,
  Request extends { provider: Name } = { provider: Name },
  Ref extends JobRefBase & { provider: Name } = JobRefBase & { provider: Name },
  Settings extends CommonProviderSettings = CommonProviderSettings,
  Query = unknown,
> = JobProviderDescriptor<Name, Request, Ref, Settings, Query> & {
  readonly specificationVersion: 'v2';
  readonly contract: ProviderContract;
};

/**
 * The descriptor's data; `defineJobProvider` adds the version and a lazy `create`. A v1 definition
 * gives `statuses`; a v2 one gives `contract` (its `statuses` default to the status spec's table).
 */
export type JobProviderDefinition<
  Name extends string,
  Request extends { provider: Name },
  Ref extends JobRefBase & { provider: Name },
  Settings extends CommonProviderSettings,
  Query,
> = Omit<
  JobProviderDescriptor<Name, Request, Ref, Settings, Query>,
  'specificationVersion' | 'create' | 'statuses' | 'contract'
> & {
  /** Loads the implementation (the generated SDK, schemas and validator) on first use. */
  load(): Promise<JobProviderModule<Request, Ref, Settings, Query>>;
} & (
    | { readonly statuses: StatusTable; readonly contract?: undefined }
    | { readonly contract: ProviderContract; readonly statuses?: StatusTable }
  );

/**
 * Builds a descriptor whose `create` returns a provider that loads the implementation module on
 * its first call. So importing a descriptor costs only its data: a provider's generated SDK,
 * schemas and validator load when that provider is first used.
 *
 * Pure (no side effects), so bundlers drop a descriptor nobody uses, and with it the dynamic
 * import of its implementation.
 */
/* @__NO_SIDE_EFFECTS__ */
export function defineJobProvider<
  Name extends string,
  Request extends { provider: Name },
  Ref extends JobRefBase & { provider: Name },
  Settings extends CommonProviderSettings,
  Query,
>(
  definition: JobProviderDefinition<Name, Request, Ref, Settings, Query>,
): JobProviderDescriptor<Name, Request, Ref, Settings, Query> {
  const { load, ...data } = definition;
  const specificationVersion: SpecificationVersion = data.contract ? 'v2' : SPECIFICATION_VERSION;
  const descriptor: JobProviderDescriptor<Name, Request, Ref, Settings, Query> = {
    ...data,
    statuses: data.statuses ?? (data.contract as ProviderContract).status.table,
    specificationVersion,
    create(settings?: Settings) {
      // Every setting passed is checked now, so a bad one fails here rather than on first use.
      checkProviderSettings(settings, data);
      let loaded: Promise<JobProviderImplementation<Request, Ref, Query>> | undefined;
      const impl = () => {
        // A failed load (a chunk that could not be fetched) is not cached: the next call retries.
        loaded ??= load().then(
          (module) => module.createJobProvider(settings ?? ({} as Settings)),
          (error: unknown) => {
            loaded = undefined;
            throw error;
          },
        );
        return loaded;
      };
      return {
        specificationVersion,
        provider: data.name as Ref['provider'],
        descriptor,
        triggerJob: async (request, options) => (await impl()).triggerJob(request, options),
        getJobRun: async (run, options) => (await impl()).getJobRun(run, options),
        cancelJob: async (run, options) => (await impl()).cancelJob(run, options),
        listRunPage: async (query, cursor, options) => (await impl()).listRunPage(query, cursor, options),
        async prepareTrigger(request) {
          const loaded = await impl();
          return loaded.prepareTrigger?.(request) ?? { request };
        },
        async triggerPrepared(prepared, options) {
          const loaded = await impl();
          if (!loaded.preparedTrigger || !loaded.prepareTrigger)
            return loaded.triggerJob(prepared.request, options);
          return confirmTrigger(loaded.preparedTrigger(prepared, options));
        },
        async findPreparedRun(prepared, window, options) {
          const loaded = await impl();
          const trigger = loaded.preparedTrigger?.(prepared, { signal: options?.signal });
          return findRecoveredRun<Ref>(
            trigger ?? {
              provider: data.name,
              operation: 'triggerJob',
              request: {},
              hint: `Look for the run in ${data.displayName} before triggering it again.`,
              unsearchable: `nothing: the ${data.displayName} provider has no proof to search by`,
            },
            window,
            options?.signal,
          );
        },
        refs: data.refs,
      } satisfies JobProvider<Request, Ref, Query>;
    },
  };
  return descriptor;
}

/** Accepts either a JobRun or its bare ref. */
export function refOf<Ref extends JobRefBase>(run: JobRun<Ref> | Ref): Ref {
  return typeof run === 'object' &&
    run !== null &&
    'ref' in run &&
    typeof run.ref === 'object' &&
    run.ref !== null
    ? run.ref
    : (run as Ref);
}
