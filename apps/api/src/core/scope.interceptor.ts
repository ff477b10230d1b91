import { type CallHandler, type ExecutionContext, Inject, Injectable, type NestInterceptor } from '@nestjs/common';
import {
  can,
  DomainError,
  ForbiddenError,
  NotFoundError,
  type RouteContract,
  TenantSuspendedError,
  ValidationError,
} from '@wharf/contracts';
import { Database, type TenantId } from '@wharf/db';
import { from, lastValueFrom, type Observable } from 'rxjs';
import { type AuditEntry, AuditService } from './audit.service.js';
import { stateOf, type WharfRequest } from './request-state.js';
import { DATABASE } from './tokens.js';

function statusOf(err: unknown): number {
  if (err instanceof DomainError) return err.status;
  const s = (err as { status?: unknown; statusCode?: unknown })?.status ?? (err as { statusCode?: unknown })?.statusCode;
  return typeof s === 'number' ? s : 500;
}

function targetOf(params: Record<string, unknown>): string | null {
  const entries = Object.entries(params).filter(([k]) => k !== 'tenant');
  return entries.length ? entries.map(([k, v]) => `${k}=${String(v)}`).join(',') : null;
}

/**
 * Runs each `/tenants/{tenant}` request in one transaction scoped to that tenant: resolves the tenant (404 when the
 * caller is no member, or an API token belongs to another tenant), checks the route's permission (403), refuses
 * changes to a suspended tenant, then runs the handler and records the audit event in the same transaction.
 * Other mutating routes are audited after they run. Failed changes are audited in a transaction of their own.
 */
@Injectable()
export class TenantScopeInterceptor implements NestInterceptor {
  constructor(
    @Inject(DATABASE) private readonly db: Database,
    private readonly audit: AuditService,
  ) {}

  intercept(ctx: ExecutionContext, next: CallHandler): Observable<unknown> {
    const req = ctx.switchToHttp().getRequest<WharfRequest>();
    const route = stateOf(req).route;
    // agents' calls are recorded where they matter (command results, deployment events), not one audit row per poll
    if (!route || route.auth === 'agent') return next.handle();
    return from(route.auth === 'tenant' ? this.inTenant(req, route, next) : this.audited(req, route, next));
  }

  private async inTenant(req: WharfRequest, route: RouteContract, next: CallHandler): Promise<unknown> {
    const state = stateOf(req);
    const principal = req.user;
    const ref = String(state.input?.params.tenant ?? '');
    if (!principal || !route.permission) throw new Error(`${route.id}: tenant route without principal or permission`);
    const permission = route.permission;
    try {
      const result = await this.db.enterTenant(principal.userId, ref, async (entered) => {
        if (!entered || (principal.tokenTenantId && principal.tokenTenantId !== entered.tenant.id)) {
          throw new NotFoundError('tenant');
        }
        const { scope, tenant, role } = entered;
        state.tenant = tenant;
        state.role = role;
        req.log = req.log.child({ tenantId: tenant.id });
        if (!can(role, permission)) throw new ForbiddenError(`Your role (${role}) does not allow ${permission}.`);
        if (route.mutates && tenant.status === 'suspended') throw new TenantSuspendedError(tenant.suspendedReason);
        state.scope = scope;
        const result = await lastValueFrom(next.handle(), { defaultValue: undefined });
        if (route.mutates) await this.audit.record(this.entry(req, route, tenant.id, 'success', route.status), scope.trx);
        return result;
      });
      // work that must only start once the change is visible to other processes (enqueued jobs, agent commands)
      for (const fn of state.afterCommit ?? []) await fn();
      return result;
    } catch (err) {
      // invalid input is refused, not an action: it is not audited (here as outside tenant routes)
      if (state.tenant && !(err instanceof ValidationError) && (route.mutates || err instanceof ForbiddenError)) {
        await this.audit.record(this.entry(req, route, state.tenant.id, this.outcome(err), statusOf(err)));
      }
      throw err;
    }
  }

  private async audited(req: WharfRequest, route: RouteContract, next: CallHandler): Promise<unknown> {
    try {
      const result = await lastValueFrom(next.handle(), { defaultValue: undefined });
      if (route.mutates) await this.audit.record(this.entry(req, route, this.tenantOf(req), 'success', route.status));
      return result;
    } catch (err) {
      if (route.mutates && !(err instanceof ValidationError)) {
        await this.audit.record(this.entry(req, route, this.tenantOf(req), this.outcome(err), statusOf(err)));
      }
      throw err;
    }
  }

  /** Handlers outside `/tenants/{tenant}` name the tenant they acted on (admin actions, accepted invitations…). */
  private tenantOf(req: WharfRequest): TenantId | null {
    return stateOf(req).auditTenantId ?? null;
  }

  private outcome(err: unknown): AuditEntry['outcome'] {
    const status = statusOf(err);
    return status === 401 || status === 403 ? 'denied' : 'failure';
  }

  private entry(
    req: WharfRequest,
    route: RouteContract,
    tenantId: TenantId | null,
    outcome: AuditEntry['outcome'],
    status: number,
  ): AuditEntry {
    const state = stateOf(req);
    const body = state.input?.body as { email?: unknown } | undefined;
    return {
      tenantId,
      actorId: req.user?.userId ?? null,
      actorEmail: req.user?.email ?? (typeof body?.email === 'string' ? body.email : null),
      action: route.id,
      target: state.auditTarget ?? targetOf(state.input?.params ?? {}),
      outcome,
      status,
      ip: req.ip,
      requestId: String(req.id),
    };
  }
}
