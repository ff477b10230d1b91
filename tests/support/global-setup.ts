import { dropTestDatabases, ensureTemplate } from './db.js';

/** vitest globalSetup for projects that need Postgres: a migrated template database for the run. */
export async function setup(): Promise<void> {
  process.env.WHARF_TEST_RUN ??= `p${process.pid}`;
  await ensureTemplate();
}

export async function teardown(): Promise<void> {
  await dropTestDatabases();
}
