import { Slug } from '@wharf/contracts';
import { describe, expect, it } from 'vitest';
import { slugify } from './tenant-views.js';

describe('slugify', () => {
  it('derives DNS-label slugs from any name', () => {
    expect(slugify("Ada's Team!")).toBe('ada-s-team');
    expect(slugify('Crème Brûlée')).toBe('creme-brulee');
    expect(slugify('李雷')).toBe('t-team');
    expect(slugify('x')).toBe('t-x');
    for (const name of ['../../etc/passwd', '\u0000\u202e', 'a'.repeat(200), '--'])
      expect(Slug.safeParse(slugify(name)).success, name).toBe(true);
  });
});
