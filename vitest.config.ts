/**
 * `npm test`: every project below. `npm run test:unit` (`--project unit`) runs only the unit
 * tests, which need neither Java nor a server: the use cases run against the in-memory fakes of
 * test/support/fakes. The adapter, end-to-end and browser tests (project `integration`) share one
 * DynamoDB Local for the run, started by its global setup only when one of them runs; the CDK
 * tests synthesise the stack offline; the OCR engine tests (project `ocr`) load the real models.
 */
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  // The web application's `@shared/…` (web/tsconfig.json, web/vite.config.ts), for its unit tests.
  resolve: { alias: { '@shared': fileURLToPath(new URL('./shared', import.meta.url)) } },
  test: {
    testTimeout: 30_000,
    hookTimeout: 180_000,
    pool: 'forks',
    // Two test files at once, even on a 2-core machine (vitest's default there is one): most files
    // wait on DynamoDB Local, s3rver or Chromium, so a second file uses the idle core. Each wait in
    // a test names its own limit; none depends on timing.
    maxWorkers: Math.max(2, availableParallelism() - 1),
    projects: [
      { extends: true, test: { name: 'unit', include: ['test/unit/**/*.test.ts', 'web/src/**/*.test.ts'] } },
      {
        extends: true,
        test: {
          name: 'integration',
          // A browser test walks several screens and generates letters: on a busy 2-core CI machine
          // one such test took over 30 s. Each wait inside names its own limit (test/support/browser).
          testTimeout: 120_000,
          include: ['test/adapter/**/*.test.ts', 'test/e2e/**/*.test.ts', 'test/browser/**/*.test.ts'],
          globalSetup: ['test/support/global-setup.ts'],
        },
      },
      { extends: true, test: { name: 'cdk', include: ['test/cdk/**/*.test.ts'] } },
      // The OCR engine with its real models (docs/ocr.md): no emulator, a few seconds.
      { extends: true, test: { name: 'ocr', include: ['test/ocr/**/*.test.ts'] } },
    ],
  },
});
