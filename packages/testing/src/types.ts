// The public types of @anyjob/testing.
import type { AnyJobProviderDescriptor, JobStatus } from '@anyjob/core';

/** How long a step of a run's script lasts: ms of (virtual) time, a number of polls, or both (whichever comes first). */
export type FakeDuration = number | { readonly ms?: number; readonly polls?: number };

/** One step of a run's life. A step with a final status ends the script. */
export interface FakeStep {
  /** anyjob's status; the fake reports the provider's word for it (`FINISHED`, `Succeeded`, …). */
  readonly status: JobStatus;
  /** Milliseconds the step lasts, read from `Date.now()` (fake timers move it). */
  readonly ms?: number;
  /** Reads of the run (a get, or a list page holding it) the step lasts. */
  readonly polls?: number;
  /** The provider's own status word, instead of the one picked from the status table. */
  readonly word?: string;
  /** A failed run's message. */
  readonly error?: string;
  /** A succeeded run's outputs (where the provider reports outputs). */
  readonly outputs?: Readonly<Record<string, unknown>>;
}

/**
 * A fault, in the vocabulary of anyjob's fault-matrix tests. `afterCreate`: the request is handled
 * first (the run is created, the cancel is recorded), then the fault strikes.
 */
export type FakeFault = (
  | { readonly kind: '429'; readonly retryAfterSeconds?: number; readonly message?: string }
  | {
      readonly kind: '5xx';
      readonly status?: number;
      readonly message?: string;
      readonly afterCreate?: boolean;
    }
  | {
      /** Any error status (400–599) with the provider's error body, e.g. a 403 on a list. */
      readonly kind: 'status';
      readonly status: number;
      readonly message?: string;
      readonly retryAfterSeconds?: number;
      readonly afterCreate?: boolean;
    }
  | { readonly kind: 'reset'; readonly afterCreate?: boolean }
  | { readonly kind: 'slow-headers'; readonly ms: number; readonly afterCreate?: boolean }
  | { readonly kind: 'cut-body' }
  | { readonly kind: 'hang'; readonly afterCreate?: boolean }
  | { readonly kind: 'invalid-json' }
  | {
      /** A redirect (default 307) to `location` (default the request's own URL). */
      readonly kind: 'redirect';
      readonly status?: 301 | 302 | 303 | 307 | 308;
      readonly location?: string;
      readonly afterCreate?: boolean;
    }
  | {
      /**
       * A body of `bytes` (default 100 MiB, made as it is read) with `status` (default 200);
       * `contentLength` declares its size up front. The request is handled first unless
       * `afterCreate: false`.
       */
      readonly kind: 'huge-body';
      readonly bytes?: number;
      readonly contentLength?: boolean;
      readonly status?: number;
      readonly afterCreate?: boolean;
    }
  | {
      /** A `Content-Encoding: gzip` body inflating to `inflatedBytes` (default 1 GiB). Handled first unless `afterCreate: false`. */
      readonly kind: 'gzip-bomb';
      readonly inflatedBytes?: number;
      readonly status?: number;
      readonly afterCreate?: boolean;
    }
) & {
  /** How many matching requests it strikes: default 1; `'always'` for every one. */
  readonly times?: number | 'always';
  /** Headers added to the answer (a provider's request id, say). */
  readonly headers?: Readonly<Record<string, string>>;
};

export type FakeFaultKind = FakeFault['kind'];

/** Which trigger requests a rule applies to: fields of the trigger in the facade's words, or a test. */
export type FakeTriggerMatch =
  | Readonly<Record<string, unknown>>
  | ((request: Readonly<Record<string, unknown>>) => boolean);

/** The script of the runs a matching trigger creates. Methods chain. */
export interface FakeTriggerRule {
  /** The run succeeds, with these outputs. */
  succeed(outputs?: Readonly<Record<string, unknown>>): FakeTriggerRule;
  /** The run fails with this message. */
  fail(error?: string): FakeTriggerRule;
  /** The run ends canceled (stopped on the provider's side). */
  cancel(): FakeTriggerRule;
  /**
   * The whole script, step by step; or a function giving each run its own (random durations, a
   * share of failures), called with the trigger in the facade's words.
   */
  script(
    steps: readonly FakeStep[] | ((request: Readonly<Record<string, unknown>>) => readonly FakeStep[]),
  ): FakeTriggerRule;
  /** How long the run stays queued. */
  queuedFor(duration: FakeDuration): FakeTriggerRule;
  /** How long the run runs before its final status. */
  runningFor(duration: FakeDuration): FakeTriggerRule;
  /** Applies to the next `n` matching triggers only (default: every one). */
  times(n: number): FakeTriggerRule;
}

