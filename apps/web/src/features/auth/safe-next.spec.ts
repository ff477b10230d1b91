import { describe, expect, it } from 'vitest';
import { safeNext, withNext } from './safe-next';

describe('safeNext', () => {
  it('keeps paths of this site', () => {
    expect(safeNext('/invite/abc')).toBe('/invite/abc');
    expect(safeNext(['/t/acme', '/other'])).toBe('/t/acme');
  });

  it('drops anything that could leave the site', () => {
    for (const target of ['//evil.example', 'https://evil.example', '/\\evil.example', 'javascript:alert(1)', '', undefined]) {
      expect(safeNext(target)).toBeUndefined();
    }
  });
});

describe('withNext', () => {
  it('encodes the target', () => {
    expect(withNext('/login', '/t/acme?x=1')).toBe('/login?next=%2Ft%2Facme%3Fx%3D1');
    expect(withNext('/login', undefined)).toBe('/login');
  });
});
