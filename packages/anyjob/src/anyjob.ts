// createAnyJob / composeAnyJob: one object that triggers, reads, waits for, cancels and lists runs
// on any provider, dispatching on `provider`. Generic over provider descriptors: nothing here
// knows a provider. Providers are created (and the settings passed checked) at once, but a provider
// reads the env and loads its SDK on its first call, so a missing TrueFoundry host does not stop a
// Runchat call.
import {
  type AnyJobProviderDescriptor,
  type CallOptions,
  ConfigError,
  type JobRun as CoreJobRun,
  type WaitOptions as CoreWaitOptions,
  type FleetInput,
  type FleetOptions,
  InvalidRequestError,
  inSpan,
  type JobProvider,
  type ListOptions,
  listRuns,
  refOf,
  responseOf,
  SPECIFICATION_VERSIONS,
  waitForRuns,
  watchRuns,
} from '@anyjob/core';
import { defaultProviders } from './registry.js';
import type { AnyJob, AnyJobConfig, DefaultProvider, RunPromise } from './types.js';

type AnyProvider = JobProvider<{ provider: string }, CoreJobRun['ref'], unknown>;

// Keys of the config that are settings for every provider rather than one provider's.
function sharedSettings(
  config: Record<string, unknown>,
  names: ReadonlySet<string>,
): Record<string, unknown> {
  const shared: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(config)) if (!names.has(key)) shared[key] = value;
  return shared;
}

function runPromise<T>(promise: Promise<T>): RunPromise<T> {
  return Object.assign(promise, {
    withResponse: () => promise.then((run) => ({ run, response: responseOf(run) })),
  });
}

interface Registry {
  names: readonly string[];
  provider(name: string): AnyProvider;
}

function providerName(registry: Registry, value: unknown, operation: string, what: string): string {
  const provider =
    typeof value === 'object' && value !== null ? (value as { provider?: unknown }).provider : undefined;
  if (typeof provider === 'string' && registry.names.includes(provider)) return provider;
  const names = registry.names.map((name) => `'${name}'`).join(', ');
  const message =
    provider === undefined
      ? `The ${what} has no \`provider\`; set it to one of ${names}.`
      : `\`provider\` must be one of ${names}.`;
  throw new InvalidRequestError(message, {
    operation,
    issues: [{ path: 'provider', rule: provider === undefined ? 'required' : 'enum', message }],
  });
}

function facade<P extends AnyJobProviderDescriptor>(registry: Registry): AnyJob<P> {
  const resolve = (value: unknown, operation: string, what: string) =>
    registry.provider(providerName(registry, value, operation, what));
  const fleetInputs = (runs: readonly FleetInput[]) => {
    if (!Array.isArray(runs)) {
      const message = '`runs` must be an array of runs, refs or saved watch-state entries.';
      throw new InvalidRequestError(message, {
        operation: 'waitForJobs',
        issues: [{ path: 'runs', rule: 'type', message }],
      });
    }
    return runs.map((input, index) => {
      const ref = refOf(input as CoreJobRun);
      try {
        return { provider: resolve(ref, 'waitForJobs', `run at index ${index}`), input };
      } catch (error) {
        if (InvalidRequestError.isInstance(error)) {
          throw new InvalidRequestError(`runs[${index}]: ${error.message}`, {
            operation: 'waitForJobs',
            issues: error.issues.map((issue) => ({ ...issue, path: `runs[${index}].${issue.path}` })),
          });
        }
        throw error;
      }
    });
  };
  const anyjob = {
    triggerJob(request: { provider: string }, options?: CallOptions) {
      return runPromise(
        (async () => resolve(request, 'triggerJob', 'request').triggerJob(request, options))(),
      );
    },
    getJobRun(run: CoreJobRun | CoreJobRun['ref'], options?: CallOptions) {
      return runPromise((async () => resolve(refOf(run), 'getJobRun', 'run').getJobRun(run, options))());
    },
    // One run is the one-run case of the fleet engine: the same schedule, errors and budget.
    waitForJob(run: CoreJobRun | CoreJobRun['ref'], options?: CoreWaitOptions) {
      return runPromise(
        (async () => {
          const provider = resolve(refOf(run), 'waitForJob', 'run');
          return inSpan(
            'anyjob.wait',
            { 'anyjob.provider': provider.provider, 'anyjob.runs': 1 },
            async (span) => {
              const [result] = await waitForRuns([{ provider, input: run }], options);
              if (result.run === undefined) throw result.error;
              span.set({ 'anyjob.status': result.run.status });
              return result.run;
            },
          );
        })(),
      );
    },
    waitForJobs(runs: readonly FleetInput[], options?: FleetOptions) {
      return (async () => {
        const inputs = fleetInputs(runs);
        return inSpan(
          'anyjob.wait',
          { 'anyjob.operation': 'waitForJobs', 'anyjob.runs': inputs.length },
          () => waitForRuns(inputs, options),
        );
      })();
    },
    watchJobs(runs: readonly FleetInput[], options?: FleetOptions) {
      return watchRuns(fleetInputs(runs), options);
    },
    cancelJob(run: CoreJobRun | CoreJobRun['ref'], options?: CallOptions) {
      return runPromise((async () => resolve(refOf(run), 'cancelJob', 'run').cancelJob(run, options))());
    },
    listJobRuns(query: { provider: string }, options?: ListOptions) {
      return {
        async *[Symbol.asyncIterator]() {
          const provider = resolve(query, 'listJobRuns', 'query');
          yield* listRuns(provider, query, options);
        },
      };
    },
  };
  return anyjob as unknown as AnyJob<P>;
}

