import { Inject, Injectable } from '@nestjs/common';
import { AuditRepository, type Database, type TenantId, type Tx, type UserId } from '@wharf/db';
import { DATABASE } from './tokens.js';

export interface AuditEntry {
  tenantId: TenantId | null;
  actorId: UserId | null;
  actorEmail: string | null;
  action: string;
  target: string | null;
  outcome: 'success' | 'denied' | 'failure';
  status: number;
  ip: string | null;
  requestId: string | null;
}

/** Writes the audit log: inside the request's own transaction when there is one, else in its own. */
@Injectable()
export class AuditService {
  private readonly audit = new AuditRepository();

  constructor(@Inject(DATABASE) private readonly db: Database) {}

  async record(entry: AuditEntry, trx?: Tx): Promise<void> {
    if (trx) return this.audit.record(trx, entry);
    if (entry.tenantId) {
      await this.db.withTenant(entry.tenantId, entry.actorId, (scope) => this.audit.record(scope.trx, entry));
    } else {
      await this.db.unscoped((t) => this.audit.record(t, entry));
    }
  }
}
