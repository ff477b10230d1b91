#!/usr/bin/env node
import { migrate } from './migrate.js';

function required(name: string): string {
  const value = process.env[name];
  if (!value) {
    console.error(`wharf-db: environment variable ${name} is required`);
    process.exit(2);
  }
  return value;
}

const [command = 'migrate', direction = 'latest'] = process.argv.slice(2);
if (command !== 'migrate' || (direction !== 'latest' && direction !== 'down')) {
  console.error('usage: wharf-db migrate [latest|down]');
  process.exit(2);
}
const result = await migrate({
  ownerUrl: required('DATABASE_OWNER_URL'),
  appRole: process.env.DATABASE_APP_ROLE ?? 'wharf_app',
  direction,
});
for (const r of result.results ?? []) console.log(`${r.direction} ${r.migrationName}: ${r.status}`);
if (!result.results?.length) console.log('database is up to date');
