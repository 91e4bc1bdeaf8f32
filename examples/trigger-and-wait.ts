// Trigger a TrueFoundry job and wait until it finishes.
//
//   TFY_HOST=https://acme.truefoundry.cloud TFY_API_KEY=… TFY_APPLICATION_ID=… node trigger-and-wait.js
//
// The provider's settings come from its env vars (TFY_HOST, TFY_API_KEY): nothing is configured
// in code. The other providers work the same way with their own request fields:
// `{ provider: 'kognitos', agentId, processId, inputs }`, `{ provider: 'runchat', flowId, inputs }`.
import { JobCanceledError, JobFailedError, triggerJob, WaitTimeoutError, waitForJob } from 'anyjob';

const applicationId = process.env.TFY_APPLICATION_ID ?? 'my-application-id';

// Starts one run. The request is checked before anything is sent (InvalidRequestError), and a
// trigger is never retried when it might have started a run.
const run = await triggerJob({ provider: 'truefoundry', applicationId, params: { epochs: '3' } });
console.log(`triggered ${run.provider} run ${run.id}: ${run.status}`);

try {
  // Polls (1 s apart, growing ×1.5 up to 30 s) until the run is final. It resolves only when the
  // run succeeded; `timeoutMs` bounds the whole wait.
  const done = await waitForJob(run, {
    timeoutMs: 60 * 60_000,
    onUpdate: (latest) => console.log(`  ${latest.status} (${latest.providerStatus})`),
  });
  console.log(`run ${done.id} succeeded${done.output ? `: ${JSON.stringify(done.output)}` : ''}`);
} catch (error) {
  // Each of these carries the last state read in `error.run`. A timeout only stops the waiting:
  // the run goes on, and its ref can be waited for again later.
  if (
    JobFailedError.isInstance(error) ||
    JobCanceledError.isInstance(error) ||
    WaitTimeoutError.isInstance(error)
  ) {
    console.error(`run ${error.run.id} ended ${error.run.status}: ${error.message}`);
    process.exitCode = 1;
  } else {
    throw error; // ConfigError, AuthenticationError, ConnectionError, …: see the README's error table
  }
}
