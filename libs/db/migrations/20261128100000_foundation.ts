import { SEEDED_PLANS } from '@wharf/contracts';
import { type Kysely, sql } from 'kysely';

/**
 * Accounts, tenants, roles, plans, quota overrides, tokens and the audit log, with row-level security on every
 * tenant-owned table. Policies read the scope that `Database.withTenant()` sets per transaction (`SET LOCAL`
 * semantics through `set_config(..., true)`).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create function app_tenant_id() returns uuid language sql stable
      as $$ select nullif(current_setting('app.tenant_id', true), '')::uuid $$;
    create function app_user_id() returns uuid language sql stable
      as $$ select nullif(current_setting('app.user_id', true), '')::uuid $$;
    create function app_platform_scope() returns boolean language sql stable
      as $$ select coalesce(current_setting('app.platform', true), '') = 'on' $$;

    create table plans (
      id text primary key,
      name text not null,
      limits jsonb not null,
      created_at timestamptz not null default now()
    );

    create table users (
      id uuid primary key default gen_random_uuid(),
      email text not null unique check (email = lower(email)),
      name text not null,
      password_hash text not null,
      is_platform_admin boolean not null default false,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    );

    create table tenants (
      id uuid primary key default gen_random_uuid(),
      slug text not null unique,
      name text not null,
      plan_id text not null references plans(id),
      status text not null default 'active' check (status in ('active', 'suspended')),
      suspended_reason text,
      personal boolean not null default false,
      created_at timestamptz not null default now()
    );
    create index tenants_created on tenants (created_at desc, id desc);

    create table memberships (
      tenant_id uuid not null references tenants(id) on delete cascade,
      user_id uuid not null references users(id) on delete cascade,
      role text not null check (role in ('owner', 'admin', 'developer', 'viewer')),
      created_at timestamptz not null default now(),
      primary key (tenant_id, user_id)
    );
    create index memberships_user on memberships (user_id);
    create index memberships_page on memberships (tenant_id, created_at, user_id);

    create table invitations (
      tenant_id uuid not null references tenants(id) on delete cascade,
      id uuid not null default gen_random_uuid(),
      email text not null,
      role text not null check (role in ('owner', 'admin', 'developer', 'viewer')),
      token_hash text not null unique,
      invited_by uuid references users(id) on delete set null,
      expires_at timestamptz not null,
      accepted_at timestamptz,
      accepted_by uuid references users(id) on delete set null,
      revoked_at timestamptz,
      created_at timestamptz not null default now(),
      primary key (tenant_id, id)
    );
    create index invitations_page on invitations (tenant_id, created_at desc, id desc);

    create table api_tokens (
      tenant_id uuid not null references tenants(id) on delete cascade,
      id uuid not null default gen_random_uuid(),
      user_id uuid not null references users(id) on delete cascade,
      name text not null,
      prefix text not null,
      token_hash text not null unique,
      expires_at timestamptz,
      last_used_at timestamptz,
      revoked_at timestamptz,
      created_at timestamptz not null default now(),
      primary key (tenant_id, id)
    );
    create index api_tokens_page on api_tokens (tenant_id, created_at desc, id desc);

    create table refresh_tokens (
      id uuid primary key default gen_random_uuid(),
      family_id uuid not null,
      user_id uuid not null references users(id) on delete cascade,
      token_hash text not null unique,
      expires_at timestamptz not null,
      rotated_at timestamptz,
      revoked_at timestamptz,
      ip text,
      user_agent text,
      created_at timestamptz not null default now()
    );
    create index refresh_tokens_family on refresh_tokens (family_id);

    create table tenant_quota_overrides (
      tenant_id uuid not null references tenants(id) on delete cascade,
      quota_key text not null,
      limit_value bigint not null check (limit_value >= 0),
      updated_by uuid references users(id) on delete set null,
      updated_at timestamptz not null default now(),
      primary key (tenant_id, quota_key)
    );

    create table audit_events (
      tenant_id uuid references tenants(id) on delete cascade,
      id uuid not null default gen_random_uuid(),
      at timestamptz not null default now(),
      actor_id uuid references users(id) on delete set null,
      actor_email text,
      action text not null,
      target text,
      outcome text not null check (outcome in ('success', 'denied', 'failure')),
      status integer not null,
      ip text,
      request_id text,
      primary key (id)
    );
    create index audit_events_page on audit_events (tenant_id, at desc, id desc);
  `.execute(db);

  // Row-level security: the second wall behind tenant-scoped repositories. The app role is not the owner,
  // so these apply to it; the owner (migrations) is exempt.
  for (const table of ['memberships', 'invitations', 'api_tokens', 'tenant_quota_overrides']) {
    await sql`
      alter table ${sql.table(table)} enable row level security;
      create policy tenant_scope on ${sql.table(table)}
        using (tenant_id = app_tenant_id() or app_platform_scope())
        with check (tenant_id = app_tenant_id() or app_platform_scope());
    `.execute(db);
  }
  await sql`
    -- a user sees their own memberships in every tenant (to list their tenants), and changes none outside the scope
    create policy own_memberships on memberships for select using (user_id = app_user_id());

    alter table tenants enable row level security;
    create policy tenant_scope on tenants
      using (id = app_tenant_id() or app_platform_scope())
      with check (id = app_tenant_id() or app_platform_scope());
    create policy member_reads on tenants for select using (
      exists (select 1 from memberships m where m.tenant_id = tenants.id and m.user_id = app_user_id()));

    alter table audit_events enable row level security;
    create policy tenant_scope on audit_events
      using (tenant_id = app_tenant_id() or app_platform_scope())
      with check (tenant_id = app_tenant_id() or app_platform_scope());
    -- events outside any tenant (sign-up, login) are written by anyone and read by platform admins only
    create policy platform_events on audit_events for insert with check (tenant_id is null);

    -- Lookups by secret token hash, before the tenant is known. They return the owning tenant and nothing else.
    create function wharf_invitation_tenant(p_token_hash text) returns uuid
      language sql stable security definer set search_path = public
      as $$ select tenant_id from invitations where token_hash = p_token_hash $$;
    create function wharf_api_token_tenant(p_token_hash text) returns uuid
      language sql stable security definer set search_path = public
      as $$ select tenant_id from api_tokens where token_hash = p_token_hash $$;
  `.execute(db);

  for (const [id, plan] of Object.entries(SEEDED_PLANS)) {
    await sql`insert into plans (id, name, limits) values (${id}, ${plan.name}, ${JSON.stringify(plan.limits)}::jsonb)
      on conflict (id) do nothing`.execute(db);
  }
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    drop function if exists wharf_api_token_tenant(text);
    drop function if exists wharf_invitation_tenant(text);
    drop table if exists audit_events, tenant_quota_overrides, refresh_tokens, api_tokens, invitations, memberships,
      tenants, users, plans;
    drop function if exists app_platform_scope();
    drop function if exists app_user_id();
    drop function if exists app_tenant_id();
  `.execute(db);
}
