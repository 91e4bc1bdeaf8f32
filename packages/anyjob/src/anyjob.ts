// createAnyJob: one object that triggers, reads, waits for and cancels runs on any provider,
// dispatching on `provider`. Adapters are created on first use, so a missing TrueFoundry host does
// not stop a Runchat call, and nothing reads the env before the first call. composeAnyJob is the
// same object over adapters the caller created, so a bundle holds only the providers it imports.
import {
  type CallOptions,
  ConfigError,
  type JobRun as CoreJobRun,
  type WaitOptions as CoreWaitOptions,
  InvalidRequestError,
  type JobProvider,
  type JobRefBase,
  type ProviderName,
  pollUntilTerminal,
  type RetrySettings,
} from '@anyjob/core';
import {
  createKognitos,
  type KognitosAdapterSettings,
  type KognitosJobRef,
  type KognitosJobRun,
  type KognitosTriggerRequest,
} from '@anyjob/kognitos';
import {
  createRunchat,
  type RunchatAdapterSettings,
  type RunchatJobRef,
  type RunchatJobRun,
  type RunchatTriggerRequest,
} from '@anyjob/runchat';
import {
  createTrueFoundry,
  type TrueFoundryAdapterSettings,
  type TrueFoundryJobRef,
  type TrueFoundryJobRun,
  type TrueFoundryTriggerRequest,
} from '@anyjob/truefoundry';

export type TriggerRequest = RunchatTriggerRequest | TrueFoundryTriggerRequest | KognitosTriggerRequest;
export type JobRef = RunchatJobRef | TrueFoundryJobRef | KognitosJobRef;
export type JobRun = RunchatJobRun | TrueFoundryJobRun | KognitosJobRun;

/** The run type a request or ref produces, so `run.ref` is typed for its provider. */
export type RunFor<T extends { provider: ProviderName }> = T extends { provider: 'runchat' }
  ? RunchatJobRun
  : T extends { provider: 'truefoundry' }
    ? TrueFoundryJobRun
    : T extends { provider: 'kognitos' }
      ? KognitosJobRun
      : JobRun;

export type WaitOptions = CoreWaitOptions<JobRun>;

/** Settings for createAnyJob. Top-level options apply to every provider; per-provider ones win. */
export interface AnyJobConfig extends RetrySettings {
  runchat?: RunchatAdapterSettings;
  truefoundry?: TrueFoundryAdapterSettings;
  kognitos?: KognitosAdapterSettings;
  /** Env to read keys and URLs from, for every provider. Default `process.env`. */
  env?: Record<string, string | undefined>;
  /** A fetch to send every request with (proxies, tracing). Default `globalThis.fetch`. */
  fetch?: typeof globalThis.fetch;
}

export interface AnyJob {
  /** Starts a run. Runchat runs are already final when this resolves. */
  triggerJob<R extends TriggerRequest>(request: R, options?: CallOptions): Promise<RunFor<R>>;
  /** Reads a run's current state (Runchat: from the ref, without a request). */
  getJobRun<R extends JobRun | JobRef>(run: R, options?: CallOptions): Promise<RunFor<R>>;
  /** Polls until the run is final; resolves when it succeeded, throws otherwise. */
  waitForJob<R extends JobRun | JobRef>(run: R, options?: WaitOptions): Promise<RunFor<R>>;
  /** Asks the provider to stop the run (TrueFoundry); UnsupportedOperationError elsewhere. */
  cancelJob<R extends JobRun | JobRef>(run: R, options?: CallOptions): Promise<RunFor<R>>;
}

type AnyProvider = JobProvider<{ provider: ProviderName }, JobRefBase>;

const PROVIDERS: readonly ProviderName[] = ['runchat', 'truefoundry', 'kognitos'];

function providerOf(value: unknown, operation: string, what: string): ProviderName {
  const provider =
    typeof value === 'object' && value !== null ? (value as { provider?: unknown }).provider : undefined;
  if (typeof provider === 'string' && (PROVIDERS as readonly string[]).includes(provider)) {
    return provider as ProviderName;
  }
  const message =
    provider === undefined
      ? `The ${what} has no \`provider\`; set it to one of ${PROVIDERS.map((p) => `'${p}'`).join(', ')}.`
      : `\`provider\` must be one of ${PROVIDERS.map((p) => `'${p}'`).join(', ')}.`;
  throw new InvalidRequestError(message, {
    operation,
    issues: [{ path: 'provider', rule: provider === undefined ? 'required' : 'enum', message }],
  });
}

export function createAnyJob(config: AnyJobConfig = {}): AnyJob {
  const adapters: Partial<Record<ProviderName, AnyProvider>> = {};
  const { runchat, truefoundry, kognitos, ...shared } = config;

  return dispatch((name) => {
    let created = adapters[name];
    if (created === undefined) {
      // Shared options first so a provider's own settings override them.
      if (name === 'runchat') created = createRunchat({ ...shared, ...runchat }) as unknown as AnyProvider;
      else if (name === 'truefoundry')
        created = createTrueFoundry({ ...shared, ...truefoundry }) as unknown as AnyProvider;
      else created = createKognitos({ ...shared, ...kognitos }) as unknown as AnyProvider;
      adapters[name] = created;
    }
    return created;
  });
}

/** Adapters for composeAnyJob, from the provider packages' factories. */
export interface AnyJobProviders {
  runchat?: ReturnType<typeof createRunchat>;
  truefoundry?: ReturnType<typeof createTrueFoundry>;
  kognitos?: ReturnType<typeof createKognitos>;
}

const FACTORIES: Record<ProviderName, string> = {
  runchat: 'createRunchat',
  truefoundry: 'createTrueFoundry',
  kognitos: 'createKognitos',
};

/**
 * The same four functions as createAnyJob, over adapters you create: `composeAnyJob({ truefoundry:
 * createTrueFoundry(settings) })`. A bundler then keeps only the provider packages you import
 * (createAnyJob and the module-level functions reach all three). A run of a provider you did not
 * pass is rejected with ConfigError before any request.
 */
export function composeAnyJob(providers: AnyJobProviders): AnyJob {
  return dispatch((name) => {
    const adapter = providers[name] as AnyProvider | undefined;
    if (adapter === undefined) {
      throw new ConfigError(
        `This anyjob instance has no ${name} provider: pass \`${name}: ${FACTORIES[name]}(settings)\` to composeAnyJob.`,
      );
    }
    return adapter;
  });
}

function dispatch(adapter: (name: ProviderName) => AnyProvider): AnyJob {
  return {
    async triggerJob(request, options) {
      const provider = providerOf(request, 'triggerJob', 'request');
      return (await adapter(provider).triggerJob(request, options)) as never;
    },
    async getJobRun(run, options) {
      return (await adapter(providerOf(run, 'getJobRun', 'run')).getJobRun(run, options)) as never;
    },
    async waitForJob(run, options) {
      const provider = adapter(providerOf(run, 'waitForJob', 'run'));
      return (await pollUntilTerminal(
        run as JobRefBase,
        (current, callOptions) => provider.getJobRun(current, callOptions),
        options as CoreWaitOptions<CoreJobRun>,
      )) as never;
    },
    async cancelJob(run, options) {
      return (await adapter(providerOf(run, 'cancelJob', 'run')).cancelJob(run, options)) as never;
    },
  };
}
