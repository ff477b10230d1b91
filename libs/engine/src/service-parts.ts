import { z } from 'zod';

/*
 * The parts a service of the stack model is made of: names, argument vectors, paths, ports, resources, health checks,
 * update/restart policies, placement, mounts, labels, dependencies and host access. model.ts assembles them.
 */

// NUL cannot pass through execve or the environment; the other controls have no business in an argument either.
// biome-ignore lint/suspicious/noControlCharactersInRegex: the point is to refuse them
const NUL = /\u0000/;

/** RFC 1123 label, lowercase, starting with a letter, no `--` (our names use `--` as a separator). */
export const DnsLabel = z
  .string()
  .min(1)
  .max(63)
  .regex(
    /^[a-z](?:[a-z0-9-]*[a-z0-9])?$/,
    'lowercase letters, digits and hyphens; starts with a letter, ends with a letter or digit',
  )
  .refine((s) => !s.includes('--'), 'must not contain "--"');

/** Name of a stack-level object (network, volume, secret, config): letters, digits, `_`, `.`, single `-`. */
export const ObjectName = z
  .string()
  .min(1)
  .max(63)
  .regex(
    /^[A-Za-z0-9](?:[A-Za-z0-9_.-]*[A-Za-z0-9])?$/,
    'letters, digits, "_", "." and "-"; starts and ends with a letter or digit',
  )
  .refine((s) => !s.includes('--'), 'must not contain "--"');

// ---------------------------------------------------------------------------------------------------------------
// Service parts
// ---------------------------------------------------------------------------------------------------------------

const Arg = z
  .string()
  .max(4096)
  .refine((s) => !NUL.test(s), 'must not contain NUL');
/** An argument vector, executed without a shell. A string (a shell command line) is refused on purpose. */
export const Argv = z.array(Arg).max(256);

export const EnvKey = z
  .string()
  .max(256)
  .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'letters, digits and "_", not starting with a digit');
export const Env = z.record(EnvKey, Arg.max(32_768)).default({});

/** Absolute path inside the container: no `..`, no `//`, no control characters, not `/` itself. */
export const ContainerPath = z
  .string()
  .max(1024)
  .regex(/^(?:\/[A-Za-z0-9._@+-]+)+$/, 'an absolute path of letters, digits and ._@+-')
  .refine((p) => !p.split('/').some((seg) => seg === '.' || seg === '..'), 'must not contain "." or ".." segments');

export const MountTarget = ContainerPath.refine(
  (p) => !/^\/(?:proc|sys|dev)(?:\/|$)/.test(p),
  'must not mount over /proc, /sys or /dev',
);

/** Where a secret or config appears: a file name under the engine's default directory, or an absolute path. */
export const FileTarget = z.union([
  z
    .string()
    .max(255)
    .regex(/^[A-Za-z0-9._-]+$/)
    .refine((s) => s !== '.' && s !== '..', 'not a file name'),
  MountTarget,
]);

export const Port = z.strictObject({
  containerPort: z.number().int().min(1).max(65535),
  protocol: z.enum(['tcp', 'udp']).default('tcp'),
  /** The port the edge proxy routes HTTP to. At most one per service. */
  http: z.boolean().default(false),
  /**
   * Publish on the task's host (ephemeral port, host mode). Default: only the HTTP port. Services of one
   * environment reach each other's ports over their overlay network without publishing anything.
   */
  publish: z.boolean().optional(),
});

export const Millis = (max: number) => z.number().int().min(0).max(max);
export const HOUR_MS = 3_600_000;

export const Resources = z
  .strictObject({
    limits: z
      .strictObject({
        /** 1000 = one CPU. The engine refuses less than 0.01 CPU. */
        cpuMillis: z.number().int().min(10).max(64_000).default(500),
        /** The engine refuses less than 6 MiB. */
        memoryMiB: z.number().int().min(6).max(262_144).default(256),
        pids: z.number().int().min(16).max(65_536).default(512),
      })
      .prefault({}),
    reservations: z
      .strictObject({
        cpuMillis: z.number().int().min(0).max(64_000).default(0),
        memoryMiB: z.number().int().min(0).max(262_144).default(0),
      })
      .prefault({}),
  })
  .refine((r) => r.reservations.cpuMillis <= r.limits.cpuMillis, {
    message: 'CPU reservation must not exceed the limit',
    path: ['reservations', 'cpuMillis'],
  })
  .refine((r) => r.reservations.memoryMiB <= r.limits.memoryMiB, {
    message: 'memory reservation must not exceed the limit',
    path: ['reservations', 'memoryMiB'],
  });

/**
 * The argument vector that probes an HTTP health check, run inside the container without a shell. `{url}`,
 * `{port}` and `{path}` are replaced in each argument. The image must contain the program: busybox `wget` is in
 * most small images, `curl` in most Debian-based ones; a distroless image needs its own probe binary.
 */
export const HTTP_PROBES = {
  wget: ['wget', '-q', '-O', '/dev/null', '-T', '{timeoutSeconds}', '{url}'],
  curl: ['curl', '-fsS', '-o', '/dev/null', '-m', '{timeoutSeconds}', '{url}'],
} as const satisfies Record<string, readonly string[]>;

const HealthTiming = {
  intervalMs: z.number().int().min(1000).max(HOUR_MS).default(10_000),
  timeoutMs: z.number().int().min(1000).max(HOUR_MS).default(5_000),
  startPeriodMs: Millis(HOUR_MS).default(10_000),
  retries: z.number().int().min(1).max(100).default(3),
};

