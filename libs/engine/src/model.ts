import { z } from 'zod';
import { dependencyCycle } from './graph.js';
import { ImageRef } from './image-ref.js';
import {
  Argv,
  Capability,
  ContainerPath,
  Dependency,
  DnsLabel,
  Env,
  FileTarget,
  Healthcheck,
  HOUR_MS,
  HostAccess,
  Hostname,
  IpAddress,
  Labels,
  Millis,
  MountTarget,
  ObjectName,
  Placement,
  Port,
  Resources,
  RestartPolicy,
  UpdatePolicy,
  VolumeMount,
} from './service-parts.js';

/*
 * The normalised stack model: what a deployment runs, independent of the engine that runs it. The compose issue
 * produces it from YAML, the "app from an image" form produces a one-service stack. Every object is strict (an
 * unknown key such as `privileged`, `cap_add` or a bind mount's `type: bind` is refused, not ignored), and parsing
 * fills in the defaults: `z.input<typeof X>` is what a caller may send, `z.output<typeof X>` (= `X`) what it gets.
 */

export const ServiceSpec = z
  .strictObject({
    name: DnsLabel,
    image: ImageRef,
    /** Overrides the image's ENTRYPOINT (the engine's `Command`). */
    entrypoint: Argv.optional(),
    /** Overrides the image's CMD (the engine's `Args`). */
    command: Argv.optional(),
    env: Env,
    /** Stack secret name → file it appears as (a bare name lands in /run/secrets/). */
    secrets: z.record(ObjectName, FileTarget).default({}),
    /** Stack config name → file it appears as (a bare name lands in the container's root). */
    configs: z.record(ObjectName, MountTarget).default({}),
    ports: z.array(Port).max(32).default([]),
    replicas: z.number().int().min(0).max(100).default(1),
    resources: Resources.prefault({}),
    healthcheck: Healthcheck.optional(),
    update: UpdatePolicy,
    restart: RestartPolicy,
    placement: Placement,
    /** Stack networks besides the environment's own network, which every service joins. */
    networks: z.array(ObjectName).max(16).default([]),
    volumes: z.array(VolumeMount).max(32).default([]),
    labels: Labels,
    /** Run an init process as PID 1 (reaps zombies, forwards signals). */
    init: z.boolean().default(true),
    /** Time between the stop signal and SIGKILL. */
    stopGracePeriodMs: Millis(HOUR_MS).default(10_000),
    /** `job`: runs to completion `replicas` times (a migration, a test) instead of being kept running. */
    mode: z.enum(['replicated', 'job']).default('replicated'),
    /** Services of the stack this one waits for before it is created or updated. */
    dependsOn: z.array(Dependency).max(100).default([]),
    /** Further DNS names the service answers to on the environment network (compose `links` aliases). */
    aliases: z.array(DnsLabel).max(32).default([]),
    /** Names resolved to fixed addresses inside the containers (`/etc/hosts`; compose `extra_hosts`). */
    extraHosts: z
      .array(z.strictObject({ host: Hostname, ip: IpAddress }))
      .max(64)
      .default([]),
    user: z
      .string()
      .max(64)
      .regex(/^[A-Za-z0-9_.-]+(?::[A-Za-z0-9_.-]+)?$/, 'user[:group], names or numbers')
      .optional(),
    workingDir: ContainerPath.optional(),
    hostname: Hostname.optional(),
    stopSignal: z
      .string()
      .regex(/^(?:SIG[A-Z0-9+-]+|[0-9]{1,2})$/, 'a signal name such as SIGTERM')
      .optional(),
    readOnlyRootfs: z.boolean().default(false),
    tmpfs: z
      .array(z.strictObject({ target: MountTarget, sizeMiB: z.number().int().min(1).max(65_536).optional() }))
      .max(16)
      .default([]),
    capAdd: z.array(Capability).max(64).default([]),
    capDrop: z.array(Capability).max(64).default([]),
    host: HostAccess.optional(),
  })
  .superRefine((s, ctx) => {
    const http = s.ports.filter((p) => p.http);
    if (http.length > 1) ctx.addIssue({ code: 'custom', path: ['ports'], message: 'at most one HTTP port' });
    if (http.some((p) => p.protocol !== 'tcp'))
      ctx.addIssue({ code: 'custom', path: ['ports'], message: 'the HTTP port must be tcp' });
    const seen = new Set<string>();
    s.ports.forEach((p, i) => {
      const key = `${p.containerPort}/${p.protocol}`;
      if (seen.has(key)) ctx.addIssue({ code: 'custom', path: ['ports', i], message: `port ${key} listed twice` });
      seen.add(key);
    });
    if (s.healthcheck?.type === 'http' && http.length === 0) {
      ctx.addIssue({ code: 'custom', path: ['healthcheck'], message: 'an HTTP health check needs an HTTP port' });
    }
    const targets = new Set<string>();
    const mount = (target: string, path: (string | number)[]) => {
      if (targets.has(target)) ctx.addIssue({ code: 'custom', path, message: 'mounted twice' });
      targets.add(target);
    };
    s.volumes.forEach((v, i) => {
      mount(v.target, ['volumes', i, 'target']);
    });
    s.tmpfs.forEach((t, i) => {
      mount(t.target, ['tmpfs', i, 'target']);
    });
    s.host?.bindMounts.forEach((b, i) => {
      mount(b.target, ['host', 'bindMounts', i, 'target']);
    });
    if (s.dependsOn.some((d) => d.service === s.name))
      ctx.addIssue({ code: 'custom', path: ['dependsOn'], message: 'a service cannot depend on itself' });
    if (s.host?.network && (s.networks.length > 0 || s.aliases.length > 0))
      ctx.addIssue({
        code: 'custom',
        path: ['host', 'network'],
        message: 'a service on the host network joins no other network',
      });
  });
