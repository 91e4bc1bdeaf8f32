// The default providers of `createAnyJob()` and the module-level functions: the one place the
// facade names providers. Each entry is a provider package's descriptor; the facade's types
// (ProviderName, TriggerRequest, JobRef, JobRun, RunFor) are derived from this list. Importing a
// descriptor is cheap: its package's SDK, schemas and validator load on its first call.
import { kognitos } from '@anyjob/kognitos/provider';
import { runchat } from '@anyjob/runchat/provider';
import { truefoundry } from '@anyjob/truefoundry/provider';

export const defaultProviders = [runchat, truefoundry, kognitos] as const;

// Each default provider's descriptor, factory and types, so `anyjob` alone is enough to use them.
export {
  createKognitos,
  type KognitosJobRef,
  type KognitosJobRun,
  type KognitosListQuery,
  type KognitosSettings,
  type KognitosTriggerRequest,
  kognitos,
} from '@anyjob/kognitos/provider';
export {
  createRunchat,
  type RunchatFlowTriggerRequest,
  type RunchatJobRef,
  type RunchatJobRun,
  type RunchatJobTriggerRequest,
  type RunchatSettings,
  type RunchatTriggerRequest,
  runchat,
} from '@anyjob/runchat/provider';
export {
  createTrueFoundry,
  type TrueFoundryJobRef,
  type TrueFoundryJobRun,
  type TrueFoundryListQuery,
  type TrueFoundrySettings,
  type TrueFoundryTriggerRequest,
  truefoundry,
} from '@anyjob/truefoundry/provider';
