import { describeStatusCoverage } from '../../../scripts/test-harness/status-coverage.js';
import { runchat } from '../src/provider.js';

describeStatusCoverage(runchat, { operationId: 'triggerAgentJobWithMessage', field: 'status' });
