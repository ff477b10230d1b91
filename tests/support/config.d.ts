import { type Config } from '../../apps/api/src/config.js';
/** API configuration for tests: the environment scripts/test.sh prepared, pointed at a test database. */
export declare function testConfig(databaseUrl: string, overrides?: Partial<Record<keyof Config, string>>): Config;
//# sourceMappingURL=config.d.ts.map