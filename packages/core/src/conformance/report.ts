// What a live conformance check reports: where a provider's real answers and our spec of its API
// disagree. The types a provider package's descriptor and the CLI's `anyjob doctor` share; the
// checker and the runner are in `@anyjob/core/internal` (./check.ts, ./run.ts).
import type { CliFlag, CommonProviderSettings } from '../job/provider.js';

/**
 * How an answer departs from the spec: `missing` a required field is absent; `extra` a field the
 * schema does not list; `type` a value of another JSON type (a null where the spec says string,
 * or a body that is not JSON); `enum` a word outside the spec's enum, or outside the known values
 * of an open string; `status` an HTTP status the operation does not document.
 */
export type ConformanceFindingKind = 'missing' | 'extra' | 'type' | 'enum' | 'status';

/** One disagreement. It never holds a string the provider sent, only its shape (`a string`). */
export interface ConformanceFinding {
  /** The operationId in the spec. */
  operation: string;
  /** The HTTP status of the answer. */
  status: number;
  /** Where in the body: `$` is the body, `$.data[].status` the status of every item of `data`. */
  path: string;
  kind: ConformanceFindingKind;
  /** What the spec says (`string`, `one of CREATED, RUNNING`, `one of 200, 403, 404`). */
  expected: string;
  /** What came instead (`null`, `an integer`, `absent`, `"PAUSED"`, `401`). */
  got: string;
}

/** One step of the plan: the read operation called, and what it answered (or why it was not called). */
export interface ConformanceCheck {
  operation: string;
  /** The operation's method and URL template from the spec (`GET /runs/{run_id}`). */
  method: string;
  url: string;
  /** The HTTP status answered; absent when the step was skipped. */
  status?: number;
  /** How many findings this answer produced. */
  findings: number;
  /** Why the step was not called (e.g. an earlier list was empty). */
  skipped?: string;
}

export interface ConformanceReport {
  provider: string;
  /** The spec the answers were checked against (`specs/kognitos.yaml`). */
  spec: string;
  /** True when no answer disagreed with the spec. */
  conforms: boolean;
  checks: ConformanceCheck[];
  findings: ConformanceFinding[];
}

/** What a provider package's conformance module exports, loaded on first use. */
export interface ConformanceModule<Settings extends CommonProviderSettings = CommonProviderSettings> {
  /**
   * Calls the provider's read operations in the plan's order through its normal client (key and
   * base URL from `settings` or the env) and checks every answer against the spec. Never calls an
   * operation with a side effect. `input` holds the fields the `flags` set (e.g. `agentId`).
   * Rejects with InvalidRequestError for missing input, ConfigError for a missing key or base
   * URL, and the transport's errors when the API cannot be reached.
   */
  checkConformance(
    settings: Settings,
    input: Record<string, unknown>,
    options?: { signal?: AbortSignal },
  ): Promise<ConformanceReport>;
}

/** A provider's live conformance check: `anyjob doctor <name>` and `pnpm contract:live <name>`. */
export interface ProviderConformance<Settings extends CommonProviderSettings = CommonProviderSettings> {
  /** Flags of `anyjob doctor <name>`; each `field` names a key of the plan's `input`. */
  readonly flags: readonly CliFlag[];
  /** Loads the plan and the spec's generated response schemas. */
  load(): Promise<ConformanceModule<Settings>>;
}