export const Healthcheck = z.discriminatedUnion('type', [
  z.strictObject({
    type: z.literal('http'),
    /** Path (and query) probed on the service's HTTP port. */
    path: z
      .string()
      .max(1024)
      .regex(/^\/[A-Za-z0-9._~!$&'()*+,;=:@%/?-]*$/, 'an absolute URL path without spaces'),
    probe: z.union([z.enum(['wget', 'curl']), Argv.min(1)]).default('wget'),
    ...HealthTiming,
  }),
  z.strictObject({ type: z.literal('command'), command: Argv.min(1), ...HealthTiming }),
  /** Turn off a HEALTHCHECK the image declares. */
  z.strictObject({ type: z.literal('none') }),
]);

export const UpdatePolicy = z
  .strictObject({
    /** Tasks updated at once; 0 = all at once. */
    parallelism: z.number().int().min(0).max(100).default(1),
    delayMs: Millis(HOUR_MS).default(0),
    order: z.enum(['start-first', 'stop-first']).default('start-first'),
    failureAction: z.enum(['rollback', 'pause', 'continue']).default('rollback'),
    /** How long each updated task is watched for failure before the update moves on. */
    monitorMs: Millis(HOUR_MS).default(15_000),
    /** Fraction of tasks that may fail during an update before the failure action triggers. */
    maxFailureRatio: z.number().min(0).max(1).default(0),
  })
  .prefault({});

export const RestartPolicy = z
  .strictObject({
    condition: z.enum(['any', 'on-failure', 'none']).default('any'),
    delayMs: Millis(HOUR_MS).default(5_000),
    /** 0 = no limit. */
    maxAttempts: z.number().int().min(0).max(1000).default(0),
    /** Window over which restarts are counted; 0 = unbounded. */
    windowMs: Millis(24 * HOUR_MS).default(0),
  })
  .prefault({});

const CONSTRAINT =
  /^(?:node\.(?:id|hostname|role|platform\.os|platform\.arch)|(?:node|engine)\.labels\.[A-Za-z0-9_.-]+)\s*(?:==|!=)\s*[A-Za-z0-9_.:-]+$/;

export const Placement = z
  .strictObject({
    /** Swarm constraint expressions, e.g. `node.labels.region == eu`. */
    constraints: z.array(z.string().max(256).regex(CONSTRAINT, 'not a placement constraint')).max(32).default([]),
    /** 0 = no limit. */
    maxReplicasPerNode: z.number().int().min(0).max(100).default(0),
  })
  .prefault({});

export const VolumeMount = z.strictObject({
  /** A named volume of the stack. There is no `type`: bind mounts and host paths do not exist in this model. */
  source: ObjectName,
  target: MountTarget,
  readOnly: z.boolean().default(false),
});

const LabelKey = z
  .string()
  .max(256)
  .regex(/^[A-Za-z0-9](?:[A-Za-z0-9._/-]*[A-Za-z0-9])?$/, 'not a label key')
  .refine((k) => !/^(?:wharf|com\.docker|io\.docker|org\.dockerproject)\./.test(k), 'this label prefix is reserved');
export const Labels = z.record(LabelKey, z.string().max(4096)).default({});

/** A host name (RFC 1123, dotted labels). */
export const Hostname = z
  .string()
  .min(1)
  .max(253)
  .regex(/^(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*$/, 'not a host name');

const IPV4 = /^(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/;
const IPV6 = /^[0-9a-f:]+(?:%[a-z0-9]+)?$/i;
export const IpAddress = z
  .string()
  .max(64)
  .refine((s) => IPV4.test(s) || (s.includes(':') && IPV6.test(s)), 'not an IP address');

/** A Linux capability, written `CAP_NET_ADMIN` or `NET_ADMIN` (stored with the prefix), or `ALL`. */
export const Capability = z
  .string()
  .max(64)
  .regex(/^(?:CAP_)?[A-Z][A-Z_]*$/, 'a capability name such as NET_BIND_SERVICE')
  .transform((c) => (c === 'ALL' || c.startsWith('CAP_') ? c : `CAP_${c}`));

/** Absolute path on the host, for bind mounts (dedicated clusters whose owner allowed them). */
const HostPath = z
  .string()
  .max(1024)
  .regex(/^\/(?:[A-Za-z0-9._@+-]+(?:\/[A-Za-z0-9._@+-]+)*)?$/, 'an absolute host path of letters, digits and ._@+-')
  .refine((p) => !p.split('/').some((seg) => seg === '.' || seg === '..'), 'must not contain "." or ".." segments');

export const Dependency = z.strictObject({
  service: DnsLabel,
  /** `started`: running; `healthy`: its rollout is live (health checks pass); `completed`: a job that exited 0. */
  condition: z.enum(['started', 'healthy', 'completed']).default('started'),
  /** A dependency that is not required does not fail the deployment when it fails. */
  required: z.boolean().default(true),
});

/**
 * What reaches into the host: only on a dedicated cluster whose owner relaxed the matching policy rule (the compose
 * policy decides; the engine model only carries it).
 */
export const HostAccess = z.strictObject({
  bindMounts: z
    .array(z.strictObject({ source: HostPath, target: MountTarget, readOnly: z.boolean().default(false) }))
    .max(32)
    .default([]),
  /** `network_mode: host`: the task uses the host's network stack (no overlay, no alias). */
  network: z.boolean().default(false),
  sysctls: z
    .record(
      z
        .string()
        .max(128)
        .regex(/^[a-z0-9_.-]+$/, 'not a sysctl name'),
      z.string().max(256),
    )
    .default({}),
});

export type Healthcheck = z.output<typeof Healthcheck>;
export type Port = z.output<typeof Port>;
