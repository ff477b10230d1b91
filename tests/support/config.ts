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
    // the tests' git servers listen on 127.0.0.1 over plain HTTP
    GIT_ALLOW_LOCAL: 'true',
    // no test reaches the real hosting APIs: a closed local port unless a test starts its fake
    GITHUB_API_URL: 'http://127.0.0.1:9/github',
    GITLAB_API_URL: 'http://127.0.0.1:9/gitlab',
    GITEE_API_URL: 'http://127.0.0.1:9/gitee',
    // jobs enqueued by tests without a worker stay in a key space of their own
    QUEUE_PREFIX: `wharf-test-${process.env.WHARF_TEST_RUN ?? process.pid}`,
    ...overrides,
  });
}
