// A provider's CLI flags in short: a record keyed by flag name, each entry its help and only what
// differs from the defaults, rather than seven lines of data per flag. Pure, so a bundle that
// drops the descriptor drops its flags (and the lazy imports beside them) too.
import { camelCase } from '../validation/camel-field-names.js';
import type { CliFlag } from './provider.js';

/**
 * One flag in short: its help alone, or its help and what differs from the defaults. `kind`
 * defaults to `string`; `field` to the name in camelCase (`idempotency-key` → `idempotencyKey`),
 * plural for `pairs` (`--input` fills `inputs`), none where the flag sets a `setting`; `value` to
 * the kind's placeholder (`<id>` for an id field).
 */
export type CliFlagSpec = string | (Partial<Omit<CliFlag, 'name'>> & { readonly help?: string });

/** The placeholder shown after a flag of this kind and field in help and usage lines. */
function placeholder(kind: CliFlag['kind'], target: string): string | undefined {
  if (kind === 'boolean') return undefined;
  if (kind === 'pairs') return 'key=value';
  if (kind === 'json') return '<json | @file | ->';
  if (/Ids?$/.test(target)) return '<id>';
  return kind === 'integer' || kind === 'number' ? '<n>' : '<text>';
}

/** The flags of `specs`, in their order. */
/* @__NO_SIDE_EFFECTS__ */
export function cliFlags(specs: Readonly<Record<string, CliFlagSpec>>): CliFlag[] {
  return cliFlagsFrom([], specs);
}

/**
 * The flags of `specs`, where an entry named like a flag of `base` (and of its kind) starts from
 * that flag: a list or doctor command repeats a trigger flag by naming only what changes.
 */
/* @__NO_SIDE_EFFECTS__ */
export function cliFlagsFrom(
  base: readonly CliFlag[],
  specs: Readonly<Record<string, CliFlagSpec>>,
): CliFlag[] {
  return Object.entries(specs).map(([name, spec]) => {
    const own = typeof spec === 'string' ? { help: spec } : spec;
    // An entry of another kind is another flag that shares the name: it inherits nothing.
    const like = base.find((flag) => flag.name === name && (own.kind ?? flag.kind) === flag.kind);
    const { name: _, ...inherited } = like ?? { name };
    const merged = { ...inherited, ...own };
    const kind = merged.kind ?? 'string';
    const field =
      merged.setting === undefined
        ? (merged.field ?? `${camelCase(name)}${kind === 'pairs' && !name.endsWith('s') ? 's' : ''}`)
        : undefined;
    const value = merged.value ?? placeholder(kind, field ?? merged.setting ?? name);
    return {
      ...merged,
      name,
      kind,
      ...(field === undefined ? {} : { field }),
      ...(value === undefined ? {} : { value }),
      help: merged.help ?? '',
    };
  });
}
