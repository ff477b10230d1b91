import { AppsRepository, type Database, type TenantId, TenantsRepository } from '@wharf/db';
import type { JobPayload } from '@wharf/queue';
import type { Logger } from 'pino';
import type { Commands } from '../commands.js';
import { desiredReplicas } from '../desired.js';

/**
 * `app.sync`: after a scale, stop, start, suspension or delete, tells the app's cluster: scale the service to what
 * the app should run now, or remove every engine object of a deleted app.
 */
export class AppSyncProcessor {
  private readonly apps = new AppsRepository();
  private readonly tenants = new TenantsRepository();

  constructor(
    private readonly db: Database,
    private readonly commands: Commands,
    private readonly log: Logger,
  ) {}

  async run({ tenantId, appId, version }: JobPayload<'app.sync'>): Promise<void> {
    const state = await this.db.withTenant(tenantId as TenantId, null, async (s) => ({
      app: await this.apps.getIncludingDeleted(s, appId),
      tenant: await this.tenants.get(s),
    }));
    const { app, tenant } = state;
    if (!app) return;
    const scope = { tenantId, app: app.slug, environment: app.environment };
    if (app.deletedAt) {
      const removal = await this.commands.send(app.clusterId, tenant.id, `remove-${app.id}`, {
        kind: 'stack.remove',
        scope,
        volumes: true,
      });
      this.log.info({ tenantId, appId, commandId: removal.id }, 'app deleted: removal sent');
      return;
    }
    if (!app.currentDeploymentId) return; // nothing runs yet: the first deployment uses the current settings
    await this.commands.send(app.clusterId, tenant.id, `sync-${app.id}-${version}`, {
      kind: 'service.scale',
      scope,
      service: app.service,
      replicas: desiredReplicas(app, tenant),
    });
  }
}
