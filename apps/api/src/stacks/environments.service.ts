import { Inject, Injectable } from '@nestjs/common';
import { compileCompose } from '@wharf/compose';
import { type Bindings, ConflictError, type Environment, NotFoundError } from '@wharf/contracts';
import { type AppEnvironmentRow, type AppRow, EnvironmentsRepository, type TenantScope } from '@wharf/db';
import type { JobQueues } from '@wharf/queue';
import type { z } from 'zod';
import { toEnvironment } from '../apps/app-views.js';
import { AppsService } from '../apps/apps.service.js';
import { DeploymentsService } from '../apps/deployments.service.js';
import { QUEUES } from '../core/tokens.js';

type After = (fn: () => Promise<void>) => void;

/**
 * An app's environments: production (made with the app, never deleted) and the ones the tenant adds. Each has its
 * own variables, secrets and bindings; a new environment holds no quota until it is deployed.
 */
@Injectable()
export class EnvironmentsService {
  private readonly environments = new EnvironmentsRepository();

  constructor(
    @Inject(QUEUES) private readonly queues: JobQueues,
    private readonly apps: AppsService,
    private readonly deployments: DeploymentsService,
  ) {}

  async list(scope: TenantScope, tenantSlug: string, app: AppRow): Promise<Environment[]> {
    const rows = await this.environments.list(scope, app.id);
    return this.views(scope, tenantSlug, app, rows);
  }

  async get(scope: TenantScope, tenantSlug: string, app: AppRow, name: string): Promise<Environment> {
    return this.one(scope, tenantSlug, app, await this.row(scope, app, name));
  }

  async create(
    scope: TenantScope,
    tenantSlug: string,
    app: AppRow,
    body: { name: string; bindings: z.output<typeof Bindings> },
  ): Promise<Environment> {
    const row = await this.environments.create(scope, {
      appId: app.id,
      name: body.name,
      bindings: body.bindings,
      services: 0,
      cpuMillis: 0,
      memoryMib: 0,
    });
    if (!row) throw new ConflictError(`The app already has an environment named ${body.name}.`);
    return this.one(scope, tenantSlug, app, row);
  }

  async setBindings(
    scope: TenantScope,
    tenantSlug: string,
    app: AppRow,
    name: string,
    bindings: z.output<typeof Bindings>,
  ): Promise<Environment> {
    await this.row(scope, app, name);
    const row = await this.environments.update(scope, app.id, name, { bindings });
    if (!row) throw new NotFoundError('environment');
    return this.one(scope, tenantSlug, app, row);
  }

  /** Releases the environment's quota at once; the worker removes its engine objects. */
  async remove(scope: TenantScope, app: AppRow, name: string, after: After): Promise<void> {
    if (name === 'production') throw new ConflictError('The production environment goes with the app: delete the app instead.');
    await this.row(scope, app, name);
    await this.deployments.cancelAll(scope, app.id, name);
    await this.environments.remove(scope, app.id, name);
    const version = Date.now();
    after(
      async () =>
        void (await this.queues.enqueue('app.sync', {
          tenantId: scope.tenantId,
          appId: app.id,
          version,
          removedEnvironment: name,
        })),
    );
  }

  private async row(scope: TenantScope, app: AppRow, name: string): Promise<AppEnvironmentRow> {
    const row = await this.environments.find(scope, app.id, name);
    if (!row) throw new NotFoundError('environment');
    return row;
  }

  private async one(scope: TenantScope, tenantSlug: string, app: AppRow, row: AppEnvironmentRow): Promise<Environment> {
    const [view] = await this.views(scope, tenantSlug, app, [row]);
    if (!view) throw new Error(`environment ${row.name} of app ${app.id}: no view`);
    return view;
  }

  private async views(scope: TenantScope, tenantSlug: string, app: AppRow, rows: AppEnvironmentRow[]): Promise<Environment[]> {
    const ctx = (await this.apps.context(scope, tenantSlug, [app])).get(app.id);
    if (!ctx) throw new Error(`app ${app.id}: cluster not visible`);
    const needs = this.needs(app);
    return rows.map((row) => toEnvironment(app, row, { ...ctx, needs }));
  }

  /** External names the stack needs and the services that need each (from the compose file as saved). */
  private needs(app: AppRow): { name: string; services: string[] }[] {
    if (app.kind !== 'compose' || app.compose === null) return [];
    const result = compileCompose(app.compose, { stage: 'deploy', cluster: { shared: false, relaxed: [] } });
    if (!result.ok) return [];
    const byName = new Map<string, string[]>();
    for (const n of result.externals) byName.set(n.name, [...(byName.get(n.name) ?? []), n.service]);
    return [...byName].map(([name, services]) => ({ name, services }));
  }
}
