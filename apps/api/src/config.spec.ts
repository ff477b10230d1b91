import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.js';

const valid = {
  DATABASE_URL: 'postgres://app:pw@127.0.0.1:5432/wharf',
  REDIS_URL: 'redis://127.0.0.1:6379/0',
  JWT_SECRET: 'x'.repeat(32),
  MASTER_KEY: Buffer.alloc(32, 7).toString('base64'),
};

describe('loadConfig', () => {
  it('applies defaults to a minimal valid environment', () => {
    const c = loadConfig(valid);
    expect(c).toMatchObject({ API_PORT: 4000, ACCESS_TOKEN_TTL_SECONDS: 900, BODY_LIMIT_BYTES: 1_048_576, TRUST_PROXY: false });
  });

  it('names every bad variable and says what it must be', () => {
    const run = () =>
      loadConfig({ ...valid, JWT_SECRET: 'short', API_PORT: 'eighty', DATABASE_URL: undefined, MASTER_KEY: 'abc' });
    expect(run).toThrow(ConfigError);
    try {
      run();
    } catch (err) {
      const message = (err as Error).message;
      expect(message).toMatch(/JWT_SECRET: must be at least 32 characters/);
      expect(message).toMatch(/API_PORT:/);
      expect(message).toMatch(/DATABASE_URL: is required/);
      expect(message).toMatch(/MASTER_KEY: must be 32 bytes/);
      expect(message).not.toMatch(/REDIS_URL/);
    }
  });

  it('takes the retired master keys as a comma-separated list of 32-byte keys, and refuses a malformed one', () => {
    const k = (n: number) => Buffer.alloc(32, n).toString('base64');
    expect(loadConfig(valid).MASTER_KEYS_PREVIOUS).toBe('');
    expect(loadConfig({ ...valid, MASTER_KEYS_PREVIOUS: `${k(1)}, ${k(2)}` }).MASTER_KEYS_PREVIOUS).toBe(`${k(1)}, ${k(2)}`);
    expect(() => loadConfig({ ...valid, MASTER_KEYS_PREVIOUS: `${k(1)},abc` })).toThrow(/MASTER_KEYS_PREVIOUS: comma-separated/);
    expect(() => loadConfig({ ...valid, AWS_PLATFORM_ACCOUNT_ID: '1234' })).toThrow(/AWS_PLATFORM_ACCOUNT_ID/);
  });
});
