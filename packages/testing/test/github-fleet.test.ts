// GitHub Actions runs of one workflow are polled through the workflow's run list (`refs.group`):
// a fleet of 30 runs costs a few list pages, not a get per run per poll. Against the fake.
import { createAnyJob } from 'anyjob';
import { expect, it } from 'vitest';
import { createFakeProviders } from '../src/index.js';

it('waitForJobs reads the runs of one GitHub workflow through its list', async () => {
  const fake = await createFakeProviders();
  const anyjob = createAnyJob({ ...fake.config(), retryDelayMs: 1 });
  const request = {
    provider: 'github',
    repo: 'octo-org/octo-repo',
    workflow: 'release.yml',
    ref: 'main',
  } as const;
  const runs = [];
  for (let i = 0; i < 30; i++) runs.push(await anyjob.triggerJob(request));
  const results = await anyjob.waitForJobs(runs, { pollIntervalMs: 1, maxPollIntervalMs: 1 });
  expect(results.every((result) => result.run?.status === 'succeeded')).toBe(true);
  const reads = (operation: string) => fake.requests({ provider: 'github', operation }).length;
  // The trigger reads each run once (the dispatch answers only its id); the fleet then lists.
  expect(reads('getWorkflowRun')).toBeLessThanOrEqual(30 + 2);
  expect(reads('listWorkflowRuns')).toBeGreaterThan(0);
  expect(reads('listWorkflowRuns') + reads('getWorkflowRun') - 30).toBeLessThan(runs.length);
});
