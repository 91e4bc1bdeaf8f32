import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: {
    alias: { '#test-harness': new URL('./scripts/test-harness/index.ts', import.meta.url).pathname },
  },
  test: {
    include: [
      'packages/*/test/**/*.test.ts',
      'packages/*/src/**/*.test.ts',
      'scripts/**/*.test.ts',
      'examples/**/*.test.ts',
    ],
    globalSetup: ['./scripts/test-harness/global-setup.ts'],
    setupFiles: ['./scripts/test-harness/prism-violations.ts'],
    testTimeout: 20_000,
    hookTimeout: 90_000,
    // The JSON results feed the contract coverage gate (scripts/coverage-gate.mjs).
    reporters: ['default', 'json'],
    outputFile: { json: '.tmp/vitest-results.json' },
  },
});
