import { LABEL_OBJECT, LABEL_ROUTE_HOST, LABEL_ROUTE_PORT, wharfLabels } from './labels.js';
import { ServiceSpec, type ServiceSpecInput, type StackSpec } from './model.js';
import {
  configName,
  type EnvironmentRef,
  environmentNetworkName,
  secretName,
  serviceName,
  stackNetworkName,
  volumeName,
} from './names.js';
import { type Healthcheck, HTTP_PROBES } from './service-parts.js';
import type {
  SwarmConfigSpec,
  SwarmFileReference,
  SwarmHealthConfig,
  SwarmMount,
  SwarmNetworkSpec,
  SwarmSecretSpec,
  SwarmServiceSpec,
  SwarmUpdateConfig,
} from './swarm-types.js';

/*
 * Normalised model → Docker Engine API objects (Engine API ≥ 1.41, Docker 20.10). Pure: no I/O; the agent sends
 * the results to the engine. Durations in the model are milliseconds, the engine's are nanoseconds.
 */

const NS_PER_MS = 1_000_000;
const NANO_CPUS_PER_MILLI = 1_000_000;
const MIB = 1024 * 1024;
/** Docker's defaults for secret and config files: root-owned, world-readable (the container may not run as root). */
const FILE_MODE = 0o444;

export class RenderError extends Error {
  override readonly name = 'RenderError';
}

/** What a service is rendered in. */
export interface RenderContext extends EnvironmentRef {
  /** The deployment writing the objects (labelled `wharf.deployment`). */
  deploymentId?: string;
  /** Stack secret name → Swarm secret name of its current value (`secretName(env, name, value)`). */
  secrets?: Record<string, string>;
  /** Stack config name → Swarm config name of its current value (`configName(env, name, value)`). */
  configs?: Record<string, string>;
  /** Cluster id (labels every object, so an agent prunes only its own cluster's objects). */
  clusterId?: string;
  /** Service name → public host name the edge proxy routes to its HTTP port (labels the service, not its tasks). */
  routes?: Record<string, string>;
  /** Placement constraints the platform adds (e.g. the node pool of the tenant's plan), before the service's own. */
  constraints?: string[];
}

const ns = (ms: number): number => ms * NS_PER_MS;

function healthConfig(check: Healthcheck, httpPort: number | undefined): SwarmHealthConfig {
  if (check.type === 'none') return { Test: ['NONE'] };
  const timing = {
    Interval: ns(check.intervalMs),
    Timeout: ns(check.timeoutMs),
    StartPeriod: ns(check.startPeriodMs),
    Retries: check.retries,
  };
  if (check.type === 'command') return { Test: ['CMD', ...check.command], ...timing };
  // An exec-form probe run inside the container: no shell, so the image must contain the probe program
  // (HTTP_PROBES documents the presets; a custom argv can name any binary of the image).
  if (httpPort === undefined) throw new RenderError('an HTTP health check needs an HTTP port');
  const template = typeof check.probe === 'string' ? HTTP_PROBES[check.probe] : check.probe;
  const values: Record<string, string> = {
    url: `http://127.0.0.1:${httpPort}${check.path}`,
    port: String(httpPort),
    path: check.path,
    timeoutSeconds: String(Math.max(1, Math.ceil(check.timeoutMs / 1000))),
  };
  const argv = template.map((arg) => arg.replace(/\{(url|port|path|timeoutSeconds)\}/g, (_, k: string) => values[k] ?? ''));
  return { Test: ['CMD', ...argv], ...timing };
}

function fileReferences(
  kind: 'secret' | 'config',
  wanted: Record<string, string>,
  names: Record<string, string> | undefined,
): SwarmFileReference[] {
  return Object.entries(wanted)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([name, target]) => {
      const swarm = names?.[name];
      if (swarm === undefined) throw new RenderError(`no current ${kind} for "${name}" in the render context`);
      const File = { Name: target, UID: '0', GID: '0', Mode: FILE_MODE };
      return kind === 'secret' ? { File, SecretName: swarm } : { File, ConfigName: swarm };
    });
}

/**
 * The `ServiceSpec` for `POST /services/create` and `POST /services/{id}/update`. Routing never depends on the
 * ingress mesh or VIPs (they need IPVS): the endpoint mode is `dnsrr`, and published ports are host-mode without a
 * published number, so every task gets its own ephemeral host port (read from the task's `Status.PortStatus`)
 * and a start-first update never fights over a port.
 */
/** The engine network a service's stack network refers to: one of this stack, or another app's environment network. */
function networkTarget(ctx: RenderContext, name: string, stack: Pick<StackSpec, 'networks'> | undefined): string {
  const other = stack?.networks[name]?.environmentOf;
  return other
    ? environmentNetworkName({ tenantId: ctx.tenantId, app: other.app, environment: other.environment })
    : stackNetworkName(ctx, name);
}

