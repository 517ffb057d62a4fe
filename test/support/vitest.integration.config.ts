/**
 * Runs the adapter and end-to-end tests on their own, with the shared DynamoDB Local:
 *   npx vitest run --config test/support/vitest.integration.config.ts
 * (The project's vitest.config.ts carries the same settings for `npm test`.)
 */
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  root: fileURLToPath(new URL('../..', import.meta.url)),
  test: {
    include: ['test/adapter/**/*.test.ts', 'test/e2e/**/*.test.ts'],
    globalSetup: ['test/support/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
