// @anyjob/testing: stateful fakes of every anyjob provider, for the tests of code built on anyjob.
// See README.md.
export { type ProviderEnvLine, type ProviderEnvOptions, providerEnv } from './env.js';
export { createFakeProviders, FakeSpecDriftError } from './fake.js';
export {
  SESSION_SCRIPT,
  type ServedFakeProviders,
  type ServeFakeOptions,
  serveFakeProviders,
} from './serve.js';
export type {
  FakeAnyJobConfig,
  FakeDuration,
  FakeFault,
  FakeFaultKind,
  FakeListenOptions,
  FakeProviders,
  FakeProvidersOptions,
  FakeRequestFilter,
  FakeRequestRecord,
  FakeRunSnapshot,
  FakeServer,
  FakeStep,
  FakeTriggerMatch,
  FakeTriggerRule,
} from './types.js';
