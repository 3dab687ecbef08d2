import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

/**
 * Browser tests: the global setup starts the whole local product once (DynamoDB Local in memory,
 * local Step Functions, mail capture, gateway serving web/dist); each file drives Debian's Chromium
 * through playwright-core. Files run one after another because they share the runtime and its mail.
 * Set E2E_BASE_URL to run against a product that is already running (e.g. `npm start`).
 */
export default defineConfig({
  root: fileURLToPath(new URL('../..', import.meta.url)),
  test: {
    name: 'e2e',
    include: ['test/e2e/**/*.test.ts'],
    environment: 'node',
    globalSetup: ['test/e2e/global-setup.ts'],
    setupFiles: ['infra/local/polyfills.ts'],
    testTimeout: 90_000,
    hookTimeout: 120_000,
    fileParallelism: false,
  },
});
