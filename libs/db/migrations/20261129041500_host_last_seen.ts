import { type Kysely, sql } from 'kysely';

/**
 * When a host's agent was last heard from, on the host itself: the API writes it with each heartbeat of an agent
 * bound to a host. Agents stay platform-only (their rows hold credential hashes): a tenant reads its hosts' heartbeat
 * here, never through the agents table.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table hosts add column last_seen_at timestamptz`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`alter table hosts drop column if exists last_seen_at`.execute(db);
}
