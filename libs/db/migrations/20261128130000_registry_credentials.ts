import { type Kysely, sql } from 'kysely';

/** Logins of private registries a tenant pulls images from. The password is sealed (AES-256-GCM) by the app. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table registry_credentials (
      tenant_id uuid not null references tenants(id) on delete cascade,
      id uuid not null default gen_random_uuid(),
      server text not null,
      username text not null,
      password_sealed text not null,
      created_by uuid references users(id) on delete set null,
      created_at timestamptz not null default now(),
      primary key (tenant_id, id),
      unique (tenant_id, server)
    );
    create index registry_credentials_page on registry_credentials (tenant_id, created_at desc, id desc);
    alter table registry_credentials enable row level security;
    create policy tenant_scope on registry_credentials
      using (tenant_id = app_tenant_id() or app_platform_scope())
      with check (tenant_id = app_tenant_id() or app_platform_scope());
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table if exists registry_credentials`.execute(db);
}
