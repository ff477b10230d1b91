import { defineConfig, mergeConfig } from 'vitest/config';
import base from '../vitest.config.js';

/**
 * Benchmarks that need the whole platform (API, worker, agent, Caddy, the engine) reuse the test support code, so
 * they run under vitest: `npm run bench:deploy`. They print figures and assert nothing about speed.
 */
const shared = (base.test?.projects as { plugins?: unknown; resolve?: unknown }[] | undefined)?.[0] ?? {};
export default mergeConfig(
  { plugins: shared.plugins, resolve: shared.resolve },
  defineConfig({
    test: {
      include: ['bench/**/*.bench.ts'],
      globalSetup: ['tests/support/global-setup.ts'],
      testTimeout: 1_800_000,
      hookTimeout: 300_000,
      reporters: ['default'],
    },
  }),
);
