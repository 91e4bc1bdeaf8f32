// The default providers' descriptors, collected from providers.ts (whatever it exports that is a
// descriptor), so adding a provider there is all it takes.
import type { AnyJobProviderDescriptor } from '@anyjob/core';
import * as exported from './providers.js';

/** The default providers' descriptors, as a union. */
export type DefaultProvider = Extract<(typeof exported)[keyof typeof exported], AnyJobProviderDescriptor>;

function isDescriptor(value: unknown): value is DefaultProvider {
  return (
    typeof value === 'object' &&
    value !== null &&
    'specificationVersion' in value &&
    typeof (value as AnyJobProviderDescriptor).create === 'function'
  );
}

/** The descriptors of the default providers (see providers.ts). */
export const defaultProviders: readonly DefaultProvider[] = /* @__PURE__ */ descriptorsOf(exported);

// A function call marked pure, so a bundle that never uses the default providers (composeAnyJob
// with its own) drops this list, and with it every descriptor it would keep.
function descriptorsOf(module: Record<string, unknown>): DefaultProvider[] {
  return Object.values(module).filter(isDescriptor);
}
