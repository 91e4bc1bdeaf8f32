import { describeStatusCoverage } from '../../../scripts/test-harness/status-coverage.js';
import { truefoundry } from '../src/provider.js';

describeStatusCoverage(truefoundry, { operationId: 'getJobRun', field: 'data.status' });
