// The default providers of `createAnyJob()` and of the module-level functions: the one place the
// facade names providers, one line each. Each line re-exports a provider package's light
// `/provider` entry (its descriptor, factory and types, without its SDK); registry.ts collects the
// descriptors from here, and the facade's types (ProviderName, TriggerRequest, JobRef, RunFor…)
// are derived from them. Registering a provider is adding its line.
export * from '@anyjob/databricks/provider';
export * from '@anyjob/github/provider';
export * from '@anyjob/kognitos/provider';
export * from '@anyjob/runchat/provider';
export * from '@anyjob/truefoundry/provider';
