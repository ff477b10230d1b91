import { type Kysely, sql } from 'kysely';

/**
 * AWS and Aliyun accounts a tenant connected, to run hosts on. An account is reached by assuming a role the tenant
 * made for Wharf (`role`, with the tenant's ExternalId) or with an access key (`keys`: its secret envelope-sealed by
 * the app, @wharf/crypto Keyring). The tenant's ExternalId is the proof, in the role's trust policy, that Wharf acts
 * for this tenant and no other (the confused-deputy guard); it is readable under the tenant's own scope.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table tenants
      add column cloud_external_id text not null default ('wharf-' || replace(gen_random_uuid()::text, '-', ''));
    alter table tenants add constraint tenants_cloud_external_id_key unique (cloud_external_id);

    create table cloud_accounts (
      tenant_id uuid not null references tenants(id) on delete cascade,
      id uuid not null default gen_random_uuid(),
      provider text not null check (provider in ('aws', 'aliyun')),
      name text not null check (char_length(name) between 1 and 100),
      auth text not null check (auth in ('role', 'keys')),
      role_arn text,
      access_key_id text,
      secret_sealed text,
      identity_account text not null,
      identity_principal text,
      verified_at timestamptz not null,
      created_by uuid references users(id) on delete set null,
      created_at timestamptz not null default now(),
      primary key (tenant_id, id),
      unique (tenant_id, name),
      check (auth <> 'role' or (role_arn is not null and access_key_id is null and secret_sealed is null)),
      check (auth <> 'keys' or (role_arn is null and access_key_id is not null and secret_sealed is not null))
    );
    create index cloud_accounts_page on cloud_accounts (tenant_id, created_at desc, id desc);
    alter table cloud_accounts enable row level security;
    create policy tenant_scope on cloud_accounts
      using (tenant_id = app_tenant_id() or app_platform_scope())
      with check (tenant_id = app_tenant_id() or app_platform_scope());
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    drop table if exists cloud_accounts;
    alter table tenants drop column if exists cloud_external_id;
  `.execute(db);
}
