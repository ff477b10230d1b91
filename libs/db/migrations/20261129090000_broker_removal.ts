import { type Kysely, sql } from 'kysely';

/**
 * Removing a broker: its row stays (the `ssh` hosts it drove, terminated by then, still name it), marked
 * `deleted_at`; reads and registration skip it, and the API revokes the agent it registered as.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table brokers add column deleted_at timestamptz`.execute(db);
}

/** Removed brokers show again after this (their agents stay revoked). */
export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`alter table brokers drop column if exists deleted_at`.execute(db);
}
