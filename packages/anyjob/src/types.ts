// The facade's types, derived from provider descriptors: for the default providers by default,
// for any list of descriptors (a third party's included) through the `P` parameter.
import type {
  AnyJobProviderDescriptor,
  CallOptions,
  CommonProviderSettings,
  JobRun as CoreJobRun,
  WaitOptions as CoreWaitOptions,
  FleetOptions,
  FleetResult,
  FleetState,
  FleetWatch,
  JobProviderDescriptor,
  JobRefBase,
  ListOptions,
} from '@anyjob/core';
import type { DefaultProvider } from './registry.js';

export type { DefaultProvider };

/** A provider's name: for the defaults, the `name` of each descriptor registered in providers.ts. */
export type ProviderName<P extends AnyJobProviderDescriptor = DefaultProvider> = P['name'];

type Parts<P> =
  P extends JobProviderDescriptor<infer N, infer Req, infer Ref, infer S, infer Q>
    ? { name: N; request: Req; ref: Ref; settings: S; query: Q }
    : never;

/** What `triggerJob` takes, for each provider. */
export type TriggerRequest<P extends AnyJobProviderDescriptor = DefaultProvider> = Parts<P>['request'];
/** A stored reference to a run, for each provider. */
export type JobRef<P extends AnyJobProviderDescriptor = DefaultProvider> = Parts<P>['ref'];
/** What `listJobRuns` takes, for each provider that can list runs. */
export type ListQuery<P extends AnyJobProviderDescriptor = DefaultProvider> = Exclude<
  Parts<P>['query'],
  never
>;
/** Settings of the provider named `Name`. */
export type SettingsOf<P extends AnyJobProviderDescriptor, Name extends string> = Parts<
  Extract<P, { name: Name }>
>['settings'];

type RunOfRef<Ref> = Ref extends JobRefBase ? CoreJobRun<Ref> : never;

/** A run of any of the providers: core's JobRun for each provider's ref. */
export type JobRun<P extends AnyJobProviderDescriptor = DefaultProvider> = RunOfRef<JobRef<P>>;

/** The run type a request, run or ref produces, so `run.ref` is typed for its provider. */
export type RunFor<
  T extends { provider: string },
  P extends AnyJobProviderDescriptor = DefaultProvider,
> = RunOfRef<Extract<JobRef<P>, { provider: T['provider'] }>>;

export type WaitOptions<P extends AnyJobProviderDescriptor = DefaultProvider> = CoreWaitOptions<JobRun<P>>;

/** waitForJob's options plus the fleet's: request budgets, concurrency, batching. */
export type WaitManyOptions<P extends AnyJobProviderDescriptor = DefaultProvider> = FleetOptions<JobRun<P>>;

/** A run to wait for among many: a run, a ref, or an entry of a saved watch state. */
export type WaitInput<P extends AnyJobProviderDescriptor = DefaultProvider> =
  | JobRun<P>
  | JobRef<P>
  | FleetState['runs'][number];

/** Settings every provider takes, given once for all of them in createAnyJob's config. */
export type SharedSettings = Omit<CommonProviderSettings, 'apiKey' | 'baseUrl' | 'headers'>;

/** Settings for createAnyJob / composeAnyJob: shared ones at the top, each provider's under its name (those win). */
export type AnyJobConfig<P extends AnyJobProviderDescriptor = DefaultProvider> = SharedSettings & {
  [Name in P['name']]?: SettingsOf<P, Name>;
};

/** A promise of a run that can also hand out the raw Response it was read from (openai-node's `withResponse`). */
export interface RunPromise<T> extends Promise<T> {
  /** The run and the Response of the last request behind it (`undefined` when none was needed). */
  withResponse(): Promise<{ run: T; response: Response | undefined }>;
}

/** One client over a set of providers: the facade's functions, dispatching on `provider`. */
export interface AnyJob<P extends AnyJobProviderDescriptor = DefaultProvider> {
  /** Starts a run (a synchronous provider's run is already final when this resolves). */
  triggerJob<R extends TriggerRequest<P>>(request: R, options?: CallOptions): RunPromise<RunFor<R, P>>;
  /** Reads a run's current state (a synchronous provider answers from the ref, without a request). */
  getJobRun<R extends JobRun<P> | JobRef<P>>(run: R, options?: CallOptions): RunPromise<RunFor<R, P>>;
  /** Polls until the run is final; resolves when it succeeded, throws JobFailedError and friends otherwise. */
  waitForJob<R extends JobRun<P> | JobRef<P>>(run: R, options?: WaitOptions<P>): RunPromise<RunFor<R, P>>;
  /** Asks the provider to stop the run; UnsupportedOperationError where it cannot. */
  cancelJob<R extends JobRun<P> | JobRef<P>>(run: R, options?: CallOptions): RunPromise<RunFor<R, P>>;
  /** Every run of a job, newest first where the provider can sort, one page at a time. */
  listJobRuns<Q extends ListQuery<P>>(query: Q, options?: ListOptions): AsyncIterable<RunFor<Q, P>>;
  /**
   * Waits for many runs (mixed providers allowed) with batched polling; resolves with one result
   * per run, in input order: `{ run }` when it succeeded, `{ error }` otherwise (the error
   * waitForJob would throw). Rejects only with AbortError, when `signal` fires.
   */
  waitForJobs(runs: readonly WaitInput<P>[], options?: WaitManyOptions<P>): Promise<FleetResult<JobRun<P>>[]>;
  /** The same wait as an async iterable of updates (each status change once, then the final state), with `state()` to resume. */
  watchJobs(runs: readonly WaitInput<P>[], options?: WaitManyOptions<P>): FleetWatch<JobRun<P>>;
}
