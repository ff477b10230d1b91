import { type Kysely, sql } from 'kysely';

/**
 * Builds from source.
 *
 * - Apps of kind `source` run one image built from their git repository (or an uploaded archive).
 * - `git_connections`: a tenant's account on GitHub, GitLab or Gitee (its token sealed), to list repositories and
 *   branches and to clone private ones.
 * - `app_sources`: where an app's image comes from — a git repository (no credentials, a sealed token, a deploy key
 *   generated for the app, or a connection) — with its build settings, build region, secret build args (sealed)
 *   and its webhook (an unguessable path id and a sealed secret). Environments track a branch (`branch`): a push to
 *   it builds and deploys them.
 * - `builds`: one build of an app at one commit (or of an uploaded archive): status, plan (the Dockerfile built,
 *   generated or the repository's), the image pushed and its digest, the environments it deploys to, the seconds it
 *   ran (build minutes); a compose stack's build records each built service's image (`images`). `build_logs` keeps its log in chunks; `build_uploads` the archive of a CLI upload until the
 *   build ends.
 * - `webhook_deliveries`: the delivery ids an app's webhook has accepted (a replay is refused).
 * - A deployment records the build whose image it runs.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table apps drop constraint apps_kind_check;
    alter table apps add constraint apps_kind_check check (kind in ('image', 'compose', 'source'));
    alter table apps drop constraint apps_kind_source;
    alter table apps add constraint apps_kind_source check (
      (kind = 'image' and image is not null and replicas is not null and cpu_millis is not null and memory_mib is not null)
      or (kind = 'source' and image is null and replicas is not null and cpu_millis is not null and memory_mib is not null)
      or (kind = 'compose' and compose is not null and image is null));

    create table git_connections (
      tenant_id uuid not null references tenants(id) on delete cascade,
      id uuid not null default gen_random_uuid(),
      provider text not null check (provider in ('github', 'gitlab', 'gitee')),
      account text not null,
      token_sealed text not null,
      created_by uuid references users(id) on delete set null,
      created_at timestamptz not null default now(),
      primary key (tenant_id, id),
      unique (tenant_id, provider, account)
    );

    create table app_sources (
      tenant_id uuid not null,
      app_id uuid not null,
      repository text not null,
      auth text not null check (auth in ('none', 'token', 'ssh', 'connection')),
      connection_id uuid,
      token_sealed text,
      deploy_key_public text,
      deploy_key_sealed text,
      region text not null,
      settings jsonb not null,
      secret_args_sealed text,
      hook_id text not null unique,
      hook_secret_sealed text not null,
      updated_at timestamptz not null default now(),
      primary key (tenant_id, app_id),
      foreign key (tenant_id, app_id) references apps(tenant_id, id) on delete cascade,
      foreign key (tenant_id, connection_id) references git_connections(tenant_id, id) on delete restrict
    );

    alter table app_environments add column branch text;

    create table builds (
      tenant_id uuid not null,
      id uuid not null default gen_random_uuid(),
      app_id uuid not null,
      number integer not null,
      status text not null default 'queued'
        check (status in ('queued', 'running', 'succeeded', 'failed', 'cancelled')),
      kind text not null check (kind in ('git', 'upload')),
      trigger text not null check (trigger in ('manual', 'webhook', 'cli')),
      region text not null,
      repository text,
      branch text,
      commit text,
      commit_subject text,
      environments text[] not null default '{}',
      plan jsonb,
      image text,
      digest text,
      images jsonb,
      reason text,
      cancel_requested boolean not null default false,
      billed_seconds integer not null default 0,
      created_by uuid references users(id) on delete set null,
      created_at timestamptz not null default now(),
      started_at timestamptz,
      finished_at timestamptz,
      primary key (tenant_id, id),
      unique (tenant_id, app_id, number),
      foreign key (tenant_id, app_id) references apps(tenant_id, id) on delete cascade
    );
    create index builds_page on builds (tenant_id, app_id, created_at desc, id desc);
    create index builds_running on builds (tenant_id) where status = 'running';
    create index builds_month on builds (tenant_id, started_at) where started_at is not null;

    create table build_logs (
      tenant_id uuid not null,
      build_id uuid not null,
      seq integer not null,
      text text not null,
      primary key (tenant_id, build_id, seq),
      foreign key (tenant_id, build_id) references builds(tenant_id, id) on delete cascade
    );

    create table build_uploads (
      tenant_id uuid not null,
      build_id uuid not null,
      archive bytea not null,
      primary key (tenant_id, build_id),
      foreign key (tenant_id, build_id) references builds(tenant_id, id) on delete cascade
    );

    create table webhook_deliveries (
      tenant_id uuid not null,
      app_id uuid not null,
      delivery_id text not null,
      received_at timestamptz not null default now(),
      primary key (tenant_id, app_id, delivery_id),
      foreign key (tenant_id, app_id) references apps(tenant_id, id) on delete cascade
    );

    alter table deployments add column build_id uuid;
  `.execute(db);
  for (const table of ['git_connections', 'app_sources', 'builds', 'build_logs', 'build_uploads', 'webhook_deliveries']) {
    await sql`
      alter table ${sql.table(table)} enable row level security;
      create policy tenant_scope on ${sql.table(table)}
        using (tenant_id = app_tenant_id() or app_platform_scope())
        with check (tenant_id = app_tenant_id() or app_platform_scope());
    `.execute(db);
  }
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table deployments drop column build_id;
    drop table webhook_deliveries, build_uploads, build_logs, builds, app_sources, git_connections;
    alter table app_environments drop column branch;
    delete from apps where kind = 'source';
    alter table apps drop constraint apps_kind_source;
    alter table apps add constraint apps_kind_source check (
      (kind = 'image' and image is not null and replicas is not null and cpu_millis is not null and memory_mib is not null)
      or (kind = 'compose' and compose is not null and image is null));
    alter table apps drop constraint apps_kind_check;
    alter table apps add constraint apps_kind_check check (kind in ('image', 'compose'));
  `.execute(db);
}
