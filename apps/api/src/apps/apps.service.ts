import { Inject, Injectable } from '@nestjs/common';
import {
  type App,
  ConflictError,
  type CreateAppBody,
  type Deployment,
  NotFoundError,
  type UpdateAppBody,
  ValidationError,
} from '@wharf/contracts';
import { AAD, type SecretBox } from '@wharf/crypto';
import { type AppRow, AppsRepository, admit, ClustersRepository, type TenantScope, type UserId } from '@wharf/db';
import type { JobQueues } from '@wharf/queue';
import type { z } from 'zod';
import { QUEUES, SECRET_BOX } from '../core/tokens.js';
import { toApp } from './app-views.js';
import { DeploymentsService } from './deployments.service.js';

type After = (fn: () => Promise<void>) => void;

/** Apps from an image: admission against quota, desired state in Postgres, engine work through the worker. */
@Injectable()
export class AppsService {
  private readonly apps = new AppsRepository();
  private readonly clusters = new ClustersRepository();

  constructor(
    @Inject(SECRET_BOX) private readonly box: SecretBox,
    @Inject(QUEUES) private readonly queues: JobQueues,
    private readonly deployments: DeploymentsService,
  ) {}

  async view(scope: TenantScope, tenantSlug: string, row: AppRow): Promise<App> {
    const cluster = await this.clusters.findForTenant(scope, row.clusterId);
    if (!cluster) throw new Error(`app ${row.id}: cluster ${row.clusterId} not visible`);
    return toApp(row, tenantSlug, cluster);
  }

  async list(scope: TenantScope, tenantSlug: string, page: { limit: number; cursor?: string | undefined }) {
    const result = await this.apps.list(scope, page);
    const clusters = new Map((await this.clusters.listForTenant(scope)).map((c) => [c.id, c]));
    return {
      items: result.items.flatMap((row) => {
        const cluster = clusters.get(row.clusterId);
        return cluster ? [toApp(row, tenantSlug, cluster)] : [];
      }),
      nextCursor: result.nextCursor,
    };
  }

  async find(scope: TenantScope, ref: string): Promise<AppRow> {
    const app = await this.apps.find(scope, ref);
    if (!app) throw new NotFoundError('app');
    return app;
  }

  async create(
    scope: TenantScope,
    tenantSlug: string,
    by: UserId,
    body: z.output<typeof CreateAppBody>,
    after: After,
  ): Promise<{ app: App; deployment: Deployment | null }> {
    const cluster = body.cluster
      ? await this.clusters.findForTenant(scope, body.cluster)
      : await this.clusters.defaultForTenant(scope);
    if (!cluster) {
      if (body.cluster) throw new ValidationError([{ path: 'body.cluster', message: 'no such cluster', code: 'not_found' }]);
      throw new ConflictError('There is no cluster to deploy to yet.');
    }
    const clash = Object.keys(body.env).find((k) => k in body.secrets || k.endsWith('_FILE'));
    if (clash) {
      throw new ValidationError([
        { path: `body.env.${clash}`, message: 'also a secret, or reserved (*_FILE)', code: 'conflict' },
      ]);
    }
    await admit(scope, {
      services: 1,
      cpuMillis: body.cpuMillis * body.replicas,
      memoryMiB: body.memoryMiB * body.replicas,
    });
    const row = await this.apps.create(scope, {
      slug: body.name,
      name: body.displayName ?? body.name,
      clusterId: cluster.id,
      image: body.image,
      httpPort: body.port ?? null,
      command: body.command ?? null,
      healthcheck: body.healthcheck ?? null,
      replicas: body.replicas,
      cpuMillis: body.cpuMillis,
      memoryMib: body.memoryMiB,
      createdBy: by,
    });
    if (!row) throw new ConflictError(`There is already an app named ${body.name}.`);
    for (const [key, value] of Object.entries(body.env)) {
      await this.apps.setVariable(scope, row.id, { key, secret: false, value, valueSealed: null });
    }
    for (const [key, value] of Object.entries(body.secrets)) {
      const valueSealed = this.box.seal(value, AAD.variable(scope.tenantId, row.id, key));
      await this.apps.setVariable(scope, row.id, { key, secret: true, value: null, valueSealed });
    }
    const deployment = body.deploy ? await this.deployments.deploy(scope, row, by, undefined, after) : null;
    const current = (await this.apps.find(scope, row.id)) ?? row;
    return { app: toApp(current, tenantSlug, cluster), deployment };
  }

