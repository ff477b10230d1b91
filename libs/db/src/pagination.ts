import { Uuid, ValidationError } from '@wharf/contracts';
import { type Expression, type SqlBool, sql } from 'kysely';

/** Keyset cursor: the sort key and id of the last row of a page, opaque to clients. */
export interface CursorKey {
  at: Date;
  id: string;
}

export function encodeCursor(key: CursorKey): string {
  return Buffer.from(JSON.stringify([key.at.toISOString(), key.id])).toString('base64url');
}

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

export function decodeCursor(cursor: string | undefined): CursorKey | undefined {
  if (!cursor) return undefined;
  try {
    const [at, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as [unknown, unknown];
    // exactly what encodeCursor writes, so nothing a client forges reaches Postgres as an out-of-range value
    if (typeof at !== 'string' || !ISO.test(at) || typeof id !== 'string' || !Uuid.safeParse(id).success)
      throw new Error('forged');
    const date = new Date(at);
    if (Number.isNaN(date.getTime()) || date.toISOString() !== at) throw new Error('forged');
    return { at: date, id };
  } catch {
    throw new ValidationError([{ path: 'query.cursor', message: 'not a cursor returned by this API', code: 'invalid_cursor' }]);
  }
}

/** Given `limit + 1` rows, returns the page and the cursor of the next one. */
export function toPage<T>(rows: T[], limit: number, key: (row: T) => CursorKey): { items: T[]; nextCursor: string | null } {
  const items = rows.slice(0, limit);
  const last = items.at(-1);
  return { items, nextCursor: rows.length > limit && last ? encodeCursor(key(last)) : null };
}

/**
 * The keyset condition "rows after the cursor" for a list ordered by (`at`, `id`), ascending or descending:
 * a row-value comparison, which the (tenant_id, at, id) indexes serve directly.
 */
export function afterCursor(at: string, id: string, after: CursorKey, order: 'asc' | 'desc'): Expression<SqlBool> {
  const op = sql.raw(order === 'asc' ? '>' : '<');
  return sql<SqlBool>`(${sql.ref(at)}, ${sql.ref(id)}) ${op} (${after.at}, ${after.id})`;
}
