import { randomBytes } from 'node:crypto';
import pg from 'pg';
// the built migrator: its migrations are loaded by Node itself, which runs JavaScript, not TypeScript
import { migrate } from '../../libs/db/dist/src/migrate.js';
/**
 * Test databases: one template per run, migrated once; every test file gets its own copy (CREATE DATABASE …
 * TEMPLATE is a file copy, ~100 ms), so files run in parallel without seeing each other's rows.
 */
const PREFIX = 'wharf_test_';
function env(name) {
    const v = process.env[name];
    if (!v)
        throw new Error(`${name} is not set: run the tests through \`npm test\` (scripts/test.sh), which sets it`);
    return v;
}
function withDatabase(url, database) {
    const u = new URL(url);
    u.pathname = `/${database}`;
    return u.toString();
}
async function asOwner(fn) {
    const client = new pg.Client({ connectionString: withDatabase(env('DATABASE_OWNER_URL'), 'postgres') });
    await client.connect();
    try {
        return await fn(client);
    }
    finally {
        await client.end();
    }
}
/** Names carry the run's id (scripts/test.sh sets WHARF_TEST_RUN), so concurrent runs never touch each other's. */
function runPrefix() {
    const run = (process.env.WHARF_TEST_RUN ?? 'local').replace(/[^a-z0-9]/gi, '').toLowerCase();
    return `${PREFIX}${run}_`;
}
export function templateName() {
    return `${runPrefix()}tpl`;
}
/** Creates and migrates the run's template database, once (safe to call from several global setups). */
export async function ensureTemplate() {
    const name = templateName();
    await asOwner(async (c) => {
        await c.query('select pg_advisory_lock(4242)');
        try {
            const { rowCount } = await c.query('select 1 from pg_database where datname = $1', [name]);
            if (rowCount)
                return;
            await c.query(`create database ${name}`);
            await migrate({ ownerUrl: withDatabase(env('DATABASE_OWNER_URL'), name), appRole: env('DATABASE_APP_ROLE') });
        }
        finally {
            await c.query('select pg_advisory_unlock(4242)');
        }
    });
}
export async function createTestDatabase() {
    const name = `${runPrefix()}${randomBytes(5).toString('hex')}`;
    await asOwner((c) => c.query(`create database ${name} template ${templateName()}`));
    return {
        name,
        appUrl: withDatabase(env('DATABASE_URL'), name),
        ownerUrl: withDatabase(env('DATABASE_OWNER_URL'), name),
        drop: () => asOwner((c) => c.query(`drop database if exists ${name} with (force)`)).then(() => undefined),
    };
}
/** Drops this run's test databases (its template and every copy). */
export async function dropTestDatabases() {
    await asOwner(async (c) => {
        const { rows } = await c.query('select datname from pg_database where starts_with(datname, $1) and pg_get_userbyid(datdba) = current_user', [runPrefix()]);
        for (const { datname } of rows)
            await c.query(`drop database if exists ${datname} with (force)`);
    });
}
//# sourceMappingURL=db.js.map