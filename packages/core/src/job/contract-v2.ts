// Contract v2: what a provider's API does, declared as data in its descriptor, so core can drive
// it and a test can check it against the spec. v1 descriptors (a status table, everything else in
// the implementation's code) keep working beside it; a v2 descriptor is a v1 descriptor plus this
// `contract`, and its `statuses` default to the status spec's table.
import type { IdempotencySpec } from './idempotency.js';
import type { PaginationSpec } from './pagination.js';
import type { StatusSpec } from './run-status.js';
import type { TriggerAnswerSpec } from './trigger-answer.js';

/**
 * The JSON type of the run id on the wire. anyjob keeps every id as a string (JobRun.id, refs,
 * CLI flags); `integer` ids are their decimal digits, read exactly beyond 2^53 (parseJsonExact)
 * and written back as bare integers (jsonInteger).
 */
export type RunIdType = 'string' | 'integer';

/** What a provider's API does, as data (contract v2). */
export interface ProviderContract {
  /** Where the run's status lives: one field, several, or a function with its table. */
  readonly status: StatusSpec;
  /** How the run list pages; absent where the provider has no run list. */
  readonly pagination?: PaginationSpec;
  readonly runId: RunIdType;
  /** Where the provider reads a client's idempotency key; absent where it has none. */
  readonly idempotency?: IdempotencySpec;
  /** What the trigger answers: the run, its id, a Location, or nothing. */
  readonly triggerAnswer: TriggerAnswerSpec;
  /**
   * The spec's operationIds this contract describes, so a test checks it against the spec for
   * every registered provider. `get` is absent where runs cannot be read again (the status is
   * then the trigger's answer's).
   */
  readonly operations?: ContractOperationIds;
}

/** The operationIds of a contract's trigger, get and list operations. */
export interface ContractOperationIds {
  readonly trigger: string;
  readonly get?: string;
  readonly list?: string;
  /** Dotted path of the run in the get's answer (`data`); absent when the answer is the run. */
  readonly runAt?: string;
}
