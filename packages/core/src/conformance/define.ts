// A provider's live conformance plan as data (`anyjob doctor <name>`): which of the spec's reads to
// call, in order, with which path and query, each value a literal, a doctor flag's field, or an id
// from an earlier read's list. Core turns it into the provider's `checkConformance`: it checks the
// input, creates the provider's client (requests and answers unchecked: what the API says of them
// is the report) behind the read-only guard, and runs the steps with runConformance.
import type { Client } from '../fetch-client/index.js';
import type { CommonProviderSettings } from '../job/provider.js';
import type { ConformanceOperation } from './check.js';
import type { ConformanceModule } from './report.js';
import { type ConformanceStep, requireInput, runConformance, type SdkAnswer } from './run.js';

/** A value taken from the input (a doctor flag's field), else from `otherwise` when it is absent. */
export interface ConformanceInputValue {
  readonly input: string;
  readonly otherwise?: ConformanceSource;
}

/**
 * `<list>[0].<field>` of an earlier read's answer (`list` `''`: the answer is the array), when it
 * is a non-empty string or a safe integer.
 */
export interface ConformanceFirstValue {
  readonly first: string;
  readonly list: string;
  readonly field: string;
}

export type ConformanceSource = ConformanceInputValue | ConformanceFirstValue;

/** A path or query value: a literal, or where to take it from when the step runs. */
export type ConformanceValue = string | number | boolean | ConformanceSource;

/** The input field `field` (a parameter left out when absent), else `otherwise`. */
export const fromInput = (field: string, otherwise?: ConformanceSource): ConformanceInputValue =>
  otherwise === undefined ? { input: field } : { input: field, otherwise };

/** The `field` of the first item of `list` in `operation`'s answer; the step is skipped without one. */
export const firstItem = (operation: string, list: string, field: string): ConformanceFirstValue => ({
  first: operation,
  list,
  field,
});

/** One read of the plan: the operation, its generated SDK function, and the request's values. */
export interface ConformanceRead<Operation extends string = string> {
  readonly operation: Operation;
  /** The SDK function of `operation` (`githubGetWorkflowRun`), which applies its security scheme. */
  readonly send: (options: never) => Promise<SdkAnswer>;
  readonly path?: Readonly<Record<string, ConformanceValue>>;
  readonly query?: Readonly<Record<string, ConformanceValue>>;
  /** Why the read is not called when a value from an earlier list is absent (an empty list). */
  readonly skip?: string;
}

export interface ConformanceDefinition<Settings extends CommonProviderSettings, Operation extends string> {
  provider: string;
  /** The spec the schemas come from; `specs/<provider>.yaml` when not given. */
  spec?: string;
  /** The generated conformance table (conformance.gen.ts). */
  operations: Readonly<Record<Operation, ConformanceOperation>>;
  /** The provider's client factory and base URL (the read-only guard matches paths under it). */
  createClient(settings: Settings): Client;
  resolveBaseUrl(settings: Settings): string;
  /** Input fields that must be non-empty strings (InvalidRequestError names each one missing). */
  required?: readonly string[];
  /** Checks and reshapes the input after `required` (e.g. `owner/name` split into two fields). */
  prepare?(input: Record<string, unknown>): Record<string, unknown>;
  reads: readonly ConformanceRead<Operation>[];
}

type Input = Record<string, unknown>;
type Answers = Readonly<Record<string, unknown>>;

function first({ first: operation, list, field }: ConformanceFirstValue, answers: Answers): unknown {
  const answer = answers[operation] as Record<string, unknown> | null | undefined;
  const items = list === '' ? answer : answer?.[list];
  const item = Array.isArray(items) ? (items[0] as Record<string, unknown> | null | undefined) : undefined;
  const value = typeof item === 'object' && item !== null ? item[field] : undefined;
  if (typeof value === 'string') return value === '' ? undefined : value;
  return Number.isSafeInteger(value) ? value : undefined;
}

function resolve(value: ConformanceValue, input: Input, answers: Answers): unknown {
  if (typeof value !== 'object') return value;
  if ('first' in value) return first(value, answers);
  const given = input[value.input];
  if (given !== undefined && given !== null) return given;
  return value.otherwise === undefined ? undefined : resolve(value.otherwise, input, answers);
}

/** Whether an absent `value` means the read cannot be made (it comes from a list), not an omitted option. */
const needed = (value: ConformanceValue): boolean =>
  typeof value === 'object' &&
  ('first' in value || (value.otherwise !== undefined && needed(value.otherwise)));

/** The read's path and query for this input and these answers, or why it cannot be sent. */
function request(read: ConformanceRead, input: Input, answers: Answers) {
  const parts: Record<string, Record<string, unknown>> = {};
  for (const part of ['path', 'query'] as const) {
    const values = read[part];
    if (values === undefined) continue;
    parts[part] = {};
    for (const [name, value] of Object.entries(values)) {
      const resolved = resolve(value, input, answers);
      if (resolved !== undefined) parts[part][name] = resolved;
      else if (needed(value)) return read.skip ?? `no ${name} to send: the list before it was empty`;
      // A path has no optional parameter: without its value the read cannot be sent.
      else if (part === 'path') return `no ${name} to send: the input has none`;
    }
  }
  return parts;
}

/** The provider's `checkConformance`, from its plan as data. */
export function defineConformance<Settings extends CommonProviderSettings, Operation extends string>(
  definition: ConformanceDefinition<Settings, Operation>,
): ConformanceModule<Settings>['checkConformance'] {
  const { provider, operations } = definition;
  const steps = definition.reads.map(
    (read): ConformanceStep<Input, Operation> => ({
      operation: read.operation,
      call: ({ sdk, input, answers }) => {
        const parts = request(read, input, answers);
        return typeof parts === 'string' ? parts : read.send({ ...sdk, ...parts } as never);
      },
    }),
  );
  const plan = { provider, spec: definition.spec ?? `specs/${provider}.yaml`, operations, steps };
  return async (settings, input, options) => {
    requireInput(provider, input, definition.required ?? []);
    return runConformance({
      plan,
      input: definition.prepare ? definition.prepare(input) : input,
      baseUrl: definition.resolveBaseUrl(settings),
      // Requests are not checked against the spec first: an id the API itself returned is sent as
      // it is, and what the API says of a request is part of the report.
      createClient: (fetch) =>
        definition.createClient({ ...settings, fetch, validateRequests: false, validateResponses: false }),
      fetch: settings.fetch,
      signal: options?.signal,
    });
  };
}
