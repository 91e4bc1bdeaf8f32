// Names the generator gives things, shared with the scaffold so both agree.

/** @param {string} name */
function pascal(name) {
  return name.charAt(0).toUpperCase() + name.slice(1);
}

/**
 * `acme-jobs` → `acmeJobs`.
 * @param {string} provider
 * @returns {string}
 */
export function camelProvider(provider) {
  return provider.replace(/-([a-z0-9])/g, (_, c) => c.toUpperCase());
}

/**
 * The generated SDK function of an operation: `<provider><OperationId>` (truefoundryTriggerJob,
 * kognitosStartRun). The facade's functions are triggerJob, getJobRun, listJobRuns…, and a
 * provider's raw operation of the same name takes other arguments, so the names must differ.
 * @param {string} provider
 * @param {string} operationId
 * @returns {string}
 */
export function sdkFunctionName(provider, operationId) {
  return `${camelProvider(provider)}${pascal(operationId)}`;
}
