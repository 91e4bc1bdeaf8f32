// The spec validators name wire fields (`body.agent_id`); a facade caller wrote `agentId`, and the
// CLI turns those names into flags. So each adapter runs its package's validator on the request it
// built, before the SDK call, and renames the paths with its own table. Before the SDK call
// matters too: the SDK loads the API key before it validates, so a bad request sent without a key
// would be reported as a missing key.
import { InvalidRequestError } from '../errors/index.js';
import { throwIfInvalid } from './request-checks.js';

/** Wire path → the facade's name for it, most specific first. */
export type FieldNames = readonly (readonly [wire: string, facade: string])[];

export function facadePath(path: string, names: FieldNames): string {
  for (const [wire, facade] of names) {
    if (path === wire || path.startsWith(`${wire}.`) || path.startsWith(`${wire}[`)) {
      return facade + path.slice(wire.length);
    }
  }
  return path;
}

/** Runs `validate`; its InvalidRequestError comes back with the facade's field names. */
export function validateAsFacade(
  provider: string,
  operation: string,
  names: FieldNames,
  validate: () => void,
): void {
  try {
    validate();
  } catch (error) {
    if (!InvalidRequestError.isInstance(error)) throw error;
    const issues = error.issues.map((issue) => {
      const path = facadePath(issue.path, names);
      return { ...issue, path, message: `\`${path}\` ${issue.message}.` };
    });
    throwIfInvalid(provider, operation, issues);
  }
}
