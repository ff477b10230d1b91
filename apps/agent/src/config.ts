import { hostname } from 'node:os';
import { z } from 'zod';
import { ConfigError } from './errors.js';

/** What the agent process is started with (from the environment; see README of the agent). */
export interface AgentConfig {
  apiUrl: string;
  /** Only used when there is no state file yet (first start). */
  joinToken?: string;
  statePath: string;
  name: string;
  dockerSocket: string;
  /** Caddy's admin API; undefined (`CADDY_ADMIN_URL=off`) runs no edge proxy. */
  caddyAdminUrl?: string;
  proxyListen: string;
  heartbeatMs: number;
  /** How often container stats are sampled and reported (`WHARF_STATS_MS`, default 15 s; 0: never). */
  statsIntervalMs: number;
  /** Rotate the credential once at start (`WHARF_AGENT_ROTATE=1`). */
  rotate: boolean;
  /**
   * A host's own agent (`WHARF_AGENT_HOST=1`, set by cloud-init and the local provider): it starts before its engine
   * is in a Swarm (the host workflow joins it through this agent), so a non-manager engine is not an error.
   */
  hostAgent: boolean;
  /** A host agent's machine address (`WHARF_AGENT_ADDR`, written by a brought host's install script). */
  advertiseAddr?: string;
  /**
   * A broker (`WHARF_AGENT_BROKER=1`, broker mode): no engine of its own; it drives the `ssh` hosts the API attaches
   * to it, each through a host agent inside this process that reaches the host's engine over SSH.
   */
  broker?: true;
}

const HttpUrl = z.url({ protocol: /^https?$/ }).transform((u) => u.replace(/\/+$/, ''));

const Env = z.object({
  WHARF_API_URL: HttpUrl,
  WHARF_JOIN_TOKEN: z.string().min(1).optional(),
  WHARF_AGENT_STATE: z.string().min(1).default('/var/lib/wharf-agent/state.json'),
  WHARF_AGENT_NAME: z.string().min(1).max(100).optional(),
  DOCKER_SOCK: z.string().min(1).default('/var/run/docker.sock'),
  CADDY_ADMIN_URL: z.union([z.literal('off'), HttpUrl]).default('http://127.0.0.1:2019'),
  WHARF_PROXY_LISTEN: z
    .string()
    .regex(/^(?:[A-Za-z0-9.-]*|\[[0-9a-fA-F:]+\]):\d{1,5}$/, 'a listen address like ":8088" or "127.0.0.1:8088"')
    .default(':8088'),
  WHARF_HEARTBEAT_MS: z.coerce.number().int().min(1000).max(300_000).default(5000),
  WHARF_STATS_MS: z.coerce
    .number()
    .int()
    .refine((ms) => ms === 0 || (ms >= 200 && ms <= 3_600_000), '0 (off) or 200 to 3600000 milliseconds')
    .default(15_000),
  WHARF_AGENT_ROTATE: z.enum(['0', '1', 'true', 'false', '']).optional(),
  WHARF_AGENT_HOST: z.enum(['0', '1', 'true', 'false', '']).optional(),
  WHARF_AGENT_ADDR: z.union([z.ipv4(), z.ipv6()]).optional(),
  WHARF_AGENT_BROKER: z.enum(['0', '1', 'true', 'false', '']).optional(),
});

/** Reads the agent's configuration; throws ConfigError naming every bad variable. */
export function loadConfig(env: Record<string, string | undefined>): AgentConfig {
  const parsed = Env.safeParse(Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== '')));
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.') || 'environment'}: ${i.message}`);
    throw new ConfigError(`invalid configuration: ${problems.join('; ')}`);
  }
  const e = parsed.data;
  return {
    apiUrl: e.WHARF_API_URL,
    ...(e.WHARF_JOIN_TOKEN !== undefined ? { joinToken: e.WHARF_JOIN_TOKEN } : {}),
    statePath: e.WHARF_AGENT_STATE,
    name: e.WHARF_AGENT_NAME ?? hostname(),
    dockerSocket: e.DOCKER_SOCK,
    ...(e.CADDY_ADMIN_URL !== 'off' ? { caddyAdminUrl: e.CADDY_ADMIN_URL } : {}),
    proxyListen: e.WHARF_PROXY_LISTEN,
    heartbeatMs: e.WHARF_HEARTBEAT_MS,
    statsIntervalMs: e.WHARF_STATS_MS,
    rotate: e.WHARF_AGENT_ROTATE === '1' || e.WHARF_AGENT_ROTATE === 'true',
    hostAgent: e.WHARF_AGENT_HOST === '1' || e.WHARF_AGENT_HOST === 'true',
    ...(e.WHARF_AGENT_ADDR !== undefined ? { advertiseAddr: e.WHARF_AGENT_ADDR } : {}),
    ...(e.WHARF_AGENT_BROKER === '1' || e.WHARF_AGENT_BROKER === 'true' ? { broker: true as const } : {}),
  };
}
