// The one-process figure the queue case compares against: one process triggers every run, then
// waits for all of them with one waitForJobs (batched: list reads per job). Prints when each phase
// ended as JSON; the bench reads the requests from the fake's own log.
//
// Env: BASELINE_CONFIG, JSON of { baseUrls, apiKeys, n, requestsPerMinute, wait }.
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { repoRoot } from '../lib/providers.mjs';
import { requests } from './queue.mjs';

const require = createRequire(join(repoRoot, 'packages', 'bullmq', 'package.json'));
const { composeAnyJob, kognitos, truefoundry } = await import(pathToFileURL(require.resolve('anyjob')).href);

const env = process.env;
const config = JSON.parse(env.BASELINE_CONFIG ?? '{}');
const settings = (name) => ({ baseUrl: config.baseUrls[name], apiKey: config.apiKeys[name] });
const anyjob = composeAnyJob([kognitos, truefoundry], {
  kognitos: settings('kognitos'),
  truefoundry: settings('truefoundry'),
});

const all = requests(config.n);
const started = Date.now();
const runs = new Array(all.length);
let next = 0;
// 64 triggers in flight: the provider's answer time, not this loop, sets the pace.
await Promise.all(
  Array.from({ length: 64 }, async () => {
    while (next < all.length) {
      const index = next++;
      runs[index] = await anyjob.triggerJob(all[index]);
    }
  }),
);
const triggeredAt = Date.now();
const results = await anyjob.waitForJobs(runs, {
  ...config.wait,
  requestsPerMinute: config.requestsPerMinute,
});
process.stdout.write(
  `${JSON.stringify({
    started,
    triggeredAt,
    ended: Date.now(),
    succeeded: results.filter((result) => result.run).length,
  })}\n`,
);