/**
 * `stack` is needed when the service joins networks of the stack that are another app's environment network
 * (environment bindings); without it every stack network is taken to be the stack's own.
 */
export function toSwarmService(
  ctx: RenderContext,
  input: ServiceSpecInput | ServiceSpec,
  stack?: Pick<StackSpec, 'networks'>,
): SwarmServiceSpec {
  const service = ServiceSpec.parse(input);
  const labels = {
    ...service.labels,
    ...wharfLabels({ ...ctx, service: service.name }),
  };
  const httpPort = service.ports.find((p) => p.http)?.containerPort;
  const env = Object.entries(service.env)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([k, v]) => `${k}=${v}`);
  const secrets = fileReferences('secret', service.secrets, ctx.secrets);
  const configs = fileReferences('config', service.configs, ctx.configs);
  const constraints = [...new Set([...(ctx.constraints ?? []), ...service.placement.constraints])];
  const { limits, reservations } = service.resources;

  const update: SwarmUpdateConfig = {
    Parallelism: service.update.parallelism,
    Delay: ns(service.update.delayMs),
    FailureAction: service.update.failureAction,
    Monitor: ns(service.update.monitorMs),
    MaxFailureRatio: service.update.maxFailureRatio,
    Order: service.update.order,
  };
  const ports = service.ports
    .filter((p) => p.publish ?? p.http)
    .map((p) => ({ Protocol: p.protocol, TargetPort: p.containerPort, PublishMode: 'host' as const }));

  const host = service.host;
  const mounts: SwarmMount[] = [
    ...service.volumes.map((v) => ({
      Type: 'volume' as const,
      Source: volumeName(ctx, v.source),
      Target: v.target,
      ReadOnly: v.readOnly,
      // Applied when the engine creates the volume on first use, so volumes are found by label too.
      VolumeOptions: { Labels: { ...wharfLabels(ctx), [LABEL_OBJECT]: v.source } },
    })),
    ...service.tmpfs.map((t) => ({
      Type: 'tmpfs' as const,
      Target: t.target,
      ...(t.sizeMiB !== undefined ? { TmpfsOptions: { SizeBytes: t.sizeMiB * MIB } } : {}),
    })),
    ...(host?.bindMounts ?? []).map((b) => ({ Type: 'bind' as const, Source: b.source, Target: b.target, ReadOnly: b.readOnly })),
  ];
  const job = service.mode === 'job';
  // A job runs to completion: "restart whatever happens" would never complete, so it restarts on failure only.
  const restartCondition = job && service.restart.condition === 'any' ? 'on-failure' : service.restart.condition;
  // The environment's own overlay first; the short service name (and its aliases) is what the other services use.
  const aliases = [service.name, ...service.aliases];
  const networks = host?.network
    ? [{ Target: 'host' }]
    : [
        { Target: environmentNetworkName(ctx), Aliases: aliases },
        ...service.networks.map((n) => ({ Target: networkTarget(ctx, n, stack), Aliases: [service.name] })),
      ];

  const route = ctx.routes?.[service.name];
  return {
    Name: serviceName(ctx, service.name),
    Labels: {
      ...labels,
      ...(route !== undefined && httpPort !== undefined
        ? { [LABEL_ROUTE_HOST]: route, [LABEL_ROUTE_PORT]: String(httpPort) }
        : {}),
    },
    TaskTemplate: {
      ContainerSpec: {
        Image: service.image,
        Labels: labels,
        // The engine's Command replaces the image's ENTRYPOINT and Args its CMD (like `docker run --entrypoint`).
        ...(service.entrypoint !== undefined ? { Command: service.entrypoint } : {}),
        ...(service.command !== undefined ? { Args: service.command } : {}),
        ...(env.length > 0 ? { Env: env } : {}),
        Init: service.init,
        // Engine API ≥ 1.44 (Docker 25). Older engines silently drop it: set `"no-new-privileges": true` in their
        // daemon.json instead (diffServiceSpec's `apiVersion` option then ignores its absence).
        Privileges: { NoNewPrivileges: true },
        StopGracePeriod: ns(service.stopGracePeriodMs),
        ...(service.healthcheck ? { Healthcheck: healthConfig(service.healthcheck, httpPort) } : {}),
        ...(mounts.length > 0 ? { Mounts: mounts } : {}),
        ...(secrets.length > 0 ? { Secrets: secrets } : {}),
        ...(configs.length > 0 ? { Configs: configs } : {}),
        ...(service.user !== undefined ? { User: service.user } : {}),
        ...(service.workingDir !== undefined ? { Dir: service.workingDir } : {}),
        ...(service.hostname !== undefined ? { Hostname: service.hostname } : {}),
        ...(service.stopSignal !== undefined ? { StopSignal: service.stopSignal } : {}),
        ...(service.readOnlyRootfs ? { ReadOnly: true } : {}),
        ...(service.extraHosts.length > 0 ? { Hosts: service.extraHosts.map((h) => `${h.ip} ${h.host}`) } : {}),
        ...(service.capAdd.length > 0 ? { CapabilityAdd: service.capAdd } : {}),
        ...(service.capDrop.length > 0 ? { CapabilityDrop: service.capDrop } : {}),
        ...(host && Object.keys(host.sysctls).length > 0 ? { Sysctls: host.sysctls } : {}),
      },
      Resources: {
        Limits: { NanoCPUs: limits.cpuMillis * NANO_CPUS_PER_MILLI, MemoryBytes: limits.memoryMiB * MIB, Pids: limits.pids },
        Reservations: {
          ...(reservations.cpuMillis > 0 ? { NanoCPUs: reservations.cpuMillis * NANO_CPUS_PER_MILLI } : {}),
          ...(reservations.memoryMiB > 0 ? { MemoryBytes: reservations.memoryMiB * MIB } : {}),
        },
      },
      RestartPolicy: {
        Condition: restartCondition,
        Delay: ns(service.restart.delayMs),
        MaxAttempts: service.restart.maxAttempts,
        Window: ns(service.restart.windowMs),
      },
      Placement: {
        ...(constraints.length > 0 ? { Constraints: constraints } : {}),
        ...(service.placement.maxReplicasPerNode > 0 ? { MaxReplicas: service.placement.maxReplicasPerNode } : {}),
      },
      Networks: networks,
    },
    ...(job
      ? // the engine refuses an update config for a job (and then echoes defaults of its own: diffServiceSpec ignores them)
        { Mode: { ReplicatedJob: { MaxConcurrent: Math.max(1, service.replicas), TotalCompletions: service.replicas } } }
      : {
          Mode: { Replicated: { Replicas: service.replicas } },
          UpdateConfig: update,
          // A failed rollback cannot roll back: it pauses for a human (or the reconcile job) to look at.
          RollbackConfig: { ...update, FailureAction: 'pause' as const },
        }),
    EndpointSpec: { Mode: 'dnsrr', ...(ports.length > 0 ? { Ports: ports } : {}) },
  };
}

