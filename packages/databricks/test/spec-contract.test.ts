// Spec-derived contract suite: every operation × documented status, dynamic responses, request
// examples and the negative corpus, all built from specs/databricks.yaml (see scripts/test-harness).
// Its tests carry the `[databricks.<operationId> <status>]` tags `pnpm check:coverage` counts.
import { checkSchema } from '@anyjob/core/internal';
import { describeSpecContract } from '../../../scripts/test-harness/spec-suite.js';
import * as sdk from '../src/index.js';

describeSpecContract({
  provider: 'databricks',
  sdk,
  createClient: sdk.createDatabricksClient,
  operations: sdk.databricksOperations,
  checkSchema,
});
