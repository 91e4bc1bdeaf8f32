// An operation the provider's API does not have (a cancel, a run list): one typed error, before
// any request.
import { UnsupportedOperationError } from '../errors/index.js';

/** Rejects with UnsupportedOperationError saying why the API cannot. */
export function unsupported(provider: string, operation: string, why: string): Promise<never> {
  return Promise.reject(new UnsupportedOperationError(why, { provider, operation }));
}
