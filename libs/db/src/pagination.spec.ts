import { ValidationError } from '@wharf/contracts';
import { describe, expect, it } from 'vitest';
import { decodeCursor, encodeCursor, toPage } from './pagination.js';

describe('cursors', () => {
  it('round-trip and are opaque', () => {
    const key = { at: new Date('2026-11-28T10:00:00.123Z'), id: '3f0c6a4e-8a9b-4c1d-9e2f-1a2b3c4d5e6f' };
    const c = encodeCursor(key);
    expect(c).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeCursor(c)).toEqual(key);
  });

  it('refuse forged cursors with a validation error', () => {
    const forgeries = [
      'bm9wZQ',
      Buffer.from('["2026-01-01","1 or 1=1"]').toString('base64url'),
      Buffer.from(`["2026-01-01T00:00:00.000Z","${'-'.repeat(36)}"]`).toString('base64url'),
      Buffer.from('["-200000-01-01T00:00:00.000Z","3f0c6a4e-8a9b-4c1d-9e2f-1a2b3c4d5e6f"]').toString('base64url'),
      Buffer.from('["2026-02-31T00:00:00.000Z","3f0c6a4e-8a9b-4c1d-9e2f-1a2b3c4d5e6f"]').toString('base64url'),
    ];
    for (const forged of forgeries) {
      expect(() => decodeCursor(forged)).toThrow(ValidationError);
      try {
        decodeCursor(forged);
      } catch (err) {
        expect((err as ValidationError).errors).toEqual([
          { path: 'query.cursor', message: 'not a cursor returned by this API', code: 'invalid_cursor' },
        ]);
      }
    }
  });

  it('toPage returns the next cursor only when there is more', () => {
    const rows = [1, 2, 3].map((n) => ({ at: new Date(n * 1000), id: `00000000-0000-4000-8000-00000000000${n}` }));
    expect(toPage(rows, 2, (r) => r).nextCursor).toEqual(expect.any(String));
    expect(toPage(rows, 3, (r) => r).nextCursor).toBeNull();
  });
});
