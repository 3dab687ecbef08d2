import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

/** Tests of the bench's own arithmetic (no runtime needed): `npx vitest run --config test/bench/vitest.config.ts`. */
export default defineConfig({
  root: fileURLToPath(new URL('../..', import.meta.url)),
  test: { name: 'bench', include: ['test/bench/**/*.test.ts'], environment: 'node' },
});
