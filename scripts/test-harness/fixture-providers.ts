// The registered providers that have a fixture spec of their own API under
// scripts/release/fixtures/ (`<name>.yaml`, the subset `pnpm new-provider` drafts from): their
// descriptors' v2 contracts are checked against that fixture as well as against specs/<name>.yaml,
// so the corpus and the package cannot drift apart. Derived from the registry: no provider is
// named here.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { defaultProviders } from '../../packages/anyjob/src/registry.js';
import type { ContractOperations } from './contract-coverage.js';

const FIXTURES = fileURLToPath(new URL('../release/fixtures/', import.meta.url));

export interface FixtureProvider {
  readonly name: string;
  /** Path of scripts/release/fixtures/<name>.yaml. */
  readonly fixture: string;
  readonly contract: NonNullable<(typeof defaultProviders)[number]['contract']>;
  readonly operations: ContractOperations;
}

export const fixtureProviders: readonly FixtureProvider[] = defaultProviders.flatMap((descriptor) => {
  const { contract } = descriptor;
  const fixture = `${FIXTURES}${descriptor.name}.yaml`;
  if (!contract?.operations || !existsSync(fixture)) return [];
  return [{ name: descriptor.name, fixture, contract, operations: contract.operations }];
});