export type ServiceSpec = z.output<typeof ServiceSpec>;
export type ServiceSpecInput = z.input<typeof ServiceSpec>;

export const NetworkSpec = z.strictObject({
  /** No route out of the network (the engine's `Internal`). */
  internal: z.boolean().default(false),
  labels: Labels,
  /**
   * The environment network of another app of the same tenant (an environment binding to one of its services):
   * joined, never created or removed by this stack.
   */
  environmentOf: z.strictObject({ app: DnsLabel, environment: DnsLabel }).optional(),
});

/** A named volume. Driver and driver options are deliberately absent: `local` with `o=bind` is a bind mount. */
export const VolumeSpec = z.strictObject({ labels: Labels });

/** A secret or config declaration; the value lives encrypted elsewhere and is passed in when rendering. */
export const FileObjectSpec = z.strictObject({ labels: Labels });

/** Services in one stack (a large compose file; Swarm itself has no such limit). */
export const MAX_SERVICES = 250;

export const StackSpec = z
  .strictObject({
    services: z.array(ServiceSpec).min(1).max(MAX_SERVICES),
    networks: z.record(ObjectName, NetworkSpec).default({}),
    volumes: z.record(ObjectName, VolumeSpec).default({}),
    secrets: z.record(ObjectName, FileObjectSpec).default({}),
    configs: z.record(ObjectName, FileObjectSpec).default({}),
  })
  .superRefine((stack, ctx) => {
    const names = new Set<string>();
    stack.services.forEach((s, i) => {
      const at = (...p: (string | number)[]) => ['services', i, ...p];
      if (names.has(s.name)) ctx.addIssue({ code: 'custom', path: at('name'), message: `service "${s.name}" defined twice` });
      names.add(s.name);
      for (const n of s.networks) {
        if (!(n in stack.networks)) ctx.addIssue({ code: 'custom', path: at('networks'), message: `unknown network "${n}"` });
      }
      s.volumes.forEach((v, j) => {
        if (!(v.source in stack.volumes)) {
          ctx.addIssue({ code: 'custom', path: at('volumes', j, 'source'), message: `unknown volume "${v.source}"` });
        }
      });
      for (const k of Object.keys(s.secrets)) {
        if (!(k in stack.secrets)) ctx.addIssue({ code: 'custom', path: at('secrets', k), message: `unknown secret "${k}"` });
      }
      for (const k of Object.keys(s.configs)) {
        if (!(k in stack.configs)) ctx.addIssue({ code: 'custom', path: at('configs', k), message: `unknown config "${k}"` });
      }
    });
    stack.services.forEach((s, i) => {
      s.dependsOn.forEach((d, j) => {
        if (!names.has(d.service))
          ctx.addIssue({
            code: 'custom',
            path: ['services', i, 'dependsOn', j, 'service'],
            message: `unknown service "${d.service}"`,
          });
      });
    });
    const cycle = dependencyCycle(stack.services);
    if (cycle) ctx.addIssue({ code: 'custom', path: ['services'], message: `dependency cycle: ${cycle.join(' → ')}` });
  });
export type StackSpec = z.output<typeof StackSpec>;
export type StackSpecInput = z.input<typeof StackSpec>;