/** A run the fake holds, as the provider would report it now. */
export interface FakeRunSnapshot {
  readonly provider: string;
  /** The id the provider addresses the run by (TrueFoundry's run name, Kognitos' run id, …). */
  readonly id: string;
  /** The job it belongs to (whatever the provider lists runs by). */
  readonly job: string;
  readonly status: JobStatus;
  readonly providerStatus: string;
  /** The trigger in the facade's words (what `onTrigger` matched). */
  readonly request: Readonly<Record<string, unknown>>;
  readonly createdAt: number;
  readonly startedAt: number | undefined;
  readonly endedAt: number | undefined;
  readonly cancelRequested: boolean;
  readonly error: string | undefined;
  readonly outputs: Readonly<Record<string, unknown>> | undefined;
  /** Reads of the run so far (gets, and list pages holding it). */
  readonly polls: number;
  /** When a read (a get, or a list page holding it) first reported the run final: the detection lag's end. */
  readonly finalReadAt: number | undefined;
  /** The id (see `requests()`) of the request that created the run. */
  readonly requestId: number;
}

/** A request the fake received, keys redacted. */
export interface FakeRequestRecord {
  /** 1, 2, 3… in arrival order. */
  readonly id: number;
  readonly provider: string;
  /** The spec's operationId; undefined when no route matched (answered 404). */
  readonly operation: string | undefined;
  readonly method: string;
  /** Path and query, keys redacted. */
  readonly url: string;
  /** Lower-case names; credentials `[redacted]`. */
  readonly headers: Readonly<Record<string, string>>;
  /** The body as text, keys redacted. */
  readonly body: string;
  /** `Date.now()` at arrival. */
  readonly time: number;
  /** The status answered; undefined for a reset or a hang. */
  readonly status: number | undefined;
  readonly fault: FakeFaultKind | undefined;
  /**
   * huge-body, gzip-bomb: the body bytes sent (compressed, for a gzip bomb) before the client
   * stopped reading; undefined for other answers.
   */
  readonly bytesSent: number | undefined;
}

export interface FakeRequestFilter {
  readonly provider?: string;
  readonly operation?: string;
  readonly method?: string;
}

export interface FakeProvidersOptions {
  /** The providers to fake. Default: anyjob's default providers (its registry). */
  readonly providers?: readonly AnyJobProviderDescriptor[];
  /** The keys the fake accepts, by provider. Default `fake-<provider>-key`. */
  readonly apiKeys?: Readonly<Record<string, string>>;
  /**
   * The script of a run no `onTrigger` rule matches. Default: queued for one poll, running for
   * one poll, then succeeded.
   */
  readonly script?: readonly FakeStep[];
  /** How long a run takes to stop once a cancel is asked for. Default one poll. */
  readonly cancelAfter?: FakeDuration;
  /**
   * Called when an answer of the fake breaks the provider's spec (the fetch also rejects with the
   * error). Default: throw it where the test runner sees it (an uncaught error).
   */
  readonly onDrift?: (error: Error) => void;
}

/** Settings for `createAnyJob`: the fake's fetch, and each provider's key and base URL. */
export type FakeAnyJobConfig = {
  fetch: typeof globalThis.fetch;
  env: Record<string, string | undefined>;
} & Record<string, unknown>;

export interface FakeListenOptions {
  /** A fixed port instead of a free one. */
  readonly port?: number;
  /**
   * Answer browsers on other origins: preflights (not recorded) and `Access-Control-Allow-Origin: *`
   * on every answer, for a page under test served from elsewhere. Default false, as the providers.
   */
  readonly cors?: boolean;
}

export interface FakeServer {
  /** `http://127.0.0.1:<port>`; each provider's API is under `/<provider>` (see `baseUrl`). */
  readonly url: string;
  /** Each provider's base URL on this server. */
  readonly baseUrls: Readonly<Record<string, string>>;
  close(): Promise<void>;
}

export interface FakeProviders {
  /** An in-process fetch (no port, no server): pass it as the `fetch` setting. */
  readonly fetch: typeof globalThis.fetch;
  /** The providers faked, by name. */
  readonly providers: readonly string[];
  /** The provider's base URL for the in-process fetch. */
  baseUrl(provider: string): string;
  /** The key the fake accepts for the provider. */
  apiKey(provider: string): string;
  /** Settings for `createAnyJob({ ...fake.config(), retryDelayMs: 1 })`: every provider, with the fake's fetch. */
  config(): FakeAnyJobConfig;
  /** Serves the fake over HTTP on 127.0.0.1 (a free port), for the CLI and other languages. */
  listen(options?: FakeListenOptions): Promise<FakeServer>;
  /** Scripts the runs of matching triggers (the newest matching rule wins). */
  onTrigger(provider: string, match?: FakeTriggerMatch): FakeTriggerRule;
  /** Queues a fault for the next matching request(s) of an operation (its operationId in the spec). */
  fault(provider: string, operation: string, fault: FakeFault): void;
  /** The runs held, oldest first. */
  runs(provider?: string): FakeRunSnapshot[];
  /** Every request received (keys redacted), oldest first. */
  requests(filter?: FakeRequestFilter): FakeRequestRecord[];
  /** Forgets runs, requests, rules and faults. */
  reset(): void;
}
