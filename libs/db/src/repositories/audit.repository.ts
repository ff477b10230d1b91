import type { Insertable } from 'kysely';
import type { TenantScope, Tx } from '../database.js';
import { afterCursor, decodeCursor, toPage } from '../pagination.js';
import type { AuditEventsTable, TenantId } from '../schema.js';

export type AuditRecord = Omit<Insertable<AuditEventsTable>, 'id' | 'at'>;

export class AuditRepository {
  /** Records an event; the transaction must be scoped to `event.tenantId` (or the event carries no tenant). */
  async record(trx: Tx, event: AuditRecord): Promise<void> {
    await trx.insertInto('auditEvents').values(event).execute();
  }

  async list(scope: TenantScope, page: { limit: number; cursor?: string | undefined; action?: string | undefined }) {
    const after = decodeCursor(page.cursor);
    let q = scope.trx
      .selectFrom('auditEvents')
      .selectAll()
      .where('tenantId', '=', scope.tenantId as TenantId)
      .orderBy('at', 'desc')
      .orderBy('id', 'desc')
      .limit(page.limit + 1);
    if (page.action) q = q.where('action', '=', page.action);
    if (after) q = q.where(afterCursor('at', 'id', after, 'desc'));
    return toPage(await q.execute(), page.limit, (r) => ({ at: r.at, id: r.id }));
  }
}
