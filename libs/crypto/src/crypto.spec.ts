import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { hashPassword, verifyPassword } from './password.js';
import { SecretBox } from './secretbox.js';
import { hashToken, randomSecret, safeEqual } from './tokens.js';

describe('passwords', () => {
  it('verifies the right password and refuses a wrong one', async () => {
    const hash = await hashPassword('correct horse battery');
    expect(hash.startsWith('scrypt$32768$8$1$')).toBe(true);
    expect(await verifyPassword('correct horse battery', hash)).toBe(true);
    expect(await verifyPassword('correct horse batterY', hash)).toBe(false);
  });

  it('salts: the same password hashes differently', async () => {
    expect(await hashPassword('same password')).not.toBe(await hashPassword('same password'));
  });

  it('refuses a malformed hash instead of throwing', async () => {
    expect(await verifyPassword('x', 'md5$abc')).toBe(false);
  });
});

describe('SecretBox', () => {
  const box = new SecretBox(randomBytes(32));

  it('round-trips and never stores the plaintext', () => {
    const sealed = box.seal('s3cret value', 'tenant-a');
    expect(sealed).not.toContain('s3cret');
    expect(box.open(sealed, 'tenant-a')).toBe('s3cret value');
  });

  it('refuses a ciphertext moved to another context or tampered with', () => {
    const sealed = box.seal('value', 'tenant-a');
    expect(() => box.open(sealed, 'tenant-b')).toThrow();
    const parts = sealed.split('.');
    parts[3] = Buffer.from('other').toString('base64url');
    expect(() => box.open(parts.join('.'), 'tenant-a')).toThrow();
  });

  it('refuses a key of the wrong size', () => {
    expect(() => new SecretBox(randomBytes(16))).toThrow(/32-byte/);
  });
});

describe('tokens', () => {
  it('makes distinct high-entropy secrets and stable hashes', () => {
    const a = randomSecret();
    expect(a).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(a).not.toBe(randomSecret());
    expect(hashToken(a)).toBe(hashToken(a));
    expect(safeEqual(a, a)).toBe(true);
    expect(safeEqual(a, `${a}x`)).toBe(false);
  });
});
