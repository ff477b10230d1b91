import type { App, Environment, Variable } from '@wharf/contracts';
import type { AppEnvironmentRow, AppRow, AppVariableRow, ClusterRow } from '@wharf/db';
import { routeHost, type StackSpecInput } from '@wharf/engine';

/** Service name → observed replicas, as heartbeats record them on an environment. */
export interface ServiceActual {
  desired: number;
  running: number;
  healthy: number;
  message: string | null;
}
export type EnvironmentActual = Record<string, ServiceActual>;

/** Services with an HTTP port in a stack (image apps: the form's), by name. */
export type HttpServices = readonly string[];

export function httpServices(app: AppRow, spec: unknown): HttpServices {
  if (app.kind !== 'compose') return app.httpPort === null ? [] : [app.service];
  const services = (spec as StackSpecInput | undefined)?.services ?? [];
  return services.filter((s) => (s.ports ?? []).some((p) => p.http)).map((s) => s.name);
}

/** The public URL of each HTTP service of the environment. */
export function environmentUrls(
  app: AppRow,
  environment: string,
  tenantSlug: string,
  cluster: ClusterRow,
  services: HttpServices,
): Record<string, string> {
  const port = cluster.proxyPort === 80 ? '' : `:${cluster.proxyPort}`;
  return Object.fromEntries(
    services.map((service) => [
      service,
      `http://${routeHost({ service, app: app.slug, tenantSlug, domain: cluster.domain, environment })}${port}`,
    ]),
  );
}

function summed(actual: EnvironmentActual | null | undefined, at: Date | null) {
  const all = Object.values(actual ?? {});
  return {
    desired: all.reduce((n, s) => n + s.desired, 0),
    running: all.reduce((n, s) => n + s.running, 0),
    healthy: all.reduce((n, s) => n + s.healthy, 0),
    message: all.find((s) => s.message)?.message ?? null,
    observedAt: at?.toISOString() ?? null,
  };
}

/** What the views of one app need besides its row. */
export interface AppContext {
  tenantSlug: string;
  cluster: ClusterRow;
  environments: AppEnvironmentRow[];
  /** HTTP services of each environment's current (or last) stack, by environment name. */
  http: Map<string, HttpServices>;
  /** The image production runs (apps built from source: their build's, pinned), when it runs one. */
  runningImage?: string | undefined;
}

export function toApp(row: AppRow, ctx: AppContext): App {
  const production = ctx.environments.find((e) => e.name === 'production') ?? ctx.environments[0];
  const urls = (name: string) => environmentUrls(row, name, ctx.tenantSlug, ctx.cluster, ctx.http.get(name) ?? []);
  const prodUrls = production ? urls(production.name) : {};
  const status = row.deletedAt ? 'deleting' : row.stopped ? 'stopped' : (production?.status ?? 'created');
  return {
    id: row.id,
    name: row.slug,
    displayName: row.name,
    kind: row.kind,
    status,
    image: row.image ?? (row.kind === 'source' ? (ctx.runningImage ?? null) : null),
    port: row.httpPort,
    replicas: row.replicas ?? 0,
    cpuMillis: row.cpuMillis ?? 0,
    memoryMiB: row.memoryMib ?? 0,
    command: row.command,
    healthcheck: row.healthcheck ?? null,
    stopped: row.stopped,
    service: row.service,
    environment: production?.name ?? 'production',
    url: prodUrls[row.service] ?? Object.values(prodUrls)[0] ?? null,
    cluster: { id: ctx.cluster.id, name: ctx.cluster.name, status: ctx.cluster.status },
    actual: summed(production?.actual as EnvironmentActual | null, production?.actualAt ?? null),
    currentDeploymentId: production?.currentDeploymentId ?? null,
    environments: ctx.environments.map((e) => ({
      name: e.name,
      status: e.status,
      currentDeploymentId: e.currentDeploymentId,
      urls: urls(e.name),
    })),
    createdAt: row.createdAt.toISOString(),
  };
}

export function toEnvironment(
  app: AppRow,
  env: AppEnvironmentRow,
  ctx: Omit<AppContext, 'environments'> & { needs: { name: string; services: string[] }[] },
): Environment {
  const actual = (env.actual ?? {}) as EnvironmentActual;
  return {
    name: env.name,
    status: env.status,
    currentDeploymentId: env.currentDeploymentId,
    bindings: env.bindings as Environment['bindings'],
    needs: ctx.needs.map((n) => ({ ...n, bound: n.name in env.bindings })),
    urls: environmentUrls(app, env.name, ctx.tenantSlug, ctx.cluster, ctx.http.get(env.name) ?? []),
    services: Object.fromEntries(
      Object.entries(actual).map(([name, s]) => [name, { ...s, observedAt: env.actualAt?.toISOString() ?? null }]),
    ),
    usage: { services: env.services, cpuMillis: env.cpuMillis, memoryMiB: env.memoryMib },
    createdAt: env.createdAt.toISOString(),
  };
}

export function toVariable(row: AppVariableRow, revealed?: string): Variable {
  return {
    key: row.key,
    secret: row.secret,
    value: row.secret ? (revealed ?? null) : row.value,
    updatedAt: row.updatedAt.toISOString(),
  };
}
