import { createHash } from 'node:crypto';
import type pg from 'pg';

/**
 * Wraps a pg pool so every parameterised query runs as a named prepared statement: Postgres parses and plans each
 * distinct statement once per connection instead of on every call (Kysely sends unnamed statements). Statements
 * without parameters (migrations, BEGIN/COMMIT) go through unchanged. After a migration changes a table, restart
 * the processes so connections forget plans of the old shape.
 */
export function preparedStatementPool(pool: pg.Pool) {
  const names = new Map<string, string>();
  const nameOf = (text: string): string => {
    let name = names.get(text);
    if (!name) {
      name = `w_${createHash('sha1').update(text).digest('hex').slice(0, 32)}`;
      if (names.size < 10_000) names.set(text, name);
    }
    return name;
  };
  const wrapped = new WeakMap<pg.PoolClient, { query: pg.PoolClient['query']; release: (err?: Error | boolean) => void }>();
  return {
    async connect() {
      const client = await pool.connect();
      let w = wrapped.get(client);
      if (!w) {
        const query = ((text: unknown, values?: unknown[]) =>
          typeof text === 'string' && Array.isArray(values) && values.length > 0
            ? client.query({ name: nameOf(text), text, values })
            : client.query(text as string, values)) as pg.PoolClient['query'];
        w = { query, release: (err?: Error | boolean) => client.release(err) };
        wrapped.set(client, w);
      }
      return w;
    },
    end: () => pool.end(),
  };
}
