import { type Kysely, sql } from 'kysely';

/**
 * `wharf_enter_tenant(user, ref)`: the first statement of every tenant-scoped request. It resolves `ref` (a tenant
 * id or slug) among the user's memberships and, when found, sets `app.user_id` and `app.tenant_id` for the rest of
 * the transaction — one round trip instead of three. Security definer, so it reads memberships before any scope
 * is set; it returns nothing for a tenant the user is not a member of.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create function wharf_enter_tenant(p_user uuid, p_ref text)
      returns table (tenant_id uuid, tenant_slug text, tenant_name text, plan_id text, status text,
                     suspended_reason text, personal boolean, created_at timestamptz, role text)
      language plpgsql volatile security definer set search_path = public
    as $$
    declare
      r record;
    begin
      select t.id, t.slug, t.name, t.plan_id, t.status, t.suspended_reason, t.personal, t.created_at, m.role
        into r
        from tenants t
        join memberships m on m.tenant_id = t.id and m.user_id = p_user
       where case when p_ref ~ '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$'
                  then t.id = p_ref::uuid else t.slug = p_ref end;
      if not found then
        return;
      end if;
      perform set_config('app.user_id', p_user::text, true), set_config('app.tenant_id', r.id::text, true);
      return query select r.id, r.slug, r.name, r.plan_id, r.status, r.suspended_reason, r.personal, r.created_at, r.role;
    end
    $$;
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop function if exists wharf_enter_tenant(uuid, text)`.execute(db);
}
