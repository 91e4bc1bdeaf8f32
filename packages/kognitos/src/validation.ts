// The validators generated from specs/kognitos.yaml, exported for callers that check input
// themselves. Clients from createKognitosClient() already apply them to every SDK call.
import { assertValidRequest, type RequestParts } from '@anyjob/core/internal';
import { operations } from './generated/operations.gen.js';

/** valibot schemas of every component, request part and response body in the spec. */
export * as kognitosSchemas from './generated/valibot.gen.js';

/** Each operation's route, side effect and the schemas of its body, path, query, success and error bodies. */
export const kognitosOperations = operations;

export type KognitosOperation = keyof typeof operations;

/** Throws InvalidRequestError (naming each field, rule and path) when `request` breaks the spec. */
export function validateKognitosRequest(operation: KognitosOperation, request: RequestParts): void {
  assertValidRequest('kognitos', operation, operations[operation], request);
}
