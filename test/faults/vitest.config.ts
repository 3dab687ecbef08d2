import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

/**
 * Fault tests: each scenario starts its own local runtimes (DynamoDB Local on disk, in a temporary
 * folder) and breaks them — a crash in the middle of a stage, DynamoDB Local killed, the Step
 * Functions endpoint gone. A runtime sets process.env for the functions (one runtime per process),
 * so every file runs in a forked process of its own, one file at a time (each one starts Java).
 *
 *   npx vitest run --config test/faults/vitest.config.ts
 */
export default defineConfig({
  root: fileURLToPath(new URL('../..', import.meta.url)),
  test: {
    name: 'faults',
    include: ['test/faults/**/*.test.ts'],
    environment: 'node',
    setupFiles: ['infra/local/polyfills.ts'],
    pool: 'forks',
    isolate: true,
    fileParallelism: false,
    testTimeout: 240_000,
    hookTimeout: 120_000,
    teardownTimeout: 60_000,
  },
});
