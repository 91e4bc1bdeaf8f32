// The validators generated from specs/truefoundry.yaml, exported for callers that check input
// themselves. Clients from createTrueFoundryClient() already apply them to every SDK call.
import {
  assertValidRequest,
  notTogether,
  type RequestParts,
  schemaWhenSet,
  withRequestRules,
} from '@anyjob/core/internal';
import { operations as generatedOperations } from './generated/operations.gen.js';
import { vJobTriggerInputSchema } from './generated/valibot.gen.js';

/** valibot schemas of every component, request part and response body in the spec. */
export * as truefoundrySchemas from './generated/valibot.gen.js';

/**
 * Each operation's route, side effect and the schemas of its body, path, query, success and
 * error bodies, plus the spec rules the generated schemas cannot express.
 */
export const truefoundryOperations = withRequestRules(generatedOperations, {
  triggerJob: [
    // JobTriggerInput's `not` in specs/truefoundry.yaml, which the generated valibot schema drops:
    // a body that sets both would pass the client and be refused by TrueFoundry with a 422.
    notTogether(
      'body.input',
      ['command', 'params'],
      'must not be set together with `command` (command replaces the job command, params fill its template; send one)',
    ),
    // SparkJobTriggerInput's `not`, also dropped: an input that sets `command` or `params` is a
    // JobTriggerInput, so it must pass that schema. Without this the Spark branch of `input`
    // accepts anything, e.g. a params value that is not a string.
    schemaWhenSet('body.input', ['command', 'params'], vJobTriggerInputSchema),
  ],
});

export type TrueFoundryOperation = keyof typeof truefoundryOperations;

/** Throws InvalidRequestError (naming each field, rule and path) when `request` breaks the spec. */
export function validateTrueFoundryRequest(operation: TrueFoundryOperation, request: RequestParts): void {
  assertValidRequest('truefoundry', operation, truefoundryOperations[operation], request);
}
