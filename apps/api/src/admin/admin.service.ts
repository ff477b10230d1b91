import { Inject, Injectable } from '@nestjs/common';
import { type AdminTenant, type HostSweep, NotFoundError, type PlanId, type QuotaKey } from '@wharf/contracts';
import {
  AdminRepository,
  type AdminTenantRow,
  AppsRepository,
  type Database,
  type HostSweepRow,
  HostSweepsRepository,
  type PlatformScope,
  type TenantId,
  type UserId,
  usageReport,
} from '@wharf/db';
import type { JobQueues } from '@wharf/queue';
import { DATABASE, QUEUES } from '../core/tokens.js';
import { tenantFields } from '../tenants/tenant-views.js';

@Injectable()
export class AdminService {
  private readonly admin = new AdminRepository();
  private readonly apps = new AppsRepository();
  private readonly sweeps = new HostSweepsRepository();

  constructor(
    @Inject(DATABASE) private readonly db: Database,
    @Inject(QUEUES) private readonly queues: JobQueues,
  ) {}

  async list(query: {
    limit: number;
    cursor?: string | undefined;
    q?: string | undefined;
    status?: 'active' | 'suspended' | undefined;
  }) {
    return this.db.withPlatform(async (scope) => {
      const page = await this.admin.listTenants(scope, query);
      const items: AdminTenant[] = [];
      for (const row of page.items) items.push(await this.view(scope, row));
      return { items, nextCursor: page.nextCursor };
    });
  }

  get(tenantId: TenantId): Promise<AdminTenant> {
    return this.db.withPlatform(async (scope) => this.view(scope, await this.find(scope, tenantId)));
  }

  changePlan(tenantId: TenantId, planId: PlanId): Promise<AdminTenant> {
    return this.update(tenantId, (scope) => this.admin.setPlan(scope, tenantId, planId));
  }

  setOverrides(tenantId: TenantId, overrides: Partial<Record<QuotaKey, number | null>>, by: UserId): Promise<AdminTenant> {
    return this.update(tenantId, (scope) => this.admin.setOverrides(scope, tenantId, overrides, by));
  }

  /** Refuses the tenant's changes and deploys, and scales every app of it to zero (its replica counts are kept). */
  async suspend(tenantId: TenantId, reason: string): Promise<AdminTenant> {
    const tenant = await this.update(tenantId, (scope) => this.admin.setStatus(scope, tenantId, 'suspended', reason));
    await this.syncApps(tenantId);
    return tenant;
  }

  /** Lifts a suspension: apps run their replica counts again. */
  async resume(tenantId: TenantId): Promise<AdminTenant> {
    const tenant = await this.update(tenantId, (scope) => this.admin.setStatus(scope, tenantId, 'active', null));
    await this.syncApps(tenantId);
    return tenant;
  }

  /** The leak sweeps' reports, newest first. */
  listHostSweeps(page: { limit: number; cursor?: string | undefined }) {
    return this.db.withPlatform(async (scope) => {
      const result = await this.sweeps.list(scope, page);
      return { items: result.items.map(toHostSweep), nextCursor: result.nextCursor };
    });
  }

  private async syncApps(tenantId: TenantId): Promise<void> {
    const apps = await this.db.withPlatform((scope) => this.apps.listOfTenant(scope, tenantId));
    const version = Date.now();
    for (const app of apps) await this.queues.enqueue('app.sync', { tenantId, appId: app.id, version });
  }

  private update(tenantId: TenantId, change: (scope: PlatformScope) => Promise<void>): Promise<AdminTenant> {
    return this.db.withPlatform(async (scope) => {
      await this.find(scope, tenantId);
      await change(scope);
      return this.view(scope, await this.find(scope, tenantId));
    });
  }

  private async find(scope: PlatformScope, tenantId: TenantId): Promise<AdminTenantRow> {
    const row = await this.admin.getTenant(scope, tenantId);
    if (!row) throw new NotFoundError('tenant');
    return row;
  }

  private async view(scope: PlatformScope, row: AdminTenantRow): Promise<AdminTenant> {
    const quotas = await usageReport({ kind: 'tenant', tenantId: row.id, userId: null, trx: scope.trx });
    return { ...tenantFields(row), memberCount: row.memberCount, quotas };
  }
}

function toHostSweep(r: HostSweepRow): HostSweep {
  const { startedAt, finishedAt, ...rest } = r;
  return { ...rest, startedAt: startedAt.toISOString(), finishedAt: finishedAt.toISOString() };
}
