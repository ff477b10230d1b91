import { type Kysely, sql } from 'kysely';

/**
 * `service_stats`: CPU and memory of each service of an app environment, as the cluster's agents sample them (every
 * 15 s by default). One row per report of one engine (`node`, the Swarm node id of the reporting agent's engine):
 * a service whose tasks run on several hosts has a row per host, and readers sum the hosts' shares. Written by the
 * API from the agents' reports (platform scope), read by the tenant's members; rows older than a day are deleted
 * by the writer as it goes. Removing an app or an environment removes its samples.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table service_stats (
      tenant_id uuid not null,
      app_id uuid not null,
      environment text not null,
      service text not null check (char_length(service) between 1 and 63),
      node text not null check (char_length(node) between 1 and 64),
      at timestamptz not null default now(),
      cpu_percent real not null check (cpu_percent >= 0),
      memory_bytes bigint not null check (memory_bytes >= 0),
      memory_limit_bytes bigint not null check (memory_limit_bytes >= 0),
      tasks integer not null check (tasks >= 0),
      foreign key (tenant_id, app_id) references apps(tenant_id, id) on delete cascade,
      foreign key (tenant_id, app_id, environment) references app_environments(tenant_id, app_id, name) on delete cascade
    );
    create index service_stats_app_at on service_stats (tenant_id, app_id, at);
    alter table service_stats enable row level security;
    create policy tenant_scope on service_stats
      using (tenant_id = app_tenant_id() or app_platform_scope())
      with check (tenant_id = app_tenant_id() or app_platform_scope());
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table if exists service_stats`.execute(db);
}
