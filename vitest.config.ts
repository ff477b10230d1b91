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
    },
  },
};

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
        },
      },
      {
        ...shared,
        test: {
          name: 'api',
          include: ['apps/api/**/*.e2e.spec.ts', 'libs/*/src/**/*.e2e.spec.ts', 'tests/**/*.e2e.spec.ts'],
          globalSetup: ['tests/support/global-setup.ts'],
          testTimeout: 30_000,
          hookTimeout: 60_000,
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
