// Provider answers the loopback-server tests reply with: the smallest bodies that pass each
// provider's response checks. Tests that need the run in a particular state say so.

/** A TrueFoundry job run (GET /jobs/runs/{name}) of application `app1`, deployment `dep1`. */
export function trueFoundryRun(status: string) {
  return {
    id: 'r1',
    name: 'train-1',
    applicationName: 't',
    deploymentVersion: '1',
    createdAt: 1,
    command: 'x',
    totalRetries: 0,
    status,
    applicationId: 'app1',
    deploymentId: 'dep1',
  };
}
