// The status-spec check on the fixture spec of each registered provider that has one (see
// fixture-providers.ts): the descriptor's status spec (one field, several, or a function with its
// table, like `status.state` + `status.termination_details.code`) must cover the words the fixture
// documents for the operation that reads a run.
import { expect, it } from 'vitest';
import { fixtureProviders } from './fixture-providers.js';
import { describeStatusSpecCoverage } from './status-coverage.js';

it('some registered provider has a fixture spec to check its status spec against', () => {
  expect(fixtureProviders.length).toBeGreaterThan(0);
});

for (const { name, fixture, contract, operations } of fixtureProviders)
  describeStatusSpecCoverage(
    `${name} fixture`,
    fixture,
    contract.status,
    operations.get ?? operations.trigger,
  );
