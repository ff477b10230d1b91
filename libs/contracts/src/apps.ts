import { Argv, DnsLabel, EnvKey, ImageRef, normaliseImage } from '@wharf/engine';
import { z } from 'zod';
import { Build, SetSourceBody } from './builds.js';
import { DisplayName, ListQuery, Slug, Timestamp, Uuid } from './common.js';
import { AppParams, DEFAULT_ENVIRONMENT, EnvironmentName } from './params.js';

/*
 * Apps, their variables and secrets, deployments and logs: the API's side of running workloads. An app is a
 * compose stack (stacks.ts) or one image (a one-service stack, service `web`); it runs in environments
 * (production, staging, …), each with its own variables, secrets, bindings and deployments.
 */

export const APP_STATUSES = ['created', 'deploying', 'running', 'stopped', 'failed', 'deleting'] as const;
export const DEPLOYMENT_STATUSES = [
  'queued',
  'preparing',
  'testing',
  'rolling_out',
  'live',
  'failed',
  'rolled_back',
  'cancelled',
] as const;
export type DeploymentStatusName = (typeof DEPLOYMENT_STATUSES)[number];
export const FINAL_STATUSES: readonly DeploymentStatusName[] = ['live', 'failed', 'rolled_back', 'cancelled'];

export const EnvironmentParams = AppParams.extend({ environment: EnvironmentName });
export const DeploymentParams = AppParams.extend({ deploymentId: Uuid });
export const VariableParams = AppParams.extend({ key: EnvKey });
export const ServiceParams = AppParams.extend({ service: DnsLabel });
/** `?environment=` of the routes that act on one environment (default production). */
export const EnvironmentQuery = z.strictObject({ environment: EnvironmentName.default(DEFAULT_ENVIRONMENT) });

const Replicas = z.number().int().min(0).max(100);
/** Per replica. */
const CpuMillis = z.number().int().min(10, 'at least 10 millicores').max(64_000);
const MemoryMiB = z.number().int().min(6, 'at least 6 MiB').max(262_144);

