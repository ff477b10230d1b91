import { fileURLToPath } from 'node:url';
import swc from 'unplugin-swc';
import { defineConfig } from 'vitest/config';

const lib = (name: string) => fileURLToPath(new URL(`./libs/${name}/src/index.ts`, import.meta.url));
// Tests run against the TypeScript sources of the libs (not their dist), with decorator metadata for Nest.
const shared = {
  plugins: [
    swc.vite({
      jsc: {
        parser: { syntax: 'typescript' as const, decorators: true },
        transform: { legacyDecorator: true, decoratorMetadata: true },
        target: 'es2022' as const,
      },
    }),
  ],
  resolve: {
    alias: {
      '@wharf/contracts': lib('contracts'),
      '@wharf/crypto': lib('crypto'),
      '@wharf/db': lib('db'),
      '@wharf/engine': lib('engine'),
      '@wharf/queue': lib('queue'),
      '@wharf/compose': lib('compose'),
      '@wharf/build': lib('build'),
      '@wharf/git-hosting': lib('git-hosting'),
      '@wharf/releases': lib('releases'),
      '@wharf/providers': lib('providers'),
    },
  },
};

/** Tests that deploy onto the local Docker engine through a cluster of their own. */
const WORKLOADS = [
  'tests/workloads/**/*.e2e.spec.ts',
  'apps/api/src/apps/deploy.e2e.spec.ts',
  'apps/worker/**/*.e2e.spec.ts',
  'apps/agent/**/*.e2e.spec.ts',
  'libs/build/src/**/*.e2e.spec.ts',
];

export default defineConfig({
  test: {
    reporters: ['default'],
    projects: [
      {
        ...shared,
        test: {
          name: 'unit',
          include: ['libs/*/src/**/*.spec.ts', 'apps/*/src/**/*.spec.ts'],
          exclude: ['**/*.e2e.spec.ts', '**/node_modules/**'],
          // the property tests run thousands of cases: room for a loaded two-core machine
          testTimeout: 30_000,
          // unit and api files run side by side (one group: the same number of workers), whatever the core count
          maxWorkers: 2,
        },
      },
      {
        ...shared,
        test: {
          name: 'api',
          include: ['apps/api/**/*.e2e.spec.ts', 'libs/*/src/**/*.e2e.spec.ts', 'tests/infra/**/*.e2e.spec.ts'],
          exclude: [...WORKLOADS, '**/node_modules/**'],
          globalSetup: ['tests/support/global-setup.ts'],
          testTimeout: 30_000,
          hookTimeout: 60_000,
          maxWorkers: 2,
        },
      },
      {
        ...shared,
        test: {
          // each file runs a real cluster (Caddy, agent, worker) on the one local engine: one file at a time, so
          // rollouts and timings are not at the mercy of four other clusters on two cores
          name: 'workloads',
          include: WORKLOADS,
          globalSetup: ['tests/support/global-setup.ts'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
      {
        ...shared,
        test: {
          name: 'browser',
          include: ['apps/web/e2e/**/*.e2e.spec.ts'],
          globalSetup: ['apps/web/e2e/global-setup.ts'],
          testTimeout: 120_000,
          hookTimeout: 180_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
