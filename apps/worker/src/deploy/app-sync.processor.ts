import {
  AppsRepository,
  type Database,
  DeploymentsRepository,
  EnvironmentsRepository,
  type TenantId,
  TenantsRepository,
} from '@wharf/db';
import { StackSpec } from '@wharf/engine';
import type { JobPayload } from '@wharf/queue';
import type { Logger } from 'pino';
import type { Commands } from '../commands.js';
import { desiredReplicas } from '../desired.js';

/**
 * `app.sync`: after a scale, stop, start, suspension or delete, tells the app's cluster: scale each service of each
 * deployed environment to what it should run now, or remove every engine object of a deleted app (or of one
 * deleted environment).
 */
export class AppSyncProcessor {
  private readonly apps = new AppsRepository();
  private readonly deployments = new DeploymentsRepository();
  private readonly environments = new EnvironmentsRepository();
  private readonly tenants = new TenantsRepository();

  constructor(
    private readonly db: Database,
    private readonly commands: Commands,
    private readonly log: Logger,
  ) {}

  async run({ tenantId, appId, version, removedEnvironment }: JobPayload<'app.sync'>): Promise<void> {
    const state = await this.db.withTenant(tenantId as TenantId, null, async (s) => {
      const app = await this.apps.getIncludingDeleted(s, appId);
      const envs = app ? await this.environments.list(s, app.id) : [];
      const specs = await this.deployments.specs(
        s,
        envs.flatMap((e) => (e.currentDeploymentId ? [e.currentDeploymentId] : [])),
      );
      return { app, envs, specs, tenant: await this.tenants.get(s) };
    });
    const { app, envs, specs, tenant } = state;
    if (!app) return;
    const scopeOf = (environment: string) => ({ tenantId, app: app.slug, environment });
    const removed = app.deletedAt ? envs.map((e) => e.name) : removedEnvironment ? [removedEnvironment] : [];
    for (const environment of removed) {
      const removal = await this.commands.send(app.clusterId, tenant.id, `remove-${app.id}-${environment}`, {
        kind: 'stack.remove',
        scope: scopeOf(environment),
        volumes: true,
      });
      this.log.info({ tenantId, appId, environment, commandId: removal.id }, 'stack removal sent');
    }
    if (app.deletedAt || removedEnvironment) return;
    for (const env of envs) {
      const spec = env.currentDeploymentId ? specs.get(env.currentDeploymentId) : undefined;
      // nothing runs yet: the first deployment uses the current settings
      if (spec === undefined) continue;
      for (const service of StackSpec.parse(spec).services.filter((x) => x.mode === 'replicated')) {
        await this.commands.send(app.clusterId, tenant.id, `sync-${app.id}-${env.name}-${service.name}-${version}`, {
          kind: 'service.scale',
          scope: scopeOf(env.name),
          service: service.name,
          replicas: desiredReplicas(app, tenant, service),
        });
      }
    }
  }
}
