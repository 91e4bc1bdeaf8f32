// Every registered provider that declares a v2 contract, checked against its spec: the list comes
// from the facade's registry, so a provider added there is checked without naming it here.
import { describe, expect, it } from 'vitest';
import { defaultProviders } from '../../packages/anyjob/src/registry.js';
import { listProviders } from '../lib/providers.mjs';
import { describeContractCoverage } from './contract-coverage.js';

const specs = new Map(listProviders().map((provider) => [provider.name, provider.specPath]));

describe('registered providers declare contract v2', () => {
  it.each(defaultProviders.map((descriptor) => [descriptor.name, descriptor] as const))(
    '%s has a v2 contract naming its operations',
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
