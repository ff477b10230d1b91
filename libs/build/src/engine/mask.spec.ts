import { describe, expect, it } from 'vitest';
import { secretMasker } from './mask.js';

describe('secretMasker', () => {
  const secret = 'p@ss word/42';
  const mask = secretMasker([secret, 'abc', '']);

  it('masks a secret, its base64 and URL-encoded forms', () => {
    expect(mask(`token=${secret}!`)).toBe('token=***!');
    expect(mask(Buffer.from(secret).toString('base64'))).toBe('***');
    expect(mask(Buffer.from(secret).toString('base64url'))).toBe('***');
    expect(mask(`https://x/?p=${encodeURIComponent(secret)}`)).toBe('https://x/?p=***');
    expect(mask(`p=${encodeURIComponent(secret).replace(/%20/g, '+')}`)).toBe('p=***');
    expect(mask(`${secret} and ${secret}`)).toBe('*** and ***');
  });

  it('leaves secrets shorter than 4 characters and other text alone', () => {
    expect(mask('abc is fine')).toBe('abc is fine');
    expect(secretMasker([])('nothing')).toBe('nothing');
  });

  it('masks the longer of two overlapping secrets whole', () => {
    const m = secretMasker(['token', 'token-extended']);
    expect(m('a token-extended b token')).toBe('a *** b ***');
  });
});
