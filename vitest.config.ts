import { defineConfig } from 'vitest/config';

/**
 * Test layers. Unit and workflow tests need no network; integration tests share one local runtime
 * (DynamoDB Local in memory, local Step Functions, mail capture, gateway) started by the global setup;
 * infra tests synthesise the CDK app.
 */
export default defineConfig({
  test: {
    projects: [
      { test: { name: 'unit', include: ['test/unit/**/*.test.ts'], environment: 'node' } },
      { test: { name: 'workflow', include: ['test/workflow/**/*.test.ts'], environment: 'node', setupFiles: ['infra/local/polyfills.ts'] } },
      {
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          environment: 'node',
          globalSetup: ['test/integration/global-setup.ts'],
          setupFiles: ['infra/local/polyfills.ts'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
      { test: { name: 'infra', include: ['test/infra/**/*.test.ts'], environment: 'node', testTimeout: 300_000 } },
    ],
  },
});
