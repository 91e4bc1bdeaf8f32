// List a job's runs, then wait for many runs at once, and watch them as they change.
//
//   TFY_HOST=… TFY_API_KEY=… TFY_APPLICATION_ID=… node list-and-watch.js
import { AbortError, listJobRuns, triggerJob, waitForJobs, watchJobs } from 'anyjob';

const applicationId = process.env.TFY_APPLICATION_ID ?? 'my-application-id';

// 1. Every run of the job, newest first, read one page at a time (stop early with `limit` or `break`).
console.log('latest runs:');
for await (const run of listJobRuns({ provider: 'truefoundry', applicationId }, { limit: 5 })) {
  console.log(`  ${run.id}  ${run.status}`);
}

// Start a few runs to wait for.
const trigger = (shard: number) =>
  triggerJob({ provider: 'truefoundry', applicationId, params: { shard: String(shard) } });
const batch = await Promise.all([1, 2, 3].map(trigger));

// 2. Wait for all of them: one result per run, in input order. Runs of the same job are polled
//    together through the list endpoint, so three runs do not cost three requests per poll.
const results = await waitForJobs(batch, { pollIntervalMs: 500, timeoutMs: 10 * 60_000 });
for (const [i, result] of results.entries()) {
  console.log(`run ${batch[i].id}: ${result.run ? result.run.status : `failed: ${String(result.error)}`}`);
}

// 3. Watch more runs: each status change once, then a final update per run. `signal` stops the
//    watch (here it stands for the process being asked to shut down, e.g. on SIGTERM).
const more = await Promise.all([4, 5].map(trigger));
const shutdown = new AbortController();
const watch = watchJobs(more, { pollIntervalMs: 500, signal: shutdown.signal });
let saved = watch.state();
try {
  for await (const update of watch) {
    console.log(`${update.run?.id}: ${update.previousStatus ?? 'unread'} → ${update.run?.status}`);
    // state() is plain JSON (refs and last statuses): store it after each update.
    saved = watch.state();
    // Stop after the first change (leaving the loop with `break` stops the polling too).
    shutdown.abort();
  }
} catch (error) {
  if (!AbortError.isInstance(error)) throw error;
  console.log(`stopped; saved state of ${saved.runs.length} runs`);
}

// After a restart (another process would JSON.parse the stored state): resume where it stopped.
for await (const update of watchJobs(saved.runs, { pollIntervalMs: 500 })) {
  if (update.final) console.log(`${update.run?.id}: ${update.run?.status} (final)`);
}
