// Idempotency keys, declared by the provider and driven by core. Where the provider deduplicates
// triggers by a client key (a header or a body field), core generates one key per call (or takes
// the caller's), the same request (key included) is what every retry sends, so the trigger may be
// retried like a read; and after an unknown outcome the trigger is sent once more with the same
// key as the proof lookup: the provider answers the run it already started for that key, which
// is proof (only this call sent the key), so it is returned as the trigger's run.
import { InvalidRequestError } from '../errors/index.js';
import type { SideEffect } from '../transport/retry-policy.js';
import type { RequestParts } from '../validation/schemas.js';
import type { CallOptions, JobRefBase, JobRun } from './provider.js';
import { type ConfirmedTrigger, confirmTrigger } from './reconcile.js';

/** Where the provider reads a client's idempotency key. */
export interface IdempotencySpec {
  readonly in: 'header' | 'body';
  /** The header (`Idempotency-Key`) or top-level body field (`idempotency_token`). */
  readonly name: string;
  /** The longest key the provider accepts (Databricks: 64). */
  readonly maxLength?: number;
}

/** The side effect of an operation that sends an idempotency key: retried like a read. */
export const IDEMPOTENT_SIDE_EFFECT: SideEffect = 'idempotent';

/**
 * The key of one call: the caller's (checked: a non-empty string within `maxLength`, before any
 * request) or a new random UUID (36 characters, shortened to `maxLength` hex digits where the
 * provider takes fewer).
 */
export function idempotencyKey(spec: IdempotencySpec, given: unknown, operation: string): string {
  if (given !== undefined) {
    const fits =
      typeof given === 'string' && given.length > 0 && given.length <= (spec.maxLength ?? Infinity);
    if (!fits) {
      const limit = spec.maxLength === undefined ? '' : ` of at most ${spec.maxLength} characters`;
      const message = `\`idempotencyKey\` must be a non-empty string${limit}; leave it out and anyjob makes one per call.`;
      throw new InvalidRequestError(message, {
        operation,
        issues: [{ path: 'idempotencyKey', rule: 'type', message }],
      });
    }
    return given;
  }
  const uuid = globalThis.crypto.randomUUID();
  if (spec.maxLength === undefined || uuid.length <= spec.maxLength) return uuid;
  return uuid.replaceAll('-', '').slice(0, spec.maxLength);
}

/** Request parts that may carry headers (an idempotency key in a header). */
export interface KeyedRequestParts extends RequestParts {
  headers?: Record<string, string>;
}

/** `parts` with the key where the provider reads it (a copy; `parts` is not changed). */
export function withIdempotencyKey(
  spec: IdempotencySpec,
  parts: KeyedRequestParts,
  key: string,
): KeyedRequestParts {
  if (spec.in === 'header') return { ...parts, headers: { ...parts.headers, [spec.name]: key } };
  const body = parts.body === undefined ? {} : parts.body;
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new TypeError(`withIdempotencyKey: the body must be an object to carry \`${spec.name}\``);
  }
  return { ...parts, body: { ...body, [spec.name]: key } };
}

/** A trigger whose provider deduplicates by a client key. */
export interface IdempotentTrigger<Ref extends JobRefBase>
  extends Omit<ConfirmedTrigger<Ref>, 'send' | 'search' | 'unsearchable'> {
  readonly idempotency: IdempotencySpec;
  /** The caller's key, if any; otherwise one is generated for this call. */
  key?: unknown;
  /**
   * Sends the trigger with `key` where the spec says (see withIdempotencyKey), as an operation
   * retried like a read (IDEMPOTENT_SIDE_EFFECT). Called once, and once more with the same key as
   * the proof lookup after an unknown outcome, with that lookup's `options`.
   */
  send(key: string, options?: CallOptions): Promise<JobRun<Ref>>;
}

/**
 * Sends an idempotent trigger: one key for the call and all its retries; after an unknown
 * outcome, the same key again as the proof lookup (the run the provider answers for it is this
 * call's), else TriggerUnconfirmedError.
 */
export function confirmIdempotentTrigger<Ref extends JobRefBase>(
  trigger: IdempotentTrigger<Ref>,
): Promise<JobRun<Ref>> {
  const { idempotency, key: given, send, ...rest } = trigger;
  const key = idempotencyKey(idempotency, given, trigger.operation);
  return confirmTrigger<Ref>({
    ...rest,
    request: { ...trigger.request, idempotencyKey: key },
    send: () => send(key),
    search: {
      describe: () =>
        `the run ${trigger.provider} keeps for idempotency key ${key} (the trigger sent again with it)`,
      async find(_window, options) {
        return { proven: [await send(key, options)], candidates: [] };
      },
    },
  });
}
