import { loadConfig } from '../../apps/api/src/config.js';
/** API configuration for tests: the environment scripts/test.sh prepared, pointed at a test database. */
export function testConfig(databaseUrl, overrides = {}) {
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
        ...overrides,
    });
}
//# sourceMappingURL=config.js.map