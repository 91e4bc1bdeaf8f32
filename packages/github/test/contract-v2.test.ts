// The v2 contract of the descriptor against specs/github.yaml: both status fields' words (every
// documented status and conclusion is in the table, and the table names no other), the trigger's
// answer and id type, and the Link pagination's parameters and page maximum.
import { describeContractCoverage } from '../../../scripts/test-harness/contract-coverage.js';
import { describeStatusSpecCoverage } from '../../../scripts/test-harness/status-coverage.js';
import { GITHUB_CONTRACT } from '../src/provider.js';

const SPEC = 'specs/github.yaml';
describeStatusSpecCoverage('github', SPEC, GITHUB_CONTRACT.status, 'getWorkflowRun');
describeContractCoverage('github', SPEC, GITHUB_CONTRACT, {
  trigger: 'createWorkflowDispatch',
  get: 'getWorkflowRun',
  list: 'listWorkflowRuns',
});
