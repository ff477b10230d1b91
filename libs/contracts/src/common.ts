import { z } from 'zod';

// C0/C1 controls, line/paragraph separators, and the invisible bidirectional overrides that make `fdp.exe`
// display as `exe.pdf` (U+200D, the emoji joiner, stays allowed)
// biome-ignore lint/suspicious/noControlCharactersInRegex: the point is to refuse them
const CONTROL_CHARS = /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u2028-\u202e\u2066-\u2069\ufeff]/;

export const Uuid = z.uuid();
const UUID_SHAPE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Whether a path reference (`{tenant}`, `{app}`, a cluster) is an id rather than a name (slugs never look like one). */
export const isUuid = (ref: string): boolean => UUID_SHAPE.test(ref.toLowerCase());

/** URL-safe name of a tenant (and later apps, services…): DNS-label rules, so it can become a host name. */
export const Slug = z
  .string()
  .min(2)
  .max(40)
  .regex(
    /^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/,
    'lowercase letters, digits and single hyphens; must start and end with a letter or digit',
  )
  .refine((s) => !s.includes('--'), 'must not contain "--"')
  .refine((s) => !UUID_SHAPE.test(s), 'must not look like an id');

/** A human-readable name: trimmed, 1–100 characters, no control characters. */
export const DisplayName = z
  .string()
  .trim()
  .min(1)
  .max(100)
  .refine((s) => !CONTROL_CHARS.test(s), 'must not contain control characters');

export const Email = z
  .email()
  .max(254)
  .transform((s) => s.toLowerCase());

export const Password = z.string().min(10, 'at least 10 characters').max(256);

/** `{tenant}` in a path: the tenant's id or its slug. */
export const TenantRef = z.union([Uuid, Slug]);

export const Timestamp = z.iso.datetime({ offset: true });

export const Cursor = z
  .string()
  .max(200)
  .regex(/^[A-Za-z0-9_-]+$/, 'not a cursor returned by this API');

export const ListQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(100).default(20),
  cursor: Cursor.optional(),
});
export type ListQuery = z.infer<typeof ListQuery>;

export function page<T extends z.ZodType>(item: T) {
  return z.object({ items: z.array(item), nextCursor: z.string().nullable() });
}
export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export const Empty = z.strictObject({});
