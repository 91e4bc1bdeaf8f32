// A ref records the origin of the API its run lives on. Reading or cancelling it against another
// configured origin would send the key to a host the ref did not come from (or ask the wrong
// tenant), so it is refused, naming both origins and where to set the base URL.
import { ConfigError } from '../errors/index.js';
import type { JobRefBase } from './provider.js';

/** `https://acme.truefoundry.cloud/v2` → `https://acme.truefoundry.cloud`. */
export function originOf(baseUrl: string): string {
  return new URL(baseUrl).origin;
}

/** Throws ConfigError when `ref` was recorded on another origin than `baseUrl`'s. */
export function checkRefOrigin(ref: JobRefBase, baseUrl: string, setting: string): void {
  if (typeof ref.origin !== 'string') return;
  const configured = originOf(baseUrl);
  if (ref.origin === configured) return;
  throw new ConfigError(
    `This ${ref.provider} run was started on ${ref.origin}, but the client is configured for ${configured}. Set ${setting} to ${ref.origin} to read or cancel it (anyjob never sends a key to an origin taken from a ref alone).`,
    { setting: 'baseUrl' },
  );
}
