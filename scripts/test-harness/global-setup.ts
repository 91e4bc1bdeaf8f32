// Starts one Prism mock per spec before any test file runs and stops them all afterwards, even when
// tests fail or the run is interrupted.
import type { TestProject } from 'vitest/node';
import { startMockServers } from '../lib/prism.mjs';

import './provided-context.js';

export default async function setup(project: TestProject) {
  const servers = await startMockServers();
  const stopOnSignal = () => {
    void servers.stop().finally(() => process.exit(130));
  };
  process.once('SIGINT', stopOnSignal);
  process.once('SIGTERM', stopOnSignal);
  project.provide('mockUrls', servers.urls);
  return async () => {
    process.off('SIGINT', stopOnSignal);
    process.off('SIGTERM', stopOnSignal);
    await servers.stop();
  };
}
