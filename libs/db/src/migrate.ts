import { promises as fs } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { FileMigrationProvider, Kysely, type MigrationResultSet, Migrator, PostgresDialect, sql } from 'kysely';
import pg from 'pg';

const MIGRATIONS_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../migrations');
const ROLE_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

export interface MigrateOptions {
  /** Connection as the role that owns the schema. */
  ownerUrl: string;
  /** The login role the application connects as; granted DML only. */
  appRole: string;
  direction?: 'latest' | 'down';
}

/** Applies the timestamped migrations in libs/db/migrations, then grants the app role what it may do. */
export async function migrate(options: MigrateOptions): Promise<MigrationResultSet> {
  if (!ROLE_NAME.test(options.appRole)) throw new Error(`DATABASE_APP_ROLE "${options.appRole}" is not a plain role name`);
  const db = new Kysely<unknown>({
    dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: options.ownerUrl, max: 1 }) }),
  });
  try {
    const migrator = new Migrator({
      db,
      provider: new FileMigrationProvider({ fs, path, migrationFolder: MIGRATIONS_DIR }),
    });
    const result = options.direction === 'down' ? await migrator.migrateDown() : await migrator.migrateToLatest();
    if (result.error) throw result.error;
    const role = sql.id(options.appRole);
    await sql`
      grant usage on schema public to ${role};
      grant select, insert, update, delete on all tables in schema public to ${role};
      grant usage, select on all sequences in schema public to ${role};
      grant execute on all functions in schema public to ${role};
      revoke all on kysely_migration, kysely_migration_lock from ${role};
    `.execute(db);
    return result;
  } finally {
    await db.destroy();
  }
}
