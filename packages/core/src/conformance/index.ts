// @anyjob/core/conformance: the live conformance checker and read-only runner that provider
// packages' conformance plans are written with (`anyjob doctor`, `pnpm contract:live`). Its own
// entry, not part of `@anyjob/core/internal`, so that only a provider's lazily loaded conformance
// module reaches it: bundlers that split per file (esbuild) otherwise put it in the chunk every
// provider call loads. Like `internal`, it may change in any minor version.

export {
  type ConformanceAnswer,
  type ConformanceOperation,
  type ConformanceSchema,
  checkAnswer,
  checkValue,
  describeValue,
  documentedStatus,
  type SchemaFinding,
} from './check.js';
export {
  type ConformanceDefinition,
  type ConformanceFirstValue,
  type ConformanceInputValue,
  type ConformanceRead,
  type ConformanceSource,
  type ConformanceValue,
  defineConformance,
  firstItem,
  fromInput,
} from './define.js';
export {
  type ConformancePlan,
  type ConformanceStep,
  type ConformanceStepContext,
  type RunConformanceOptions,
  requireInput,
  runConformance,
  type SdkAnswer,
} from './run.js';
