// Spec-derived contract suite: every operation × documented status, dynamic responses, request
// examples and the negative corpus, all built from specs/github.yaml (see scripts/test-harness).
import { checkSchema } from '@anyjob/core/internal';
import { describeSpecContract } from '../../../scripts/test-harness/spec-suite.js';
import * as sdk from '../src/index.js';

describeSpecContract({
  provider: 'github',
  sdk,
  createClient: sdk.createGithubClient,
  operations: sdk.githubOperations,
  checkSchema,
});
