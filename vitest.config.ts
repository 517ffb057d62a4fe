/**
 * `npm test`: unit tests (pure, most of them), adapter and end-to-end tests against the embedded
 * emulators (one shared DynamoDB Local for the run, started by the global setup), and CDK tests.
 */
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'web/src/**/*.test.ts'],
    globalSetup: ['test/support/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 180_000,
    pool: 'forks',
  },
});
