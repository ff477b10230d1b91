import { type Kysely, sql } from 'kysely';

/**
 * Stacks and environments.
 *
 * - Apps are either one image (`kind = 'image'`, the form's columns) or a compose stack (`kind = 'compose'`, its
 *   YAML source in `compose`). One source serves every environment of the app.
 * - An app has environments (production, staging, …). Each has its own variables and secrets, bindings of the
 *   external resources the stack needs, its current deployment, status and observed state, and the quota it holds
 *   (services, CPU and memory of the stack it runs). The app's former single-environment columns move here.
 * - Deployments and variables belong to one environment.
 * - A deployment may run the stack's integration test first (`test_spec`, status `testing`, `test_result`).
 * - A dedicated cluster's owner may relax named policy rules on it (`policy_relaxed`).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table clusters add column policy_relaxed text[] not null default '{}';

    alter table apps add column kind text not null default 'image' check (kind in ('image', 'compose'));
    alter table apps add column compose text;
    alter table apps alter column image drop not null, alter column replicas drop not null,
      alter column cpu_millis drop not null, alter column memory_mib drop not null;
    alter table apps add constraint apps_kind_source check (
      (kind = 'image' and image is not null and replicas is not null and cpu_millis is not null and memory_mib is not null)
      or (kind = 'compose' and compose is not null and image is null));

    create table app_environments (
      tenant_id uuid not null,
      app_id uuid not null,
      name text not null check (name ~ '^[a-z](?:[a-z0-9-]{0,30}[a-z0-9])?$' and name not like '%--%'),
      bindings jsonb not null default '{}',
      status text not null default 'created' check (status in ('created', 'deploying', 'running', 'failed')),
      current_deployment_id uuid,
      actual jsonb,
      actual_at timestamptz,
      services integer not null default 0 check (services >= 0),
      cpu_millis integer not null default 0 check (cpu_millis >= 0),
      memory_mib integer not null default 0 check (memory_mib >= 0),
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      primary key (tenant_id, app_id, name),
      foreign key (tenant_id, app_id) references apps(tenant_id, id) on delete cascade
    );
    insert into app_environments
      (tenant_id, app_id, name, status, current_deployment_id, actual, actual_at, services, cpu_millis, memory_mib)
      select tenant_id, id, environment,
        case when status in ('stopped', 'deleting') then (case when current_deployment_id is null then 'created' else 'running' end)
             else status end,
        current_deployment_id, actual, actual_at, 1, cpu_millis * replicas, memory_mib * replicas
      from apps;
    alter table apps drop column environment, drop column status, drop column current_deployment_id,
      drop column actual, drop column actual_at;

    alter table app_variables add column environment text not null default 'production';
    alter table app_variables alter column environment drop default;
    alter table app_variables drop constraint app_variables_pkey;
    alter table app_variables add primary key (tenant_id, app_id, environment, key);
    alter table app_variables add foreign key (tenant_id, app_id, environment)
      references app_environments(tenant_id, app_id, name) on delete cascade;

    alter table deployments add column environment text not null default 'production';
    alter table deployments alter column environment drop default;
    alter table deployments add column configs jsonb not null default '{}';
    -- the integration stage: the stack with its test service, run in a temporary environment before the rollout
    alter table deployments add column test_spec jsonb;
    alter table deployments add column test_result jsonb;
    alter table deployments drop constraint deployments_status_check;
    alter table deployments add constraint deployments_status_check
      check (status in ('queued', 'preparing', 'testing', 'rolling_out', 'live', 'failed', 'rolled_back', 'cancelled'));
    drop index deployments_active;
    create index deployments_active on deployments (tenant_id) where status in ('preparing', 'testing', 'rolling_out');
    alter table deployments add foreign key (tenant_id, app_id, environment)
      references app_environments(tenant_id, app_id, name) on delete cascade;
    create index deployments_environment on deployments (tenant_id, app_id, environment, created_at desc);

    alter table app_environments enable row level security;
    create policy tenant_scope on app_environments
      using (tenant_id = app_tenant_id() or app_platform_scope())
      with check (tenant_id = app_tenant_id() or app_platform_scope());
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table apps add column environment text not null default 'production';
    alter table apps add column status text not null default 'created';
    alter table apps add column current_deployment_id uuid;
    alter table apps add column actual jsonb;
    alter table apps add column actual_at timestamptz;
    update apps a set status = e.status, current_deployment_id = e.current_deployment_id, actual = e.actual,
      actual_at = e.actual_at
      from app_environments e where e.tenant_id = a.tenant_id and e.app_id = a.id and e.name = 'production';
    delete from deployments where environment <> 'production';
    delete from app_variables where environment <> 'production';
    update deployments set status = 'failed' where status = 'testing';
    alter table deployments drop constraint deployments_status_check;
    alter table deployments add constraint deployments_status_check
      check (status in ('queued', 'preparing', 'rolling_out', 'live', 'failed', 'rolled_back', 'cancelled'));
    alter table deployments drop column environment, drop column configs, drop column test_spec, drop column test_result;
    alter table app_variables drop constraint app_variables_pkey;
    alter table app_variables drop column environment;
    alter table app_variables add primary key (tenant_id, app_id, key);
    drop table app_environments;
    delete from apps where kind = 'compose';
    alter table apps drop constraint apps_kind_source;
    alter table apps drop column kind, drop column compose;
    alter table apps alter column image set not null, alter column replicas set not null,
      alter column cpu_millis set not null, alter column memory_mib set not null;
    alter table clusters drop column policy_relaxed;
  `.execute(db);
}
