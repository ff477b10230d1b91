import { type Config, loadConfig } from '../../apps/api/src/config.js';

/** API configuration for tests: the environment scripts/test.sh prepared, pointed at a test database. */
export function testConfig(databaseUrl: string, overrides: Partial<Record<keyof Config, string>> = {}): Config {
  return loadConfig({
    ...process.env,
    NODE_ENV: 'test',
    DATABASE_URL: databaseUrl,
    DATABASE_POOL_SIZE: '10',
    LOG_LEVEL: 'silent',
    PUBLIC_URL: 'http://localhost:3000',
    LOGIN_RATE_LIMIT_PER_IP: '100000',
    LOGIN_RATE_LIMIT_PER_ACCOUNT: '100000',
    SIGNUP_RATE_LIMIT_PER_IP: '100000',
    // jobs enqueued by tests without a worker stay in a key space of their own
    QUEUE_PREFIX: `wharf-test-${process.env.WHARF_TEST_RUN ?? process.pid}`,
    ...overrides,
  });
}
