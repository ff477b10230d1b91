import { defineConfig, mergeConfig } from 'vitest/config';
import base from '../vitest.config.js';

/**
 * The compose compile benchmark runs in process against the sources of libs/compose: no database, no platform, so
 * no global setup (unlike `bench/vitest.config.ts`). `npm run bench:compose`. It prints figures and asserts nothing.
 */
const shared = (base.test?.projects as { plugins?: unknown; resolve?: unknown }[] | undefined)?.[0] ?? {};
export default mergeConfig(
  { plugins: shared.plugins, resolve: shared.resolve },
  defineConfig({
    test: {
      include: ['bench/compose.bench.ts'],
      testTimeout: 300_000,
      reporters: ['default'],
    },
  }),
);
