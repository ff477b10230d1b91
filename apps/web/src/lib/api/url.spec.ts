import { describe, expect, it } from 'vitest';
import { fillPath, toQueryString } from './url';

describe('fillPath', () => {
  it('encodes each parameter', () => {
    expect(fillPath('/api/v1/tenants/{tenant}/members/{userId}', { tenant: 'a b', userId: 'x/y' })).toBe(
      '/api/v1/tenants/a%20b/members/x%2Fy',
    );
  });

  it('refuses a missing parameter', () => {
    expect(() => fillPath('/api/v1/tenants/{tenant}', {})).toThrow(/tenant/);
  });
});

describe('toQueryString', () => {
  it('keeps only defined, non-empty values', () => {
    expect(toQueryString({ cursor: undefined, q: '', limit: 20, status: 'active' })).toBe('?limit=20&status=active');
    expect(toQueryString({ cursor: undefined })).toBe('');
    expect(toQueryString(undefined)).toBe('');
  });
});
