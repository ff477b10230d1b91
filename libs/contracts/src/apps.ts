import { Argv, EnvKey, ImageRef, normaliseImage } from '@wharf/engine';
import { z } from 'zod';
import { DisplayName, Slug, TenantRef, Timestamp, Uuid } from './common.js';

/*
 * Apps from an image, their variables and secrets, deployments and logs: the API's side of running workloads.
 * An app here is a one-service stack (service `web`) in one environment (`production`).
 */

export const APP_STATUSES = ['created', 'deploying', 'running', 'stopped', 'failed', 'deleting'] as const;
export const DEPLOYMENT_STATUSES = ['queued', 'preparing', 'rolling_out', 'live', 'failed', 'rolled_back', 'cancelled'] as const;
export type DeploymentStatusName = (typeof DEPLOYMENT_STATUSES)[number];
export const FINAL_STATUSES: readonly DeploymentStatusName[] = ['live', 'failed', 'rolled_back', 'cancelled'];

export const AppParams = z.strictObject({ tenant: TenantRef, app: z.union([Uuid, Slug]) });
export const DeploymentParams = AppParams.extend({ deploymentId: Uuid });
export const VariableParams = AppParams.extend({ key: EnvKey });
export const ServiceParams = AppParams.extend({ service: Slug.or(z.string().regex(/^[a-z]$/)) });

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

export const CreateAppBody = z.strictObject({
  name: Slug,
  displayName: DisplayName.optional(),
  image: Image,
  /** The container port HTTP is served on; the app gets a URL when set. */
  port: z.number().int().min(1).max(65535).optional(),
  replicas: Replicas.default(1),
  cpuMillis: CpuMillis.default(250),
  memoryMiB: MemoryMiB.default(128),
  command: Argv.optional(),
  healthcheck: AppHealthcheck.optional(),
  env: z.record(EnvKey, VariableValue).default({}),
  secrets: z.record(EnvKey, VariableValue).default({}),
  /** Cluster id or name; default: the tenant's own cluster, else the shared one. */
  cluster: z.string().min(1).max(100).optional(),
  /** Start the first deployment right away. */
  deploy: z.boolean().default(true),
});

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

export const App = z.object({
  id: Uuid,
  name: z.string(),
  displayName: z.string(),
  status: z.enum(APP_STATUSES),
  image: z.string(),
  port: z.number().int().nullable(),
  replicas: z.number().int(),
  cpuMillis: z.number().int(),
  memoryMiB: z.number().int(),
  command: z.array(z.string()).nullable(),
  healthcheck: z.unknown().nullable(),
  stopped: z.boolean(),
  service: z.string(),
  environment: z.string(),
  url: z.string().nullable(),
  cluster: z.object({ id: Uuid, name: z.string(), status: z.enum(['pending', 'ready', 'unreachable']) }),
  actual: ServiceStatus,
  currentDeploymentId: Uuid.nullable(),
  createdAt: Timestamp,
});
export type App = z.infer<typeof App>;

export const Deployment = z.object({
  id: Uuid,
  appId: Uuid,
  revision: z.number().int(),
  status: z.enum(DEPLOYMENT_STATUSES),
  reason: z.string().nullable(),
  image: z.string(),
  replicas: z.number().int(),
  rollbackOf: Uuid.nullable(),
  cancelRequested: z.boolean(),
  createdAt: Timestamp,
  startedAt: Timestamp.nullable(),
  finishedAt: Timestamp.nullable(),
});
export type Deployment = z.infer<typeof Deployment>;

export const CreatedApp = z.object({ app: App, deployment: Deployment.nullable() });

export const CreateDeploymentBody = z.strictObject({
  /** Redeploy an earlier revision (its image, settings, variables and secrets as they were). */
  rollbackTo: Uuid.optional(),
});

export const DeploymentEvent = z.object({
  seq: z.number().int(),
  at: Timestamp,
  kind: z.enum(['status', 'log']),
  message: z.string(),
});

export const LogsQuery = z.strictObject({
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
});