/**
 * An overlay network of a tenant environment: its own network (no `network`) or one the stack declares. Never
 * attachable (a container started outside Swarm could join it) and never shared between environments or tenants.
 */
export function toSwarmNetwork(
  ctx: RenderContext,
  network?: { name: string; spec: StackSpec['networks'][string] },
): SwarmNetworkSpec {
  const base = wharfLabels(ctx);
  if (!network) return { Name: environmentNetworkName(ctx), Driver: 'overlay', Attachable: false, Internal: false, Labels: base };
  return {
    Name: stackNetworkName(ctx, network.name),
    Driver: 'overlay',
    Attachable: false,
    Internal: network.spec.internal,
    Labels: { ...network.spec.labels, ...base, [LABEL_OBJECT]: network.name },
  };
}

/** A Swarm secret for `POST /secrets/create`. The name carries a hash of the value (secrets are immutable). */
export function toSwarmSecret(ctx: RenderContext, name: string, value: string | Uint8Array): SwarmSecretSpec {
  return {
    Name: secretName(ctx, name, value),
    Labels: { ...wharfLabels(ctx), [LABEL_OBJECT]: name },
    Data: Buffer.from(value).toString('base64'),
  };
}

/** A Swarm config for `POST /configs/create`, named like secrets. */
export function toSwarmConfig(ctx: RenderContext, name: string, value: string | Uint8Array): SwarmConfigSpec {
  return {
    Name: configName(ctx, name, value),
    Labels: { ...wharfLabels(ctx), [LABEL_OBJECT]: name },
    Data: Buffer.from(value).toString('base64'),
  };
}

/**
 * Fills in the engine ids of the secrets and configs a rendered service references (the engine needs
 * `SecretID`/`ConfigID`; the agent learns them when it creates or finds the objects). Returns a copy.
 */
export function withObjectIds(
  spec: SwarmServiceSpec,
  ids: { secrets?: Record<string, string>; configs?: Record<string, string> },
): SwarmServiceSpec {
  const c = spec.TaskTemplate.ContainerSpec;
  const fill = (refs: SwarmFileReference[] | undefined, kind: 'secret' | 'config') =>
    refs?.map((r) => {
      const name = kind === 'secret' ? r.SecretName : r.ConfigName;
      const id = name === undefined ? undefined : (kind === 'secret' ? ids.secrets : ids.configs)?.[name];
      if (id === undefined) throw new RenderError(`no engine id for ${kind} "${name ?? ''}"`);
      return kind === 'secret' ? { ...r, SecretID: id } : { ...r, ConfigID: id };
    });
  const secrets = fill(c.Secrets, 'secret');
  const configs = fill(c.Configs, 'config');
  return {
    ...spec,
    TaskTemplate: {
      ...spec.TaskTemplate,
      ContainerSpec: { ...c, ...(secrets ? { Secrets: secrets } : {}), ...(configs ? { Configs: configs } : {}) },
    },
  };
}
