import type { Role } from '@wharf/contracts';
import { CamelCasePlugin, Kysely, PostgresDialect, sql, type Transaction } from 'kysely';
import pg from 'pg';
import { preparedStatementPool } from './prepared-pool.js';
import type { DB, TenantId, TenantRow, UserId } from './schema.js';

// bigint (count(*), sums) as numbers: every quantity Wharf counts fits in 2^53.
pg.types.setTypeParser(20, (v) => Number.parseInt(v, 10));

export type Tx = Transaction<DB>;

/** A transaction in which Postgres row-level security admits one tenant's rows (and the user's own memberships). */
export interface TenantScope {
  readonly kind: 'tenant';
  readonly tenantId: TenantId;
  readonly userId: UserId | null;
  readonly trx: Tx;
}
/** A transaction that sees only what a signed-in user may see outside any one tenant. */
export interface UserScope {
  readonly kind: 'user';
  readonly userId: UserId;
  readonly trx: Tx;
}
/** A transaction for platform-admin work across tenants. Only the admin repositories open one. */
export interface PlatformScope {
  readonly kind: 'platform';
  readonly trx: Tx;
}

export interface DatabaseOptions {
  connectionString: string;
  maxConnections?: number;
}

/**
 * The application's handle on Postgres. It connects as the app role (neither superuser nor table owner), so
 * every tenant-owned table is filtered by row-level security according to the scope opened here.
 */
export class Database {
  readonly db: Kysely<DB>;
  readonly pool: pg.Pool;

  constructor(options: DatabaseOptions) {
    this.pool = new pg.Pool({ connectionString: options.connectionString, max: options.maxConnections ?? 10 });
    this.db = new Kysely<DB>({
      dialect: new PostgresDialect({ pool: preparedStatementPool(this.pool) }),
      // Column names only: the keys inside jsonb values (a stack's `env: { API_TOKEN: … }`) are data, and the
      // plugin's default would rename them on the way out (`API_TOKEN` → `APITOKEN`).
      plugins: [new CamelCasePlugin({ maintainNestedObjectKeys: true })],
    });
  }

  withTenant<T>(tenantId: TenantId, userId: UserId | null, fn: (scope: TenantScope) => Promise<T>): Promise<T> {
    return this.db.transaction().execute(async (trx) => {
      await sql`select set_config('app.tenant_id', ${tenantId}, true), set_config('app.user_id', ${userId ?? ''}, true)`.execute(
        trx,
      );
      return fn({ kind: 'tenant', tenantId, userId, trx });
    });
  }

  /**
   * Opens the transaction of a `/tenants/{tenant}` request in one step: `wharf_enter_tenant` finds the tenant (by
   * id or slug) among the user's memberships and sets both scope settings. `fn` gets undefined when the tenant does
   * not exist or the user is not a member of it.
   */
  enterTenant<T>(
    userId: UserId,
    ref: string,
    fn: (entered: { scope: TenantScope; tenant: TenantRow; role: Role } | undefined) => Promise<T>,
  ): Promise<T> {
    return this.db.transaction().execute(async (trx) => {
      const { rows } = await sql<TenantRow & { role: Role }>`
        select tenant_id as id, tenant_slug as slug, tenant_name as name, plan_id, status, suspended_reason, personal,
          created_at, role
        from wharf_enter_tenant(${userId}, ${ref.toLowerCase()})`.execute(trx);
      const row = rows[0];
      if (!row) return fn(undefined);
      const { role, ...tenant } = row;
      return fn({ scope: { kind: 'tenant', tenantId: tenant.id, userId, trx }, tenant, role });
    });
  }

  withUser<T>(userId: UserId, fn: (scope: UserScope) => Promise<T>): Promise<T> {
    return this.db.transaction().execute(async (trx) => {
      await sql`select set_config('app.user_id', ${userId}, true)`.execute(trx);
      return fn({ kind: 'user', userId, trx });
    });
  }

  withPlatform<T>(fn: (scope: PlatformScope) => Promise<T>): Promise<T> {
    return this.db.transaction().execute(async (trx) => {
      await sql`select set_config('app.platform', 'on', true)`.execute(trx);
      return fn({ kind: 'platform', trx });
    });
  }

  /** For tables that are not tenant-owned (users, refresh tokens, plans). */
  unscoped<T>(fn: (trx: Tx) => Promise<T>): Promise<T> {
    return this.db.transaction().execute(fn);
  }

  /** Narrow a tenant transaction to another tenant inside the same transaction (e.g. after creating it). */
  static async rescope(scope: TenantScope | UserScope, tenantId: TenantId): Promise<TenantScope> {
    await sql`select set_config('app.tenant_id', ${tenantId}, true)`.execute(scope.trx);
    return { kind: 'tenant', tenantId, userId: scope.userId, trx: scope.trx };
  }

  async ping(): Promise<void> {
    await sql`select 1`.execute(this.db);
  }

  async close(): Promise<void> {
    await this.db.destroy();
  }
}

export function isUniqueViolation(err: unknown, constraint?: string): boolean {
  const e = err as { code?: string; constraint?: string };
  return e?.code === '23505' && (constraint === undefined || e.constraint === constraint);
}
