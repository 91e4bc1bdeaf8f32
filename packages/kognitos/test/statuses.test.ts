import { describeStatusCoverage } from '../../../scripts/test-harness/status-coverage.js';
import { kognitos } from '../src/provider.js';

describeStatusCoverage(kognitos, { operationId: 'getRun', field: 'status' });
