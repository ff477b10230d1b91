import { Inject, Injectable } from '@nestjs/common';
import { type CompiledStack, compileCompose } from '@wharf/compose';
import {
  type App,
  type Build,
  ConflictError,
  type CreateAppBody,
  type Deployment,
  NotFoundError,
  QuotaExceededError,
  type UpdateAppBody,
  ValidationError,
} from '@wharf/contracts';
import {
  type AppRow,
  AppsRepository,
  admit,
  type ClusterRow,
  ClustersRepository,
  DeploymentsRepository,
  EnvironmentsRepository,
  type TenantScope,
  type UserId,
} from '@wharf/db';
import { type StackSpecInput, type StackUsage, stackUsage } from '@wharf/engine';
import type { JobQueues } from '@wharf/queue';
import { clusterPolicy, invalidStack, quotaAtLines } from '@wharf/releases';
import type { z } from 'zod';
import { BuildsService } from '../builds/builds.service.js';
import { SourcesService } from '../builds/sources.service.js';
import { QUEUES } from '../core/tokens.js';
import { type AppContext, type HttpServices, httpServices, toApp } from './app-views.js';
import { DeploymentsService } from './deployments.service.js';
import { VariablesService } from './variables.service.js';

type After = (fn: () => Promise<void>) => void;
const PRODUCTION = 'production';

/** The quota one environment of an image app holds. */
function imageUsage(app: Pick<AppRow, 'replicas' | 'cpuMillis' | 'memoryMib'>): StackUsage {
  const replicas = app.replicas ?? 0;
  return { services: 1, cpuMillis: (app.cpuMillis ?? 0) * replicas, memoryMiB: (app.memoryMib ?? 0) * replicas };
}

/**
 * Apps, from an image or a compose file: admission against quota, desired state in Postgres, engine work through
 * the worker. Every app starts with a production environment holding the quota of the stack it runs.
 */
@Injectable()
export class AppsService {
  private readonly apps = new AppsRepository();
  private readonly clusters = new ClustersRepository();
  private readonly deploymentRows = new DeploymentsRepository();
  private readonly environments = new EnvironmentsRepository();

  constructor(
    @Inject(QUEUES) private readonly queues: JobQueues,
    private readonly deployments: DeploymentsService,
    private readonly variables: VariablesService,
    private readonly sources: SourcesService,
    private readonly builds: BuildsService,
  ) {}

  async view(scope: TenantScope, tenantSlug: string, row: AppRow): Promise<App> {
    const [app] = await this.views(scope, tenantSlug, [row]);
    if (!app) throw new Error(`app ${row.id}: cluster ${row.clusterId} not visible`);
    return app;
  }

  async list(scope: TenantScope, tenantSlug: string, page: { limit: number; cursor?: string | undefined }) {
    const result = await this.apps.list(scope, page);
    return { items: await this.views(scope, tenantSlug, result.items), nextCursor: result.nextCursor };
  }

