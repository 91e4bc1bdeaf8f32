// The validators generated from specs/truefoundry.yaml, exported for the facade and for callers that check
// input themselves. Clients from createTrueFoundryClient() already apply them to every SDK call.
import { assertValidRequest, type RequestParts } from '@anyjob/core';
import { operations } from './generated/operations.gen.js';

/** valibot schemas of every component, request part and response body in the spec. */
export * as truefoundrySchemas from './generated/valibot.gen.js';

/** Each operation's route and the schemas of its body, path, query, success and error bodies. */
export const truefoundryOperations = operations;

export type TrueFoundryOperation = keyof typeof operations;

/** Throws InvalidRequestError (naming each field, rule and path) when `request` breaks the spec. */
export function validateTrueFoundryRequest(operation: TrueFoundryOperation, request: RequestParts): void {
  assertValidRequest('truefoundry', operation, operations[operation], request);
}
