// The contract between a provider package's `./testing` entry and the fake engine of
// `@anyjob/testing`. A provider supplies only what is its own: where its API lives, how it
// authenticates, its status spellings, how a run looks on the wire, and a handler per operation of
// its spec. The engine (runs that live, scripts, faults, the request log, validation of every
// answer against the spec) is generic and lives in @anyjob/testing.
import type { JobStatus } from './status.js';

/** A schema in the Standard Schema v1 shape (standardschema.dev): the generated valibot schemas are. */
export interface FakeSchema {
  readonly '~standard': { readonly validate: (value: unknown) => unknown };
}

/** One operation of the spec as the generated operations table has it: route and answer schemas. */
export interface FakeOperation {
  readonly method: string;
  /** URL template relative to the base path, e.g. `/runs/{run_id}`. */
  readonly url: string;
  /** Body schema of the documented 2xx answer. */
  readonly response?: FakeSchema;
  /** Body schema of each documented error status. */
  readonly errors: Readonly<Record<number, FakeSchema>>;
}

/** Query values as sent: a repeated key gives an array. */
export type FakeQuery = Readonly<Record<string, string | readonly string[]>>;

/** A run as the engine holds it, without reading it (reading counts as a poll). */
export interface FakeRunHandle<Fields = Record<string, unknown>> {
  /** The id the provider addresses the run by. */
  readonly id: string;
  /** 1, 2, 3… per provider, in creation order. */
  readonly seq: number;
  /** The job the run belongs to (whatever the provider lists runs by). */
  readonly job: string;
  /** Creation time, ms since the epoch (`Date.now()`, so fake timers move it). */
  readonly createdAt: number;
  /** What the provider's handler stored at creation (names, inputs, the deployment…). */
  readonly fields: Fields;
}

/** A run at one moment: its status in anyjob's words and in the provider's. */
export interface FakeRunView<Fields = Record<string, unknown>> extends FakeRunHandle<Fields> {
  readonly status: JobStatus;
  /** The provider's spelling of the status (`FINISHED`, `Succeeded`, …). */
  readonly word: string;
  /** True from the moment cancellation was asked for (the provider may still report running). */
  readonly cancelRequested: boolean;
  /** When the run entered its first running step; undefined while queued. */
  readonly startedAt: number | undefined;
  /** When the run became final; undefined until then. */
  readonly endedAt: number | undefined;
  /** The failure message of a failed run. */
  readonly error: string | undefined;
  /** The outputs a succeeded run was scripted with. */
  readonly outputs: Readonly<Record<string, unknown>> | undefined;
}

/** An HTTP answer of a handler: status, JSON body (validated against the spec) and headers. */
export interface FakeAnswer {
  readonly status: number;
  readonly body?: unknown;
  readonly headers?: Readonly<Record<string, string>>;
}

/** What a handler gets for one request, and the engine's run store. */
export interface FakeRequestContext<Fields = Record<string, unknown>> {
  readonly operation: string;
  /** Path parameters of the operation's URL template, decoded. */
  readonly path: Readonly<Record<string, string>>;
  readonly query: FakeQuery;
  /** The parsed JSON body; undefined when there was none. */
  readonly body: unknown;
  /** The server's time for this request (`Date.now()`). */
  readonly now: number;
  /** The URL of the provider's API as the client sees it (origin and base path). */
  readonly baseUrl: string;
  /**
   * Creates a run, scripted by the first `onTrigger` rule whose fields match `request` (the
   * trigger in the facade's words: `{ applicationId }`, `{ agentId, processId }`, …).
   */
  createRun(input: {
    job: string;
    request: Readonly<Record<string, unknown>>;
    fields: Fields;
    id: (seq: number) => string;
  }): FakeRunHandle<Fields>;
  /** The run with this id, if any. */
  run(id: string): FakeRunHandle<Fields> | undefined;
  /** The runs of a job, newest first. */
  runsOf(job: string): readonly FakeRunHandle<Fields>[];
  /** The run now, counting the read as a poll of it (what the client sees). */
  read(run: FakeRunHandle<Fields>): FakeRunView<Fields>;
  /** The run now without counting a poll (for filters and sorting). */
  peek(run: FakeRunHandle<Fields>): FakeRunView<Fields>;
  /** Runs the run's script to its end at once (a synchronous provider answers the final run). */
  settle(run: FakeRunHandle<Fields>): FakeRunView<Fields>;
  /** Asks the run to stop; false when it is already final. It passes `cancelingWord` first. */
  cancel(run: FakeRunHandle<Fields>): boolean;
  /** Forgets the run (a delete): it is no longer read or listed. */
  remove(run: FakeRunHandle<Fields>): void;
  /** The provider's error answer for this status. */
  error(status: number, message: string): FakeAnswer;
}

/** What a provider package's `./testing` entry exports: the provider-specific half of its fake. */
export interface ProviderFake<Fields = Record<string, unknown>> {
  /** The path the spec's URLs are relative to, under the base URL's origin (`/v2`, `/api/v1`, ``). */
  readonly basePath: string;
  /** The operations of the spec (method, URL template, response and error schemas), as the client uses them. */
  readonly operations: Readonly<Record<string, FakeOperation>>;
  /** How the API key travels: the header, and a scheme before the key (`Bearer`). */
  readonly auth: { readonly header: string; readonly scheme?: string };
  /**
   * Every status spelling of the spec; the engine picks, for each of anyjob's statuses, the first
   * word the descriptor's status table maps to it.
   */
  readonly statusWords: readonly string[];
  /** The status a run reports between a cancel request and its end, if the provider has one. */
  readonly cancelingWord?: string;
  /** The provider's error body for a status (also used for injected 429 and 5xx faults). */
  errorBody(status: number, message: string): unknown;
  /** One handler per operation the fake serves; an operation without one answers 501. */
  readonly handlers: Readonly<Record<string, (context: FakeRequestContext<Fields>) => FakeAnswer>>;
}

/** A provider package's `./testing` module. */
export interface ProviderFakeModule {
  // biome-ignore lint/suspicious/noExplicitAny: each provider has its own run fields
  readonly fake: ProviderFake<any>;
}

/** Where a descriptor's fake lives: loaded by @anyjob/testing on first use. */
export interface ProviderTesting {
  load(): Promise<ProviderFakeModule>;
}