  /** What the views need: clusters, environments, and the HTTP services of what each environment runs. */
  async context(scope: TenantScope, tenantSlug: string, rows: readonly AppRow[]): Promise<Map<string, AppContext>> {
    const clusters = new Map((await this.clusters.listForTenant(scope)).map((c) => [c.id, c]));
    const envs = await this.environments.listForApps(
      scope,
      rows.map((r) => r.id),
    );
    const specs = await this.deploymentRows.specs(
      scope,
      envs.flatMap((e) => (e.currentDeploymentId ? [e.currentDeploymentId] : [])),
    );
    const out = new Map<string, AppContext>();
    for (const row of rows) {
      const cluster = clusters.get(row.clusterId);
      if (!cluster) continue;
      const mine = envs.filter((e) => e.appId === row.id);
      const http = new Map<string, HttpServices>(
        mine.map((e) => [e.name, httpServices(row, e.currentDeploymentId ? specs.get(e.currentDeploymentId) : undefined)]),
      );
      const production = mine.find((e) => e.name === PRODUCTION)?.currentDeploymentId;
      const spec = production ? (specs.get(production) as StackSpecInput | undefined) : undefined;
      out.set(row.id, { tenantSlug, cluster, environments: mine, http, runningImage: spec?.services[0]?.image });
    }
    return out;
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
  ): Promise<{ app: App; deployment: Deployment | null; build?: Build | null }> {
    const cluster = await this.targetCluster(scope, body.cluster);
    const clash = Object.keys(body.env).find((k) => k in body.secrets || k.endsWith('_FILE'));
    if (clash) {
      throw new ValidationError([
        { path: `body.env.${clash}`, message: 'also a secret, or reserved (*_FILE)', code: 'conflict' },
      ]);
    }
    const compiled = body.compose !== undefined ? this.compileNew(body.compose, body.env, cluster) : undefined;
    const building = compiled ? Object.keys(compiled.builds) : [];
    if (compiled && building.length > 0 && !body.source) {
      // the compose file's own kind of problem, at its line
      throw invalidStack(
        building.map((name) => ({
          ...compiled.locate(`services.${name}.build`),
          severity: 'error' as const,
          code: 'no_source',
          path: `services.${name}.build`,
          message: `services.${name}.build: the service builds from source: give the app the git repository it builds from (source)`,
        })),
      );
    }
    const usage = compiled ? stackUsage(compiled.stack) : imageUsage({ ...body, memoryMib: body.memoryMiB });
    await admit(scope, usage).catch((err: unknown) => {
      throw compiled && err instanceof QuotaExceededError ? quotaAtLines(err, compiled.stack, compiled.locate) : err;
    });
    const isCompose = compiled !== undefined;
    const row = await this.apps.create(scope, {
      slug: body.name,
      name: body.displayName ?? body.name,
      clusterId: cluster.id,
      kind: isCompose ? 'compose' : body.source || body.upload ? 'source' : 'image',
      compose: body.compose ?? null,
      image: body.image ?? null,
      httpPort: body.port ?? null,
      command: body.command ?? null,
      healthcheck: body.healthcheck ?? null,
      replicas: isCompose ? null : body.replicas,
      cpuMillis: isCompose ? null : body.cpuMillis,
      memoryMib: isCompose ? null : body.memoryMiB,
      createdBy: by,
    });
    if (!row) throw new ConflictError(`There is already an app named ${body.name}.`);
    const env = await this.environments.create(scope, {
      appId: row.id,
      name: PRODUCTION,
      services: usage.services,
      cpuMillis: usage.cpuMillis,
      memoryMib: usage.memoryMiB,
    });
    if (!env) throw new Error(`app ${row.id}: production environment exists already`);
    const ref = { appId: row.id, environment: PRODUCTION };
    for (const [key, value] of Object.entries(body.env)) {
      await this.apps.setVariable(scope, row.id, PRODUCTION, { key, secret: false, value, valueSealed: null });
    }
    for (const [key, value] of Object.entries(body.secrets)) {
      const valueSealed = this.variables.seal(scope, ref, key, value);
      await this.apps.setVariable(scope, row.id, PRODUCTION, { key, secret: true, value: null, valueSealed });
    }
    if (body.source) {
      // production follows `main` unless the source says otherwise; the first build deploys it (a stack whose
      // services all run images deploys at once too)
      const tracking = body.source.tracking ?? { [PRODUCTION]: 'main' };
      await this.sources.set(scope, row, { ...body.source, tracking }, 'body.source');
      if (compiled && building.length === 0) {
        const deployment = body.deploy ? await this.deployments.deploy(scope, row, PRODUCTION, by, {}, after) : null;
        return { app: await this.view(scope, tenantSlug, row), deployment, build: null };
      }
      const build = body.deploy
        ? await this.builds.start(scope, row, { trigger: 'manual', environments: [PRODUCTION] }, by, after)
        : null;
      return { app: await this.view(scope, tenantSlug, row), deployment: null, build };
    }
    // an app of uploads runs once `wharf deploy` sends its source
    if (body.upload) return { app: await this.view(scope, tenantSlug, row), deployment: null, build: null };
    const deployment = body.deploy ? await this.deployments.deploy(scope, row, PRODUCTION, by, {}, after) : null;
    return { app: await this.view(scope, tenantSlug, row), deployment };
  }

  /** Image and source apps: settings take effect with the next deployment; CPU and memory changes are admitted now. */
  async update(scope: TenantScope, tenantSlug: string, ref: string, body: z.output<typeof UpdateAppBody>): Promise<App> {
    const app = await this.locked(scope, ref);
    const { displayName, ...imageSettings } = body;
    if (app.kind === 'compose' && Object.keys(imageSettings).length > 0) {
      throw new ValidationError(
        Object.keys(imageSettings).map((k) => ({
          path: `body.${k}`,
          message: "a compose app's settings are in its compose file: change them with PUT …/stack",
          code: 'compose_app',
        })),
      );
    }
    if (app.kind === 'source' && body.image !== undefined) {
      throw new ValidationError([
        { path: 'body.image', message: 'an app built from source runs the image of its builds', code: 'source_app' },
      ]);
    }
    const changes = {
      ...(displayName !== undefined ? { name: displayName } : {}),
      ...(body.image !== undefined ? { image: body.image } : {}),
      ...(body.port !== undefined ? { httpPort: body.port } : {}),
      ...(body.command !== undefined ? { command: body.command } : {}),
      ...(body.healthcheck !== undefined ? { healthcheck: body.healthcheck } : {}),
      ...(body.cpuMillis !== undefined ? { cpuMillis: body.cpuMillis } : {}),
      ...(body.memoryMiB !== undefined ? { memoryMib: body.memoryMiB } : {}),
    };
    if (app.kind !== 'compose') await this.resized(scope, app, { ...app, ...changes });
    const row = await this.apps.update(scope, app.id, changes);
    return this.view(scope, tenantSlug, row ?? app);
  }