export const AppHealthcheck = z.discriminatedUnion('type', [
  z.strictObject({
    type: z.literal('http'),
    path: z
      .string()
      .max(1024)
      .regex(/^\/[A-Za-z0-9._~!$&'()*+,;=:@%/?-]*$/, 'an absolute URL path without spaces'),
    intervalSeconds: z.number().int().min(1).max(3600).default(10),
  }),
  z.strictObject({
    type: z.literal('command'),
    command: Argv.min(1),
    intervalSeconds: z.number().int().min(1).max(3600).default(10),
  }),
]);

/** A full image reference (`registry/path[:tag][@digest]`); short Docker Hub names (`nginx`) are expanded. */
const Image = z.string().min(1).max(512).transform(normaliseImage).pipe(ImageRef);

const VariableValue = z.string().max(32_768);

/** A compose file's size limit (the request body limit is larger). */
export const MAX_COMPOSE_BYTES = 512 * 1024;
export const ComposeSource = z
  .string()
  .min(1)
  .refine((s) => Buffer.byteLength(s) <= MAX_COMPOSE_BYTES, `at most ${MAX_COMPOSE_BYTES / 1024} KiB`);

const IMAGE_ONLY = ['port', 'replicas', 'cpuMillis', 'memoryMiB', 'command', 'healthcheck'] as const;

/**
 * An app from an image (`image` and its settings), from a compose file (`compose`), or built from a git repository
 * (`source`, with the image settings): exactly one of the three.
 */
export const CreateAppBody = z
  .strictObject({
    name: Slug,
    displayName: DisplayName.optional(),
    image: Image.optional(),
    /** A docker-compose file (YAML): the app is the stack it describes. */
    compose: ComposeSource.optional(),
    /**
     * A git repository Wharf builds the app's image from — or, with `compose`, the images of the services that
     * `build:` (its first build starts at once when `deploy`, and deploys when it succeeds).
     */
    source: SetSourceBody.optional(),
    /** Built from source archives uploaded by `wharf deploy` (no repository): nothing runs until the first upload. */
    upload: z.literal(true).optional(),
    /** The container port HTTP is served on; the app gets a URL when set. */
    port: z.number().int().min(1).max(65535).optional(),
    replicas: Replicas.optional(),
    cpuMillis: CpuMillis.optional(),
    memoryMiB: MemoryMiB.optional(),
    command: Argv.optional(),
    healthcheck: AppHealthcheck.optional(),
    /** Variables and secrets of the production environment. */
    env: z.record(EnvKey, VariableValue).default({}),
    secrets: z.record(EnvKey, VariableValue).default({}),
    /** Cluster id or name; default: the tenant's own cluster, else the shared one. */
    cluster: z.string().min(1).max(100).optional(),
    /** Start the first deployment (to production) right away. */
    deploy: z.boolean().default(true),
  })
  .superRefine((b, ctx) => {
    // a compose file may come with the git source its services build from
    const given = [b.image, b.compose ?? b.source, b.upload].filter((v) => v !== undefined).length;
    if (given !== 1 || (b.image !== undefined && b.source !== undefined)) {
      ctx.addIssue({
        code: 'custom',
        path: ['image'],
        message:
          'give one of an image, a compose file (with the git source it builds from, if it builds), a git source, or upload: true',
      });
    }
    if (b.compose !== undefined) {
      for (const key of IMAGE_ONLY) {
        if (b[key] !== undefined)
          ctx.addIssue({ code: 'custom', path: [key], message: 'only for an app from an image; a compose file says it' });
      }
    }
  })
  .transform((b) => ({
    ...b,
    // the Dockerfiles Wharf writes serve on 8080 ($PORT)
    port: b.port ?? ((b.source && !b.compose) || b.upload ? 8080 : undefined),
    replicas: b.replicas ?? 1,
    cpuMillis: b.cpuMillis ?? 250,
    memoryMiB: b.memoryMiB ?? 128,
  }));

export const UpdateAppBody = z
  .strictObject({
    displayName: DisplayName,
    image: Image,
    port: z.number().int().min(1).max(65535).nullable(),
    cpuMillis: CpuMillis,
    memoryMiB: MemoryMiB,
    command: Argv.nullable(),
    healthcheck: AppHealthcheck.nullable(),
  })
  .partial()
  .refine((b) => Object.keys(b).length > 0, 'nothing to change');

export const ScaleBody = z.strictObject({ replicas: Replicas });

export const SetVariableBody = z.strictObject({ value: VariableValue, secret: z.boolean().default(false) });

export const Variable = z.object({
  key: z.string(),
  secret: z.boolean(),
  /** null for a secret unless revealed. */
  value: z.string().nullable(),
  updatedAt: Timestamp,
});
export type Variable = z.infer<typeof Variable>;

export const ServiceStatus = z.object({
  desired: z.number().int(),
  running: z.number().int(),
  healthy: z.number().int(),
  message: z.string().nullable(),
  observedAt: Timestamp.nullable(),
});

export const EnvironmentSummary = z.object({
  name: z.string(),
  status: z.enum(['created', 'deploying', 'running', 'failed']),
  currentDeploymentId: Uuid.nullable(),
  /** The URL of each service with an HTTP port. */
  urls: z.record(z.string(), z.string()),
});

export const App = z.object({
  id: Uuid,
  name: z.string(),
  displayName: z.string(),
  kind: z.enum(['image', 'compose', 'source']),
  /** The production environment's status (or the app's own: stopped, deleting). */
  status: z.enum(APP_STATUSES),
  /** Image apps: the image; compose apps: null. */
  image: z.string().nullable(),
  port: z.number().int().nullable(),
  replicas: z.number().int(),
  cpuMillis: z.number().int(),
  memoryMiB: z.number().int(),
  command: z.array(z.string()).nullable(),
  healthcheck: z.unknown().nullable(),
  stopped: z.boolean(),
  service: z.string(),
  environment: z.string(),
  /** The production URL of the app's HTTP service (image apps: `service`; compose apps: the first with a URL). */
  url: z.string().nullable(),
  cluster: z.object({ id: Uuid, name: z.string(), status: z.enum(['pending', 'ready', 'unreachable']) }),
  /** Production, summed over its services. */
  actual: ServiceStatus,
  currentDeploymentId: Uuid.nullable(),
  environments: z.array(EnvironmentSummary),
  createdAt: Timestamp,
});
export type App = z.infer<typeof App>;

export const Deployment = z.object({
  id: Uuid,
  appId: Uuid,
  environment: z.string(),
  revision: z.number().int(),
  status: z.enum(DEPLOYMENT_STATUSES),
  reason: z.string().nullable(),
  /** The first service's image and replicas (the only ones of an image app). */
  image: z.string(),
  replicas: z.number().int(),
  services: z.array(z.string()),
  rollbackOf: Uuid.nullable(),
  /** The build whose image it runs (apps built from source). */
  buildId: Uuid.nullable(),
  /** The integration stage's verdict, when the deployment ran one (null before it ends, or without one). */
  test: z.object({ passed: z.boolean(), exitCode: z.number().int().nullable(), reason: z.string().nullable() }).nullable(),
  cancelRequested: z.boolean(),
  createdAt: Timestamp,
  startedAt: Timestamp.nullable(),
  finishedAt: Timestamp.nullable(),
});
export type Deployment = z.infer<typeof Deployment>;

export const CreatedApp = z.object({
  app: App,
  deployment: Deployment.nullable(),
  /** An app built from source: its first build (the deployment follows when it succeeds). */
  build: Build.nullable().optional(),
});

export const CreateDeploymentBody = z.strictObject({
  environment: EnvironmentName.default(DEFAULT_ENVIRONMENT),
  /** Redeploy an earlier revision of the environment (its stack, variables and secrets as they were). */
  rollbackTo: Uuid.optional(),
  /**
   * Run the stack's test service (`x-wharf-test`, or the `test` profile) first, once, against a temporary copy of
   * the whole stack; roll out only if it exits 0. The temporary environment is removed either way.
   */
  test: z.boolean().default(false),
  /** Deploy the image of this build (apps built from source; default: the image the environment runs now). */
  build: Uuid.optional(),
});
export const DeploymentListQuery = ListQuery.extend({ environment: EnvironmentName.optional() });

export const DeploymentEvent = z.object({
  seq: z.number().int(),
  at: Timestamp,
  kind: z.enum(['status', 'log']),
  message: z.string(),
});

export const LogsQuery = z.strictObject({
  environment: EnvironmentName.default(DEFAULT_ENVIRONMENT),
  follow: z
    .enum(['true', 'false'])
    .default('false')
    .transform((v) => v === 'true'),
  /** ISO timestamp or unix seconds. */
  since: z
    .string()
    .max(40)
    .refine((s) => /^\d{1,12}$/.test(s) || !Number.isNaN(Date.parse(s)), 'an ISO timestamp or unix seconds')
    .optional(),
  tail: z.coerce.number().int().min(0).max(10_000).default(200),
});

export const Cluster = z.object({
  id: Uuid,
  name: z.string(),
  kind: z.enum(['shared', 'dedicated']),
  domain: z.string(),
  status: z.enum(['pending', 'ready', 'unreachable']),
  lastHeartbeatAt: Timestamp.nullable(),
  nodes: z.number().int(),
  /** Policy rules the owner relaxed (dedicated clusters only). */
  policyRelaxed: z.array(z.string()),
});
export type Cluster = z.infer<typeof Cluster>;
