import { defineConfig, mergeConfig } from 'vitest/config';
import base from '../vitest.config.js';

/**
 * The dashboard's first-load JavaScript per route runs on the browser tests' stack (the production build of apps/web
 * under `next start`, the real API, a cluster on the local engine): their global setup, not the API benches'.
 * `npm run bench:web-size`. It prints figures and asserts nothing.
 */
const shared = (base.test?.projects as { plugins?: unknown; resolve?: unknown }[] | undefined)?.[0] ?? {};
export default mergeConfig(
  { plugins: shared.plugins, resolve: shared.resolve },
  defineConfig({
    test: {
      include: ['bench/web-size.ts'],
      globalSetup: ['apps/web/e2e/global-setup.ts'],
      testTimeout: 900_000,
      hookTimeout: 300_000,
      reporters: ['default'],
    },
  }),
);
