// Every registered provider that declares a v2 contract, checked against its spec: the list comes
// from the facade's registry, so a provider added there is checked without naming it here.
import { describe, expect, it } from 'vitest';
import { defaultProviders } from '../../packages/anyjob/src/registry.js';
import { listProviders } from '../lib/providers.mjs';
import { describeContractCoverage } from './contract-coverage.js';

const specs = new Map(listProviders().map((provider) => [provider.name, provider.specPath]));

// A v2 contract that names no operations could not be checked: it must name them.
const withContract = defaultProviders.filter((descriptor) => descriptor.contract !== undefined);
describe('registered providers with a v2 contract', () => {
  it.each(withContract.map((descriptor) => [descriptor.name, descriptor] as const))(
    '%s names the operations its contract describes',
    (_, descriptor) => {
      expect(descriptor.specificationVersion).toBe('v2');
      expect(descriptor.contract?.operations?.trigger).toBeTypeOf('string');
    },
  );
});

for (const descriptor of defaultProviders) {
  const { contract } = descriptor;
  if (contract?.operations) {
    describeContractCoverage(
      descriptor.name,
      specs.get(descriptor.name) as string,
      contract,
      contract.operations,
    );
  }
}
