// Trigger a Databricks job once per day, however often this program runs, and wait for the run.
//
//   DATABRICKS_HOST=dbc-a1b2345c-d6e7.cloud.databricks.com DATABRICKS_TOKEN=… DATABRICKS_JOB_ID=… \
//     node databricks-nightly.js [YYYY-MM-DD]
//
// The idempotency key names the job and the day, so a cron that fires twice, a retried CI step or
// a rerun after a crash all get the day's one run back instead of starting another: Databricks
// starts at most one run per key. anyjob also sends the key on each of its own retries, and after a
// lost answer once more to find the run it started (the same key answers the same run).
import { JobCanceledError, JobFailedError, TriggerUnconfirmedError, triggerJob, waitForJob } from 'anyjob';

const jobId = process.env.DATABRICKS_JOB_ID ?? '11223344';
const day = process.argv[2] ?? new Date().toISOString().slice(0, 10);

try {
  const run = await triggerJob({
    provider: 'databricks',
    jobId, // an int64: kept as digits, exactly, however large
    jobParameters: { run_date: day },
    idempotencyKey: `nightly-${jobId}-${day}`, // at most 64 characters
  });
  console.log(`run ${run.id} of job ${jobId} for ${day}: ${run.status}`);
  const done = await waitForJob(run, { pollIntervalMs: 200 });
  console.log(`run ${done.id} ${done.status} (${done.providerStatus})`);
} catch (error) {
  if (JobFailedError.isInstance(error) || JobCanceledError.isInstance(error)) {
    console.error(`run ${error.run.id} ended ${error.run.status}: ${error.message}`);
    process.exitCode = 1;
  } else if (TriggerUnconfirmedError.isInstance(error)) {
    // Databricks could not be reached even to look the run up: running this program again later
    // is safe, the key is the same.
    console.error(error.message);
    process.exitCode = 5;
  } else {
    throw error;
  }
}
