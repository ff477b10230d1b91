import { parseLocalDatacenters } from '@wharf/providers';
import { z } from 'zod';

const bool = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');
const int = (def: number, min = 0) => z.coerce.number().int().min(min).default(def);

/** Every environment variable the API reads. README documents each; start-up refuses a bad one by name. */
export const ConfigSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  API_HOST: z.string().default('127.0.0.1'),
  API_PORT: int(4000, 0),
  /** Processes serving the port (node:cluster); every one is stateless, like replicas behind a load balancer. */
  API_WORKERS: int(1, 1),
  PUBLIC_URL: z.url().default('http://localhost:3000'),
  DATABASE_URL: z.string().regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL'),
  DATABASE_POOL_SIZE: int(20, 1),
  REDIS_URL: z.string().regex(/^rediss?:\/\//, 'must be a redis:// URL'),
  JWT_SECRET: z.string().min(32, 'must be at least 32 characters'),
  MASTER_KEY: z
    .string()
    .refine((v) => Buffer.from(v, 'base64').length === 32, 'must be 32 bytes, base64-encoded (head -c 32 /dev/urandom | base64)'),
  /**
   * Master keys retired by a rotation, comma-separated (base64 each): values still wrapped by one of them keep
   * opening until `cli.js rotate-master-key` has re-wrapped them under MASTER_KEY.
   */
  MASTER_KEYS_PREVIOUS: z
    .string()
    .default('')
    .refine(
      (v) =>
        v
          .split(',')
          .filter((k) => k.trim() !== '')
          .every((k) => Buffer.from(k.trim(), 'base64').length === 32),
      'comma-separated master keys, 32 bytes each, base64-encoded',
    ),
  /** Wharf's own AWS account: the roles tenants make for Wharf trust it (with the tenant's ExternalId). */
  AWS_PLATFORM_ACCOUNT_ID: z
    .string()
    .regex(/^\d{12}$/, 'a 12-digit AWS account id')
    .default('000000000000'),
  /** Wharf's own Aliyun AccessKey, which assumes the RAM roles tenants make for Wharf (role-based Aliyun accounts). */
  ALIYUN_PLATFORM_ACCESS_KEY_ID: z.string().optional(),
  ALIYUN_PLATFORM_ACCESS_KEY_SECRET: z.string().optional(),
  ACCESS_TOKEN_TTL_SECONDS: int(900, 30),
  REFRESH_TOKEN_TTL_SECONDS: int(30 * 24 * 3600, 60),
  LOGIN_RATE_LIMIT_PER_IP: int(30, 1),
  LOGIN_RATE_LIMIT_PER_ACCOUNT: int(10, 1),
  SIGNUP_RATE_LIMIT_PER_IP: int(10, 1),
  RATE_LIMIT_WINDOW_SECONDS: int(60, 1),
  BODY_LIMIT_BYTES: int(1_048_576, 1024),
  TRUST_PROXY: bool.default(false),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Key prefix of the BullMQ queues (the worker must use the same). */
  QUEUE_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,64}$/)
    .default('wharf'),
  /** How long an agent holds a command it was given before it is handed out again (its heartbeats extend it). */
  AGENT_COMMAND_LEASE_MS: int(60_000, 1000),
  /** The API's address as the outside world reaches it (webhook URLs given to GitHub, GitLab, Gitee). */
  API_PUBLIC_URL: z
    .url()
    .default('http://127.0.0.1:4000')
    .transform((u) => u.replace(/\/+$/, '')),
  /** Hosting APIs listing a connected account's repositories (tests point them at local servers). */
  GITHUB_API_URL: z.url().default('https://api.github.com'),
  GITLAB_API_URL: z.url().default('https://gitlab.com/api/v4'),
  GITEE_API_URL: z.url().default('https://gitee.com/api/v5'),
  /** Accept `http://` repositories and private or loopback hosts (local development and tests only). */
  GIT_ALLOW_LOCAL: bool.default(false),
  /** Queued and running builds one tenant may have at once (the rest are refused with 429). */
  BUILD_BACKLOG_PER_TENANT: int(200, 1),
  /** How old a webhook delivery may be (where the provider signs a timestamp: Gitee). */
  WEBHOOK_MAX_AGE_SECONDS: int(300, 10),
  /** How often agents send heartbeats. */
  AGENT_HEARTBEAT_MS: int(5_000, 100),
  /**
   * How long a brought host's install command works, and then its agent's registration token (from when the
   * script was fetched). The command's URL is `API_PUBLIC_URL`/api/v1/install/<token>.
   */
  HOSTS_INSTALL_TOKEN_TTL_MS: int(3_600_000, 10_000),
  /** The extra datacenters of the `local` provider (the worker's HOSTS_LOCAL_DATACENTERS): their regions are admitted. */
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
  /** The agent file brought hosts download (default: apps/agent's bundle, `@wharf/agent/bundle`). */
  AGENT_BUNDLE_PATH: z.string().default(''),
});
export type Config = z.infer<typeof ConfigSchema>;

export class ConfigError extends Error {}

/** Parses the environment; the error names every bad variable and says what it must be. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const result = ConfigSchema.safeParse(env);
  if (result.success) return result.data;
  const lines = result.error.issues.map((i) => {
    const name = String(i.path[0]);
    const message = i.code === 'invalid_type' && env[name] === undefined ? 'is required' : i.message;
    return `  ${name}: ${message}`;
  });
  throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
}

export const CONFIG = Symbol('CONFIG');
