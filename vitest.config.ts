/**
 * `npm test`: unit tests (pure, most of them), adapter and end-to-end tests against the embedded
 * emulators (one shared DynamoDB Local for the run, started by the global setup), and CDK tests.
 */
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  // The web application's `@shared/…` (web/tsconfig.json, web/vite.config.ts), for its unit tests.
  resolve: { alias: { '@shared': fileURLToPath(new URL('./shared', import.meta.url)) } },
  test: {
    include: ['test/**/*.test.ts', 'web/src/**/*.test.ts'],
    globalSetup: ['test/support/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 180_000,
    pool: 'forks',
  },
});