  /** Image apps only: a compose app's replicas are in its file (`deploy.replicas`, or a variable it interpolates). */
  async scale(scope: TenantScope, tenantSlug: string, ref: string, replicas: number, after: After): Promise<App> {
    const app = await this.locked(scope, ref);
    if (app.kind === 'compose') {
      throw new ConflictError("A compose app's replicas are set in its compose file (deploy.replicas); change it and deploy.");
    }
    await this.resized(scope, app, { ...app, replicas });
    return this.changed(scope, tenantSlug, app, { replicas }, after);
  }

  async stop(scope: TenantScope, tenantSlug: string, ref: string, after: After): Promise<App> {
    const app = await this.locked(scope, ref);
    return this.changed(scope, tenantSlug, app, { stopped: true }, after);
  }

  async start(scope: TenantScope, tenantSlug: string, ref: string, after: After): Promise<App> {
    const app = await this.locked(scope, ref);
    if (!app.stopped) return this.view(scope, tenantSlug, app);
    const envs = await this.environments.list(scope, app.id);
    await admit(scope, {
      cpuMillis: envs.reduce((n, e) => n + e.cpuMillis, 0),
      memoryMiB: envs.reduce((n, e) => n + e.memoryMib, 0),
    });
    return this.changed(scope, tenantSlug, app, { stopped: false }, after);
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

  async locked(scope: TenantScope, ref: string): Promise<AppRow> {
    return this.lockRow(scope, (await this.find(scope, ref)).id);
  }

  private async views(scope: TenantScope, tenantSlug: string, rows: readonly AppRow[]): Promise<App[]> {
    const ctx = await this.context(scope, tenantSlug, rows);
    return rows.flatMap((row) => {
      const c = ctx.get(row.id);
      return c ? [toApp(row, c)] : [];
    });
  }

  private async targetCluster(scope: TenantScope, ref: string | undefined): Promise<ClusterRow> {
    const cluster = ref ? await this.clusters.findForTenant(scope, ref) : await this.clusters.defaultForTenant(scope);
    if (cluster) return cluster;
    if (ref) throw new ValidationError([{ path: 'body.cluster', message: 'no such cluster', code: 'not_found' }]);
    throw new ConflictError('There is no cluster to deploy to yet.');
  }

  /** A new compose app's production stack (for the quota it needs); its problems refuse the app, each at its line. */
  private compileNew(source: string, variables: Record<string, string>, cluster: ClusterRow): CompiledStack {
    const result = compileCompose(source, { variables, stage: 'deploy', cluster: clusterPolicy(cluster) });
    if (!result.ok) throw invalidStack(result.errors);
    return result;
  }

  /** An image app's new size, admitted for every environment (each runs the same form). */
  private async resized(scope: TenantScope, app: AppRow, next: Pick<AppRow, 'replicas' | 'cpuMillis' | 'memoryMib'>) {
    const envs = await this.environments.list(scope, app.id);
    const usage = imageUsage(next);
    if (!app.stopped) {
      await admit(scope, {
        cpuMillis: envs.reduce((n, e) => n + usage.cpuMillis - e.cpuMillis, 0),
        memoryMiB: envs.reduce((n, e) => n + usage.memoryMiB - e.memoryMib, 0),
      });
    }
    for (const e of envs) {
      await this.environments.update(scope, app.id, e.name, { cpuMillis: usage.cpuMillis, memoryMib: usage.memoryMiB });
    }
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
    const deployed = (await this.environments.list(scope, app.id)).some((e) => e.currentDeploymentId);
    if (deployed) {
      after(async () => void (await this.queues.enqueue('app.sync', { tenantId: scope.tenantId, appId: app.id, version })));
    }
    return this.view(scope, tenantSlug, row);
  }
}
