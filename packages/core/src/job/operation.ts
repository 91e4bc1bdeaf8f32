// The pipeline every provider operation runs through, declared once: check the request against
// the spec (naming the caller's fields), send it through the transport, require a JSON object,
// and check the fields the provider reads — typed by the generated response type, so a spec change
// that renames such a field fails the typecheck of the provider that reads it.
import { ResponseValidationError } from '../errors/index.js';
import type { Client } from '../fetch-client/index.js';
import { callOperation } from '../transport/call-operation.js';
import { transportOf } from '../transport/provider-client.js';
import { type FieldNames, validateAsFacade } from '../validation/facade-names.js';
import {
  type FieldChecks,
  fieldIssues,
  responseObject,
  throwIfResponseIssues,
} from '../validation/response-checks.js';
import { assertValidRequest, type OperationTable, type RequestParts } from '../validation/schemas.js';
import { parseJsonExact } from './exact-json.js';
import {
  IDEMPOTENT_SIDE_EFFECT,
  type IdempotencySpec,
  type KeyedRequestParts,
  withIdempotencyKey,
} from './idempotency.js';
import type { CallOptions, JobRefBase, JobRun } from './provider.js';
import { attachResponse } from './response.js';

/** What an operation answered: the body (typed by the generated response type) and the response. */
export interface ApiAnswer<Data> {
  data: Data;
  response: Response;
  /** The provider's request id, where it sends one. */
  requestId: string | undefined;
}

/** The options the pipeline passes to a generated SDK function. */
export interface SdkCallOptions {
  client: Client;
  fetch: typeof globalThis.fetch;
  throwOnError: true;
  /** Set for `exactIntegers`: the SDK hands back the body's text, which the pipeline parses. */
  parseAs?: 'text';
}

export interface OperationCall<Data> {
  /** The operationId in the spec (the generated operations table's key). */
  operation: string;
  /** The name the caller used (`cancelJob`), for request errors; default `operation`. */
  as?: string;
  /** The request's body, path and query, as the generated SDK function takes them. */
  parts: RequestParts;
  /**
   * Calls the generated SDK function with `parts` and these options. `sent` is `parts` as checked
   * and sent: with the idempotency key added where `idempotency` is set.
   */
  send: (sdk: SdkCallOptions, sent: KeyedRequestParts) => Promise<unknown>;
  /**
   * The provider deduplicates this call by a client key: `key` is put where `spec` says, and the
   * call is retried like a read (every retry sends the same key). See confirmIdempotentTrigger.
   */
  idempotency?: { spec: IdempotencySpec; key: string };
  /**
   * The answer holds integers beyond 2^53 (int64 ids): it is parsed from its text so they arrive
   * exactly, as their digits (parseJsonExact), where JSON.parse would round them.
   */
  exactIntegers?: boolean;
  /** The response fields the provider reads. */
  fields?: FieldChecks<Data>;
  /** Wire paths → the caller's field names, when this call differs from the provider's default. */
  fieldNames?: FieldNames;
}

export interface ProviderApi {
  call<Data>(call: OperationCall<Data>, options?: CallOptions): Promise<ApiAnswer<Data>>;
}

export interface ProviderApiConfig {
  provider: string;
  /**
   * A client from createProviderClient (created with `validateRequests: false`: the pipeline
   * validates), or a function creating it on the first call that gets past validation, so a bad
   * request is reported before a missing setting (base URL, key).
   */
  client: Client | (() => Client);
  operations: OperationTable;
  validateRequests: boolean;
  /** Wire paths → the caller's field names, for request errors. */
  fieldNames: FieldNames;
}

function parseExactOrThrow(provider: string, operation: string, text: string): unknown {
  try {
    return parseJsonExact(text);
  } catch {
    // The parser's message quotes the text; the body is already redacted, but say less.
    throw new ResponseValidationError(
      `${provider} ${operation} answered with a body that is not valid JSON.`,
      {
        provider,
        operation,
        issues: [{ path: 'response', rule: 'type', message: 'must be valid JSON' }],
      },
    );
  }
}

/** The pipeline for one provider's operations. */
export function createProviderApi(config: ProviderApiConfig): ProviderApi {
  let client: Client | undefined;
  const connect = () => {
    client ??= typeof config.client === 'function' ? (config.client as () => Client)() : config.client;
    return { client, transport: transportOf(client) };
  };
  const { provider } = config;
  return {
    async call<Data>(call: OperationCall<Data>, options?: CallOptions): Promise<ApiAnswer<Data>> {
      const schemas = config.operations[call.operation];
      const { idempotency } = call;
      const parts = idempotency
        ? withIdempotencyKey(idempotency.spec, call.parts, idempotency.key)
        : call.parts;
      if (config.validateRequests && schemas) {
        validateAsFacade(provider, call.as ?? call.operation, call.fieldNames ?? config.fieldNames, () =>
          assertValidRequest(provider, call.operation, schemas, parts),
        );
      }
      const { client: sdkClient, transport } = connect();
      const declared = transport.operation(call.operation);
      const op = idempotency ? { ...declared, sideEffect: IDEMPOTENT_SIDE_EFFECT } : declared;
      const result = await callOperation<unknown>(
        op,
        transport.base,
        options,
        (fetch) =>
          call.send(
            {
              client: sdkClient,
              fetch,
              throwOnError: true,
              ...(call.exactIntegers ? { parseAs: 'text' } : {}),
            },
            parts,
          ) as Promise<{ data?: unknown }>,
      );
      if (call.exactIntegers && typeof result.data === 'string') {
        result.data = parseExactOrThrow(provider, call.operation, result.data);
      }
      const body = responseObject(provider, call.operation, result);
      if (call.fields)
        throwIfResponseIssues(provider, call.operation, fieldIssues(body, 'response', call.fields));
      return {
        data: body as Data,
        response: result.response,
        requestId: result.requestId,
      };
    },
  };
}

/** `run` with the request id and Response of the answer it was read from (see responseOf). */
export function withAnswer<Ref extends JobRefBase>(
  run: JobRun<Ref>,
  answer: ApiAnswer<unknown>,
): JobRun<Ref> {
  if (answer.requestId !== undefined) run.requestId = answer.requestId;
  return attachResponse(run, answer.response);
}
