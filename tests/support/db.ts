import { randomBytes } from 'node:crypto';
import pg from 'pg';
// the built migrator: its migrations are loaded by Node itself, which runs JavaScript, not TypeScript
import { migrate } from '../../libs/db/dist/src/migrate.js';

/**
 * Test databases: one template per run, migrated once; every test file gets its own copy (CREATE DATABASE …
 * TEMPLATE is a file copy, ~100 ms), so files run in parallel without seeing each other's rows.
 */
const PREFIX = 'wharf_test_';

function env(name: string): string {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is not set: run the tests through \`npm test\` (scripts/test.sh), which sets it`);
  return v;
}

function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

async function asOwner<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: withDatabase(env('DATABASE_OWNER_URL'), 'postgres') });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** Names carry the run's id (scripts/test.sh sets WHARF_TEST_RUN), so concurrent runs never touch each other's. */
function runPrefix(): string {
  const run = (process.env.WHARF_TEST_RUN ?? 'local').replace(/[^a-z0-9]/gi, '').toLowerCase();
  return `${PREFIX}${run}_`;
}

export function templateName(): string {
  return `${runPrefix()}tpl`;
}

/** Creates and migrates the run's template database, once (safe to call from several global setups). */
export async function ensureTemplate(): Promise<void> {
  const name = templateName();
  await asOwner(async (c) => {
    await c.query('select pg_advisory_lock(4242)');
    try {
      const { rowCount } = await c.query('select 1 from pg_database where datname = $1', [name]);
      if (rowCount) return;
      await c.query(`create database ${name}`);
      await migrate({ ownerUrl: withDatabase(env('DATABASE_OWNER_URL'), name), appRole: env('DATABASE_APP_ROLE') });
    } finally {
      await c.query('select pg_advisory_unlock(4242)');
    }
  });
}

export interface TestDatabase {
  name: string;
  /** As the application role (row-level security applies). */
  appUrl: string;
  /** As the owner (bypasses row-level security: for checks only). */
  ownerUrl: string;
  drop(): Promise<void>;
}

export async function createTestDatabase(): Promise<TestDatabase> {
  const name = `${runPrefix()}${randomBytes(5).toString('hex')}`;
  await asOwner((c) => c.query(`create database ${name} template ${templateName()}`));
  return {
    name,
    appUrl: withDatabase(env('DATABASE_URL'), name),
    ownerUrl: withDatabase(env('DATABASE_OWNER_URL'), name),
    drop: () =>
      asOwner(async (c) => {
        // pg's Pool.end() resolves before its connections have closed: wait for them to go, so that `force` has none
        // to terminate (the owner may not terminate the app role's sessions, and a terminated client emits an error)
        for (let i = 0; i < 50; i++) {
          const open = await c.query<{ n: number }>('select count(*)::int as n from pg_stat_activity where datname = $1', [name]);
          if (!open.rows[0]?.n) break;
          await new Promise((r) => setTimeout(r, 100));
        }
        await c.query(`drop database if exists ${name} with (force)`);
      }),
  };
}

/** Drops this run's test databases (its template and every copy). */
export async function dropTestDatabases(): Promise<void> {
  await asOwner(async (c) => {
    const { rows } = await c.query<{ datname: string }>(
      'select datname from pg_database where starts_with(datname, $1) and pg_get_userbyid(datdba) = current_user',
      [runPrefix()],
    );
    for (const { datname } of rows) await c.query(`drop database if exists ${datname} with (force)`);
  });
}
