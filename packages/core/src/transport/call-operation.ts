// Runs one generated SDK call with its request going through sendWithRetry: the glue between the
// generated functions (which parse the body) and the transport (which owns everything else).
import {
  AnyJobError,
  ConnectionError,
  InvalidRequestError,
  ResponseValidationError,
} from '../errors/index.js';
import type { Client } from '../fetch-client/index.js';
import type { CallOptions } from '../job/provider.js';
import { transportOf } from './provider-client.js';
import { Redactor } from './redact.js';
import {
  mergeSendOptions,
  type OperationInfo,
  ResponseScope,
  requestIdOf,
  type SendOptions,
  sendWithRetry,
} from './send.js';

function notJson(op: OperationInfo): ResponseValidationError {
  return new ResponseValidationError(
    `${op.provider} ${op.operation} answered with a body that is not valid JSON; check that the base URL points at the ${op.provider} API, not a web page or proxy.`,
    {
      provider: op.provider,
      operation: op.operation,
      issues: [{ path: 'response', rule: 'type', message: 'must be valid JSON' }],
    },
  );
}

function cutOff(op: OperationInfo, cause: unknown): ConnectionError {
  return new ConnectionError(
    `${op.provider} ${op.operation}: the answer was cut off while its body was read.`,
    { provider: op.provider, operation: op.operation, code: 'BODY_INCOMPLETE', beforeSend: false, cause },
  );
}

/** What a generated SDK function resolves with, and what anyjob keeps of its answer. */
export interface SdkCallResult<Data> {
  data: Data;
  response: Response;
  /** The provider's request id (`x-request-id` and similar), redacted like the body. */
  requestId: string | undefined;
  /** The redactor of the answered request's credentials, for anything else taken from `response`. */
  redactor: Redactor;
}

/**
 * Runs `run` (a generated SDK call that receives the `fetch` to pass it) with every request going
 * through `sendWithRetry`, the client's options overlaid by the call's. The successful response is
 * handed to the SDK unread, so the timeout, the caller's signal and the size limit also cover the
 * SDK reading the body; a failure during that read rejects with TimeoutError, AbortError,
 * ResponseTooLargeError or ConnectionError (cut off), never a raw TypeError, and a body that is
 * not JSON with ResponseValidationError. A timeout during the body read is not retried: the
 * request has been answered. Whatever the answer echoes of the request's credentials is redacted
 * from `data` and `requestId`.
 */
export async function callOperation<Data>(
  op: OperationInfo,
  base: SendOptions,
  call: CallOptions | undefined,
  run: (fetch: typeof globalThis.fetch) => Promise<{ data?: unknown; response?: Response }>,
): Promise<SdkCallResult<Data>> {
  const options = mergeSendOptions(base, call);
  const scope = new ResponseScope();
  try {
    const result = await run((input, init) =>
      sendWithRetry(
        input instanceof Request && init === undefined ? input : new Request(input, init),
        op,
        options,
        scope,
      ),
    );
    const cutShort = scope.failure();
    if (cutShort) throw cutShort;
    const response = result.response ?? scope.response;
    if (response === undefined) throw cutOff(op, new Error('no response'));
    const { redactor } = scope;
    return {
      data: scope.redact(result.data) as Data,
      response,
      requestId: requestIdOf(response.headers, redactor),
      redactor,
    };
  } catch (error) {
    const cutShort = scope.failure();
    if (cutShort) throw cutShort;
    if (AnyJobError.isInstance(error)) throw error;
    // The SDK's JSON.parse of a 2xx body: its message quotes the body, which may echo anything.
    if (error instanceof SyntaxError) throw notJson(op);
    // Anything else thrown after the response arrived is the body read failing (`terminated`).
    if (scope.response !== undefined) throw cutOff(op, error);
    // Before any request: the SDK could not build it. Input checks should have caught the cause;
    // this keeps a raw TypeError (whose message may quote a header value) from escaping.
    const said = new Redactor(options.secrets ?? []).text(
      error instanceof Error ? error.message : String(error),
    );
    throw new InvalidRequestError(`${op.provider} ${op.operation}: the request could not be built: ${said}`, {
      provider: op.provider,
      operation: op.operation,
    });
  } finally {
    scope.release();
  }
}

/**
 * `callOperation` for a client from createProviderClient: the operation's side effect, the
 * client's retry and size settings overlaid by `call`. For helpers around raw SDK functions that
 * want anyjob's typed errors (ApiError and its subclasses) instead of the SDK's `{ error }`.
 */
export function callWithClient<Data>(
  client: Client,
  operation: string,
  call: CallOptions | undefined,
  run: (fetch: typeof globalThis.fetch) => Promise<{ data?: unknown; response?: Response }>,
): Promise<SdkCallResult<Data>> {
  const transport = transportOf(client);
  return callOperation<Data>(transport.operation(operation), transport.base, call, run);
}
