import { Controller } from '@nestjs/common';
import { type AuditEvent, auditRoutes, type RouteInput, type RouteOutput } from '@wharf/contracts';
import { type AuditEventRow, AuditRepository, type TenantScope } from '@wharf/db';
import { Endpoint, Input, Scope } from '../core/endpoint.decorator.js';

function toAuditEvent(e: AuditEventRow): AuditEvent {
  return {
    id: e.id,
    at: e.at.toISOString(),
    actor: e.actorId ? { id: e.actorId, email: e.actorEmail ?? '' } : null,
    action: e.action,
    target: e.target,
    outcome: e.outcome,
    status: e.status,
    ip: e.ip,
    requestId: e.requestId,
  };
}

@Controller()
export class AuditController {
  private readonly audit = new AuditRepository();

  @Endpoint(auditRoutes.list)
  async list(
    @Scope() scope: TenantScope,
    @Input() input: RouteInput<typeof auditRoutes.list>,
  ): Promise<RouteOutput<typeof auditRoutes.list>> {
    const page = await this.audit.list(scope, input.query);
    return { items: page.items.map(toAuditEvent), nextCursor: page.nextCursor };
  }
}