  /** Settings take effect with the next deployment; CPU and memory changes are admitted now. */
  async update(scope: TenantScope, tenantSlug: string, ref: string, body: z.output<typeof UpdateAppBody>): Promise<App> {
    const app = await this.locked(scope, ref);
    const cpu = body.cpuMillis ?? app.cpuMillis;
    const memory = body.memoryMiB ?? app.memoryMib;
    const replicas = app.stopped ? 0 : app.replicas;
    await admit(scope, {
      cpuMillis: (cpu - app.cpuMillis) * replicas,
      memoryMiB: (memory - app.memoryMib) * replicas,
    });
    const row = await this.apps.update(scope, app.id, {
      ...(body.displayName !== undefined ? { name: body.displayName } : {}),
      ...(body.image !== undefined ? { image: body.image } : {}),
      ...(body.port !== undefined ? { httpPort: body.port } : {}),
      ...(body.command !== undefined ? { command: body.command } : {}),
      ...(body.healthcheck !== undefined ? { healthcheck: body.healthcheck } : {}),
      cpuMillis: cpu,
      memoryMib: memory,
    });
    return this.view(scope, tenantSlug, row ?? app);
  }

  async scale(scope: TenantScope, tenantSlug: string, ref: string, replicas: number, after: After): Promise<App> {
    const app = await this.locked(scope, ref);
    if (!app.stopped) {
      const more = replicas - app.replicas;
      await admit(scope, { cpuMillis: more * app.cpuMillis, memoryMiB: more * app.memoryMib });
    }
    return this.changed(scope, tenantSlug, app, { replicas }, after);
  }

  async stop(scope: TenantScope, tenantSlug: string, ref: string, after: After): Promise<App> {
    const app = await this.locked(scope, ref);
    return this.changed(scope, tenantSlug, app, { stopped: true, status: 'stopped' }, after);
  }

  async start(scope: TenantScope, tenantSlug: string, ref: string, after: After): Promise<App> {
    const app = await this.locked(scope, ref);
    if (!app.stopped) return this.view(scope, tenantSlug, app);
    await admit(scope, { cpuMillis: app.replicas * app.cpuMillis, memoryMiB: app.replicas * app.memoryMib });
    const status = app.currentDeploymentId ? 'running' : 'created';
    return this.changed(scope, tenantSlug, app, { stopped: false, status }, after);
  }

  /** Releases the app's quota at once; the worker removes its engine objects. */
  async remove(scope: TenantScope, ref: string, after: After): Promise<void> {
    const app = await this.locked(scope, ref);
    await this.deployments.cancelAll(scope, app.id);
    await this.apps.markDeleted(scope, app.id);
    const version = Date.now();
    after(async () => void (await this.queues.enqueue('app.sync', { tenantId: scope.tenantId, appId: app.id, version })));
  }

  /** The app row, locked for a change (a deploy, a scale): changes to one app serialise. */
  async lockRow(scope: TenantScope, id: string): Promise<AppRow> {
    const app = await this.apps.lock(scope, id);
    if (!app) throw new NotFoundError('app');
    return app;
  }

  private async locked(scope: TenantScope, ref: string): Promise<AppRow> {
    const found = await this.find(scope, ref);
    const app = await this.apps.lock(scope, found.id);
    if (!app) throw new NotFoundError('app');
    return app;
  }

  private async changed(
    scope: TenantScope,
    tenantSlug: string,
    app: AppRow,
    changes: Parameters<AppsRepository['update']>[2],
    after: After,
  ): Promise<App> {
    const row = (await this.apps.update(scope, app.id, changes)) ?? app;
    const version = row.updatedAt.getTime();
    if (row.currentDeploymentId) {
      after(async () => void (await this.queues.enqueue('app.sync', { tenantId: scope.tenantId, appId: app.id, version })));
    }
    return this.view(scope, tenantSlug, row);
  }
}
