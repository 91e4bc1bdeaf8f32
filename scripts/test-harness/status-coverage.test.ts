// The status-spec check on a spec whose status is two nested fields (the Databricks fixture:
// `status.state` + `status.termination_details.code`), with a table of every combination.
import { fileURLToPath } from 'node:url';
import { databricksStatus } from './fixture-contracts.js';
import { describeStatusSpecCoverage } from './status-coverage.js';

const FIXTURE = fileURLToPath(new URL('../release/fixtures/databricks.yaml', import.meta.url));

describeStatusSpecCoverage('databricks fixture', FIXTURE, databricksStatus, 'getRun');
