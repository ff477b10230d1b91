import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { Keyring, masterKeyId } from './envelope.js';

const k1 = randomBytes(32);
const k2 = randomBytes(32);

describe('Keyring (envelope encryption)', () => {
  it('seals each value under its own data key, wrapped by the current master key', () => {
    const ring = new Keyring(k1);
    const a = ring.seal('AKIA…/secret', 'cloud-account:t1:a1');
    const b = ring.seal('AKIA…/secret', 'cloud-account:t1:a1');
    expect(a).not.toBe(b);
    expect(a.split('.')[4]).not.toBe(b.split('.')[4]); // different wrapped data keys
    expect(Keyring.keyIdOf(a)).toBe(masterKeyId(k1));
    expect(ring.open(a, 'cloud-account:t1:a1')).toBe('AKIA…/secret');
    expect(a).not.toContain('secret');
  });

  it('refuses a value moved to another row, and a tampered one', () => {
    const ring = new Keyring(k1);
    const sealed = ring.seal('s', 'cloud-account:t1:a1');
    expect(() => ring.open(sealed, 'cloud-account:t2:a1')).toThrow();
    const parts = sealed.split('.');
    parts[7] = Buffer.from('x').toString('base64url');
    expect(() => ring.open(parts.join('.'), 'cloud-account:t1:a1')).toThrow();
    expect(() => ring.open('v1.a.b.c', 'x')).toThrow(/not an envelope/);
  });

  it('rotates: values under the old key open while both are configured, and re-wrapping moves them to the new key', () => {
    const old = new Keyring(k1);
    const sealed = old.seal('the secret', 'aad');
    const rotated = Keyring.fromBase64(k2.toString('base64'), k1.toString('base64'));
    expect(rotated.open(sealed, 'aad')).toBe('the secret');

    const rewrapped = rotated.rewrap(sealed, 'aad');
    expect(Keyring.keyIdOf(rewrapped)).toBe(masterKeyId(k2));
    expect(rewrapped.split('.').slice(5)).toEqual(sealed.split('.').slice(5)); // the data itself is not re-encrypted
    expect(rotated.rewrap(rewrapped, 'aad')).toBe(rewrapped);

    // once the old key is dropped, only re-wrapped values open
    const onlyNew = new Keyring(k2);
    expect(onlyNew.open(rewrapped, 'aad')).toBe('the secret');
    expect(() => onlyNew.open(sealed, 'aad')).toThrow(new RegExp(`${masterKeyId(k1)} .* not configured`));
  });

  it('refuses keys that are not 32 bytes', () => {
    expect(() => new Keyring(randomBytes(16))).toThrow(/32 bytes/);
  });
});