/** A provider descriptor, or a provider already created from one (`createTrueFoundry(settings)`). */
export type ProviderInput = AnyJobProviderDescriptor | AnyProvider;

function isCreated(input: ProviderInput): input is AnyProvider {
  return 'descriptor' in input && typeof (input as AnyProvider).triggerJob === 'function';
}

/**
 * The facade over the providers you choose: descriptors (`[truefoundry, acme]`, created with the
 * config's settings on first use) or providers you created (`[createTrueFoundry(settings)]`; the
 * record form `{ truefoundry: createTrueFoundry(settings) }` works too). A bundler then keeps only
 * the provider packages you import. A run of a provider you did not pass is an
 * InvalidRequestError before any request.
 */
export function composeAnyJob<const Inputs extends readonly ProviderInput[]>(
  providers: Inputs | Readonly<Record<string, AnyProvider>>,
  config: AnyJobConfig<DescriptorOf<Inputs[number]>> = {} as AnyJobConfig<DescriptorOf<Inputs[number]>>,
): AnyJob<DescriptorOf<Inputs[number]>> {
  const inputs: ProviderInput[] = Array.isArray(providers) ? [...providers] : Object.values(providers);
  const entries = new Map<string, () => AnyProvider>();
  const names = new Set(inputs.map((input) => (isCreated(input) ? input.provider : input.name)));
  const shared = sharedSettings(config as Record<string, unknown>, names);
  for (const input of inputs) {
    const name = isCreated(input) ? input.provider : input.name;
    if (entries.has(name))
      throw new ConfigError(`composeAnyJob: two providers are named "${name}"; pass each once.`);
    if (!SPECIFICATION_VERSIONS.includes(input.specificationVersion)) {
      throw new ConfigError(
        `composeAnyJob: the ${name} provider implements contract ${String(input.specificationVersion)}; this anyjob supports ${SPECIFICATION_VERSIONS.join(' and ')}. Upgrade one of the two packages.`,
      );
    }
    if (isCreated(input)) {
      entries.set(name, () => input);
    } else {
      const own = (config as Record<string, unknown>)[name] as Record<string, unknown> | undefined;
      // Created now, so a bad setting is a ConfigError here rather than on the first call;
      // creating loads, reads and sends nothing. Shared settings first, so a provider's own
      // settings override them.
      const created = input.create({ ...shared, ...own }) as AnyProvider;
      entries.set(name, () => created);
    }
  }
  return facade({
    names: [...entries.keys()],
    provider: (name) => (entries.get(name) as () => AnyProvider)(),
  });
}

type DescriptorOf<I> = I extends AnyJobProviderDescriptor
  ? I
  : I extends { descriptor: infer D extends AnyJobProviderDescriptor }
    ? D
    : never;

/** The facade over the default providers (see providers.ts), with settings from `config` and the env. */
export function createAnyJob(config: AnyJobConfig = {}): AnyJob<DefaultProvider> {
  return composeAnyJob(defaultProviders, config) as unknown as AnyJob<DefaultProvider>;
}
