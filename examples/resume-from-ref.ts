// Trigger a run in one process and follow it from another: a run's `ref` is plain JSON.
//
//   node resume-from-ref.js start run.json    # triggers, stores the ref, exits
//   node resume-from-ref.js resume run.json   # later, anywhere: reads the ref, checks, waits
//
// Settings come from the env (TFY_HOST, TFY_API_KEY). A ref holds ids, not the host or the key:
// resume with the same TFY_HOST as the process that triggered the run.
import { readFile, writeFile } from 'node:fs/promises';
import { getJobRun, type JobRef, triggerJob, waitForJob } from 'anyjob';

const [command, file = 'run.json'] = process.argv.slice(2);

if (command === 'start') {
  const applicationId = process.env.TFY_APPLICATION_ID ?? 'my-application-id';
  const run = await triggerJob({ provider: 'truefoundry', applicationId, alias: 'nightly-report' });
  // Store the ref (a database row, a queue message, a file): it is all that is needed later.
  await writeFile(file, `${JSON.stringify(run.ref, null, 2)}\n`);
  console.log(`triggered ${run.id} (${run.status}); ref stored in ${file}`);
} else if (command === 'resume') {
  // JSON.parse gives `unknown` data: anyjob checks the ref's shape before sending anything and
  // throws InvalidRequestError naming the missing field, so a corrupt file fails early.
  const ref = JSON.parse(await readFile(file, 'utf8')) as JobRef;
  const now = await getJobRun(ref);
  console.log(`${now.id} is ${now.status} (${now.providerStatus})`);
  // waitForJob takes the ref or the run; a run that is already final needs no further request.
  const done = await waitForJob(now, { pollIntervalMs: 500, timeoutMs: 10 * 60_000 });
  console.log(`${done.id} finished: ${done.status}`);
} else {
  console.error('usage: resume-from-ref (start | resume) [file]');
  process.exitCode = 2;
}
