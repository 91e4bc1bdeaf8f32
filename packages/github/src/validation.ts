// The validators generated from specs/github.yaml, exported for callers that check input
// themselves. Clients from createGithubClient() already apply them to every SDK call.
import { assertValidRequest, type RequestParts } from '@anyjob/core/internal';
import { operations } from './generated/operations.gen.js';

/** valibot schemas of every component, request part and response body in the spec. */
export * as githubSchemas from './generated/valibot.gen.js';

/** Each operation's route, side effect and the schemas of its body, path, query, success and error bodies. */
export const githubOperations = operations;

export type GithubOperation = keyof typeof operations;

/** Throws InvalidRequestError (naming each field, rule and path) when `request` breaks the spec. */
export function validateGithubRequest(operation: GithubOperation, request: RequestParts): void {
  assertValidRequest('github', operation, operations[operation], request);
}
