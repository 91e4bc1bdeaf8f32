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
export const defaultProviders: readonly DefaultProvider[] = Object.values(exported).filter(isDescriptor);
