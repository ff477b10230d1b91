import { type Kysely, sql } from 'kysely';

/**
 * Workloads: clusters and their agents (join tokens, hashed credentials), the durable agent command queue, apps
 * (desired state of a one-service stack from an image), their variables and secrets, deployments (immutable
 * revisions) and deployment events.
 *
 * Clusters with no tenant are the platform's shared clusters: every tenant sees them, none can change them.
 * Agent commands and cluster rows are written by the platform (worker, agent endpoints) only.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table clusters (
      id uuid primary key default gen_random_uuid(),
      tenant_id uuid references tenants(id) on delete cascade,
      name text not null,
      kind text not null check (kind in ('shared', 'dedicated')),
      domain text not null,
      proxy_port integer not null check (proxy_port between 1 and 65535),
      status text not null default 'pending' check (status in ('pending', 'ready', 'unreachable')),
      last_heartbeat_at timestamptz,
      engine jsonb,
      nodes jsonb not null default '[]',
      created_at timestamptz not null default now(),
      check ((kind = 'shared') = (tenant_id is null))
    );
    create unique index clusters_name on clusters (coalesce(tenant_id, '00000000-0000-0000-0000-000000000000'), name);
    create index clusters_tenant on clusters (tenant_id);
    alter table clusters enable row level security;
    create policy tenant_scope on clusters
      using (tenant_id is null or tenant_id = app_tenant_id() or app_platform_scope())
      with check (tenant_id = app_tenant_id() or app_platform_scope());

    create table cluster_join_tokens (
      id uuid primary key default gen_random_uuid(),
      cluster_id uuid not null references clusters(id) on delete cascade,
      token_hash text not null unique,
      expires_at timestamptz not null,
      used_at timestamptz,
      created_at timestamptz not null default now()
    );

    create table agents (
      id uuid primary key default gen_random_uuid(),
      cluster_id uuid not null references clusters(id) on delete cascade,
      name text not null,
      credential_hash text not null unique,
      version text,
      created_at timestamptz not null default now(),
      rotated_at timestamptz,
      revoked_at timestamptz,
      last_seen_at timestamptz
    );
    create index agents_cluster on agents (cluster_id);

    create table agent_commands (
      id uuid primary key default gen_random_uuid(),
      seq bigserial not null,
      cluster_id uuid not null references clusters(id) on delete cascade,
      tenant_id uuid references tenants(id) on delete cascade,
      idempotency_key text not null,
      kind text not null,
      payload jsonb not null,
      state text not null default 'pending' check (state in ('pending', 'delivered', 'succeeded', 'failed', 'cancelled')),
      deliveries integer not null default 0,
      lease_until timestamptz,
      delivered_to uuid references agents(id) on delete set null,
      result jsonb,
      error text,
      created_at timestamptz not null default now(),
      completed_at timestamptz,
      unique (cluster_id, idempotency_key)
    );
    create index agent_commands_open on agent_commands (cluster_id, seq) where state in ('pending', 'delivered');

    create table apps (
      tenant_id uuid not null references tenants(id) on delete cascade,
      id uuid not null default gen_random_uuid(),
      slug text not null,
      name text not null,
      cluster_id uuid not null references clusters(id),
      environment text not null default 'production',
      service text not null default 'web',
      image text not null,
      http_port integer,
      command jsonb,
      healthcheck jsonb,
      replicas integer not null check (replicas between 0 and 100),
      cpu_millis integer not null check (cpu_millis > 0),
      memory_mib integer not null check (memory_mib > 0),
      stopped boolean not null default false,
      status text not null default 'created'
        check (status in ('created', 'deploying', 'running', 'stopped', 'failed', 'deleting')),
      current_deployment_id uuid,
      actual jsonb,
      actual_at timestamptz,
      deleted_at timestamptz,
      created_by uuid references users(id) on delete set null,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      primary key (tenant_id, id)
    );
    create unique index apps_slug on apps (tenant_id, slug) where deleted_at is null;
    create index apps_page on apps (tenant_id, created_at desc, id desc);
    create index apps_cluster on apps (cluster_id) where deleted_at is null;

    create table app_variables (
      tenant_id uuid not null,
      app_id uuid not null,
      key text not null,
      secret boolean not null,
      value text,
      value_sealed text,
      updated_at timestamptz not null default now(),
      primary key (tenant_id, app_id, key),
      foreign key (tenant_id, app_id) references apps(tenant_id, id) on delete cascade,
      check ((secret and value is null and value_sealed is not null) or (not secret and value is not null and value_sealed is null))
    );

    create table deployments (
      tenant_id uuid not null,
      id uuid not null default gen_random_uuid(),
      app_id uuid not null,
      revision integer not null,
      status text not null default 'queued'
        check (status in ('queued', 'preparing', 'rolling_out', 'live', 'failed', 'rolled_back', 'cancelled')),
      reason text,
      spec jsonb not null,
      secrets_sealed text,
      rollback_of uuid,
      cancel_requested boolean not null default false,
      created_by uuid references users(id) on delete set null,
      created_at timestamptz not null default now(),
      started_at timestamptz,
      finished_at timestamptz,
      primary key (tenant_id, id),
      unique (tenant_id, app_id, revision),
      foreign key (tenant_id, app_id) references apps(tenant_id, id) on delete cascade
    );
    create index deployments_page on deployments (tenant_id, app_id, created_at desc, id desc);
    create index deployments_active on deployments (tenant_id) where status in ('preparing', 'rolling_out');

    create table deployment_events (
      tenant_id uuid not null,
      deployment_id uuid not null,
      seq bigserial not null,
      at timestamptz not null default now(),
      kind text not null check (kind in ('status', 'log')),
      message text not null,
      primary key (tenant_id, deployment_id, seq),
      foreign key (tenant_id, deployment_id) references deployments(tenant_id, id) on delete cascade
    );
  `.execute(db);
  for (const table of ['apps', 'app_variables', 'deployments', 'deployment_events']) {
    await sql`
      alter table ${sql.table(table)} enable row level security;
      create policy tenant_scope on ${sql.table(table)}
        using (tenant_id = app_tenant_id() or app_platform_scope())
        with check (tenant_id = app_tenant_id() or app_platform_scope());
    `.execute(db);
  }
  // Platform-only tables: no tenant ever reads them through the app role.
  for (const table of ['cluster_join_tokens', 'agents', 'agent_commands']) {
    await sql`
      alter table ${sql.table(table)} enable row level security;
      create policy platform_only on ${sql.table(table)} using (app_platform_scope()) with check (app_platform_scope());
    `.execute(db);
  }
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    drop table if exists deployment_events, deployments, app_variables, apps, agent_commands, agents,
      cluster_join_tokens, clusters cascade;
  `.execute(db);
}
