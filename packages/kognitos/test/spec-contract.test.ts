// Spec-derived contract suite: every operation × documented status, dynamic responses, request
// examples and the negative corpus, all built from specs/kognitos.yaml (see scripts/test-harness).
import { checkSchema } from '@anyjob/core/internal';
import { describeSpecContract } from '../../../scripts/test-harness/spec-suite.js';
import * as sdk from '../src/index.js';

describeSpecContract({
  provider: 'kognitos',
  sdk,
  createClient: sdk.createKognitosClient,
  operations: sdk.kognitosOperations,
  checkSchema,
});
