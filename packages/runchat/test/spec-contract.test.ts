// Spec-derived contract suite: every operation × documented status, dynamic responses, request
// examples and the negative corpus, all built from specs/runchat.yaml (see scripts/test-harness).
import { checkSchema } from '@anyjob/core/internal';
import { describeSpecContract } from '../../../scripts/test-harness/spec-suite.js';
import * as sdk from '../src/index.js';

describeSpecContract({
  provider: 'runchat',
  sdk,
  createClient: sdk.createRunchatClient,
  operations: sdk.runchatOperations,
  checkSchema,
});
