// Every registered provider that declares a v2 contract, checked against its spec: the list comes
// from the facade's registry, so a provider added there is checked without naming it here.
import { defaultProviders } from '../../packages/anyjob/src/registry.js';
import { listProviders } from '../lib/providers.mjs';
import { describeContractCoverage } from './contract-coverage.js';

const specs = new Map(listProviders().map((provider) => [provider.name, provider.specPath]));

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
