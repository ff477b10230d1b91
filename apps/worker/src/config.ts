import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseLocalDatacenters, parseRelays } from '@wharf/providers';
import { z } from 'zod';

const int = (def: number, min = 0) => z.coerce.number().int().min(min).default(def);
const bool = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');
const list = <T extends string>(values: readonly [T, ...T[]], def: string) =>
  z
    .string()
    .default(def)
    .transform((v) => v.split(',').map((x) => x.trim()))
    .pipe(z.array(z.enum(values)).min(1));

/** apps/agent/dist/main.js of this checkout (the worker runs from apps/worker/dist or apps/worker/src). */
const AGENT_MAIN = resolve(dirname(fileURLToPath(import.meta.url)), '../../agent/dist/main.js');

export const WorkerConfigSchema = z.object({
  DATABASE_URL: z.string().regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL'),
  DATABASE_POOL_SIZE: int(10, 1),
  REDIS_URL: z.string().regex(/^rediss?:\/\//, 'must be a redis:// URL'),
  MASTER_KEY: z.string().refine((v) => Buffer.from(v, 'base64').length === 32, 'must be 32 bytes, base64-encoded'),
  QUEUE_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,64}$/)
    .default('wharf'),
  /** Deploys this process runs at once (each mostly waits on its cluster). */
  DEPLOY_CONCURRENCY: int(8, 1),
  /** A deployment that has not converged after this long fails. */
  DEPLOY_TIMEOUT_MS: int(600_000, 1000),
  /** How often every cluster is reconciled. */
  RECONCILE_INTERVAL_MS: int(30_000, 500),
  /** A cluster whose agent has been silent this long is marked unreachable. */
  CLUSTER_SILENT_MS: int(20_000, 1000),
  /** A deployment still queued this long is enqueued again (its job may have been lost between API and Redis). */
  STALE_QUEUED_MS: int(60_000, 500),
  /** A killed worker's jobs are taken over after about this long. */
  LOCK_DURATION_MS: int(10_000, 1000),
  /** What this process does: deploys, reconciles, builds (a builder pool runs with `build` only, near its engine). */
  WORKER_ROLES: list(['deploy', 'reconcile', 'build', 'host'], 'deploy,reconcile,build,host'),
  /** The build regions whose queues this process's builders take (`build-<region>`). */
  BUILD_REGIONS: list(['global', 'cn'], 'global,cn'),
  /** Builds this process runs at once. */
  BUILD_CONCURRENCY: int(2, 1),
  /** The Docker engine builds run on (never a tenant's application host). */
  BUILD_DOCKER_SOCKET: z.string().default('/var/run/docker.sock'),
  /** `auto`: BuildKit, or the classic builder when per-build CPU and memory limits must apply (BuildKit ignores them). */
  BUILD_BUILDER: z.enum(['auto', 'buildkit', 'legacy']).default('auto'),
  /** CPU (millicores) and memory of each build's steps; 0 = no limit. */
  BUILD_CPU_MILLIS: int(0),
  BUILD_MEMORY_MIB: int(0),
  /** The largest build context sent to the engine. */
  BUILD_CONTEXT_MAX_MIB: int(500, 1),
  /** Images kept per app in the registry (besides those deployments run). */
  BUILD_KEEP_IMAGES: int(10, 1),
  /** Where the builder keeps each app's last checkout (its next build fetches only the new commit). */
  BUILD_CHECKOUT_CACHE_DIR: z.string().default(join(tmpdir(), 'wharf-checkouts')),
  /** Apps whose checkouts are kept (the least recently built go first); 0 = a fresh clone for every build. */
  BUILD_CHECKOUT_CACHE_APPS: int(50),
  /** Base images of the Dockerfiles Wharf writes (JSON: node, python, go, java, static); default: the local ones. */
  BUILD_BASE_IMAGES: z.string().optional(),
  /** The platform registry builds push to: `host[:port]` in image names, and its HTTP API for retention. */
  REGISTRY: z.string().default('127.0.0.1:5000'),
  REGISTRY_URL: z.url().default('http://127.0.0.1:5000'),
  REGISTRY_USERNAME: z.string().optional(),
  REGISTRY_PASSWORD: z.string().optional(),
  /** Accept `http://` repositories and private or loopback hosts (local development and tests only). */
  GIT_ALLOW_LOCAL: bool.default(false),
  /** Earlier master keys still accepted (cloud account secrets sealed under them), comma-separated base64. */
  MASTER_KEYS_PREVIOUS: z.string().default(''),
  /** Host provisioning: jobs this process runs at once (each mostly waits on a provider or an agent). */
  HOSTS_CONCURRENCY: int(4, 1),
  /** The API URL a new host's agent registers with and polls (reachable from the host: outbound only). */
  HOSTS_AGENT_API_URL: z.url().default('http://127.0.0.1:3000'),
  /** Where cloud-init fetches the agent (its one-file bundle); default: the API's, `<HOSTS_AGENT_API_URL>/api/v1/agent/wharf-agent.mjs`. */
  HOSTS_AGENT_PACKAGE_URL: z.url().optional(),
  /** How long a machine may take to run, its agent to register, a drain to finish. */
  HOSTS_BOOT_TIMEOUT_MS: int(600_000, 1000),
  HOSTS_BOOTSTRAP_TIMEOUT_MS: int(900_000, 1000),
  HOSTS_DRAIN_TIMEOUT_MS: int(600_000, 1000),
  /** How often a waiting step looks again (the job goes back to the queue meanwhile). */
  HOSTS_POLL_MS: int(2_000, 100),
  /** How often the leak sweep lists every account's tagged machines and terminates those no live host owns. */
  HOSTS_SWEEP_INTERVAL_MS: int(600_000, 1000),
  /** The `local` provider: machine records and engines (≤ 60 characters), bridge, subnet, registry, agent. */
  HOSTS_LOCAL_STATE_DIR: z.string().max(60).default('/var/lib/wharf/hosts'),
  HOSTS_LOCAL_BRIDGE: z.string().default('wharfbr0'),
  HOSTS_LOCAL_SUBNET: z.string().default('10.213.0.0/24'),
  HOSTS_LOCAL_REGISTRY: z.string().optional(),
  /** The agent build started in each local machine (`node <this>`). */
  HOSTS_LOCAL_AGENT: z.string().default(AGENT_MAIN),
  /**
   * More datacenters of the `local` provider, each a region with its own bridge and subnet (JSON: `[{"region",
   * "bridge", "subnet", "registry"?, "isolated"?, "stateDir"?}]`; see libs/providers/src/local/datacenters.ts). The
   * API must be given the same list (it admits hosts to these regions).
   */
  HOSTS_LOCAL_DATACENTERS: z
    .string()
    .default('')
    .transform((v, ctx) => {
      try {
        return parseLocalDatacenters(v);
      } catch (err) {
        ctx.addIssue({ code: 'custom', message: (err as Error).message });
        return z.NEVER;
      }
    }),
  /**
   * Services of this machine the local machines must reach, relayed from each local bridge's own address:
   * `<port>=<host>:<port>,…` (e.g. `3000=127.0.0.1:3000,5000=127.0.0.1:5000` for an API and a registry listening
   * on loopback; then HOSTS_AGENT_API_URL `http://10.213.0.1:3000`, HOSTS_LOCAL_REGISTRY `10.213.0.1:5000`).
   * Opened by a worker of the `host` role while it runs; empty: none.
   */
  HOSTS_LOCAL_RELAYS: z
    .string()
    .default('')
    .transform((v, ctx) => {
      try {
        return parseRelays(v);
      } catch (err) {
        ctx.addIssue({ code: 'custom', message: (err as Error).message });
        return z.NEVER;
      }
    }),
  /** The edge proxy of each local machine: the caddy binary (`off`: none), and where it serves apps in the machine. */
  HOSTS_LOCAL_CADDY: z.string().min(1).default('caddy'),
  HOSTS_LOCAL_EDGE_LISTEN: z
    .string()
    .regex(/^:\d{1,5}$/, 'a port such as :80')
    .default(':80'),
  /** The platform's Aliyun AccessKey: tenants' RAM roles are assumed with it. */
  ALIYUN_PLATFORM_ACCESS_KEY_ID: z.string().optional(),
  ALIYUN_PLATFORM_ACCESS_KEY_SECRET: z.string().optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});
export type WorkerConfig = z.infer<typeof WorkerConfigSchema>;

export function loadWorkerConfig(env: NodeJS.ProcessEnv = process.env): WorkerConfig {
  const parsed = WorkerConfigSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new Error(`invalid worker configuration:\n${lines.join('\n')}`);
  }
  return parsed.data;
}
