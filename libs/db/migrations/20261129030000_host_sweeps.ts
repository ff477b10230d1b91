import { type Kysely, sql } from 'kysely';

/**
 * The leak sweep's reports, and cloud accounts that can be removed once their hosts are gone.
 *
 * `host_sweeps`: one row per sweep of every connected account and region (and the worker's local provider): when it
 * ran, and per account and region the machines it saw, those it deleted (with why) and what failed. Platform data,
 * read by platform admins only (the policy admits the platform scope alone).
 *
 * Hosts keep their history when their cloud account is removed: the account's id is set to null on the hosts
 * (only that column: the tenant stays), which only ended hosts (terminated, failed) may have; the API refuses to
 * remove an account that live hosts still use.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table host_sweeps (
      id uuid primary key default gen_random_uuid(),
      started_at timestamptz not null,
      finished_at timestamptz not null,
      regions_swept integer not null check (regions_swept >= 0),
      machines_seen integer not null check (machines_seen >= 0),
      machines_deleted integer not null check (machines_deleted >= 0),
      errors integer not null check (errors >= 0),
      regions jsonb not null
    );
    create index host_sweeps_page on host_sweeps (started_at desc, id desc);
    alter table host_sweeps enable row level security;
    create policy platform_only on host_sweeps using (app_platform_scope()) with check (app_platform_scope());

    alter table hosts drop constraint hosts_tenant_id_cloud_account_id_fkey;
    alter table hosts add constraint hosts_tenant_id_cloud_account_id_fkey foreign key (tenant_id, cloud_account_id)
      references cloud_accounts (tenant_id, id) on delete set null (cloud_account_id);
    -- was: a cloud host always has an account; now an ended one may have outlived it
    alter table hosts drop constraint hosts_check;
    alter table hosts add constraint hosts_cloud_account_check check (
      case when provider in ('aws', 'aliyun') then cloud_account_id is not null or state in ('terminated', 'failed')
           else cloud_account_id is null end);
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    drop table if exists host_sweeps;
    alter table hosts drop constraint if exists hosts_cloud_account_check;
    -- ended hosts whose account is gone cannot satisfy the old rule: it holds for new writes only, they are kept
    alter table hosts add constraint hosts_check check ((provider in ('aws', 'aliyun')) = (cloud_account_id is not null))
      not valid;
    alter table hosts drop constraint hosts_tenant_id_cloud_account_id_fkey;
    alter table hosts add constraint hosts_tenant_id_cloud_account_id_fkey foreign key (tenant_id, cloud_account_id)
      references cloud_accounts (tenant_id, id);
  `.execute(db);
}
