// Dispatch a GitHub Actions workflow, wait for its run, and print where to see it.
//
//   GITHUB_TOKEN=… GITHUB_REPOSITORY=octo-org/octo-repo node github-dispatch.js release.yml main version=1.2.3
//
// GITHUB_TOKEN (or GH_TOKEN) and GITHUB_API_URL are read as GitHub Actions and the gh CLI set them:
// inside a workflow this dispatches another one with nothing configured.
import { TriggerUnconfirmedError, triggerJob, waitForJob } from 'anyjob';

const [workflow = 'release.yml', ref = 'main', ...pairs] = process.argv.slice(2);
const repo = process.env.GITHUB_REPOSITORY ?? 'octo-org/octo-repo';
const inputs = Object.fromEntries(pairs.map((pair) => pair.split('=', 2)));

try {
  // Asks GitHub for the run's id (`return_run_details`) and reads the run: its html_url is `run.url`.
  const run = await triggerJob({ provider: 'github', repo, workflow, ref, inputs });
  console.log(`dispatched ${workflow} on ${ref}: run ${run.id} ${run.url}`);
  const done = await waitForJob(run, { onUpdate: (latest) => console.log(`  ${latest.providerStatus}`) });
  console.log(`run ${done.id} ${done.status}`);
} catch (error) {
  // A server that does not answer the run's id (an older GitHub Enterprise Server answers 204)
  // leaves only the workflow's recent dispatched runs: candidates, never a guess.
  if (TriggerUnconfirmedError.isInstance(error)) {
    console.error(
      `dispatched, but GitHub named no run; candidates: ${(error.candidates ?? []).map((c) => c.id).join(', ') || 'none'}`,
    );
    process.exitCode = 5;
  } else {
    throw error; // InvalidRequestError (a repo that is not owner/name), RateLimitError, JobFailedError, …
  }
}
