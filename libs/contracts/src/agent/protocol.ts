import { MAX_SERVICES, StackSpec } from '@wharf/engine';
import { z } from 'zod';

/*
 * The agent protocol: what an agent (one per cluster, on its Swarm manager) and the API say to each other. The
 * agent dials out only: it registers with a one-time join token, then authenticates every call with its per-agent
 * credential (`Authorization: Bearer wharfa_…`), long-polls for commands, and reports results, heartbeats, events
 * and logs. Commands are durable rows in Postgres, delivered at least once: an agent applies each idempotently
 * (objects are found by name and label before anything is created; an unchanged spec is not updated).
 */

/** Prefix of a one-time join token (shown once when a cluster is created or a token is issued). */
export const JOIN_TOKEN_PREFIX = 'wharfj_';
/** Prefix of an agent's credential (stored hashed; rotatable and revocable). */
export const AGENT_CREDENTIAL_PREFIX = 'wharfa_';

const Id = z.uuid();
const Name = z.string().min(1).max(200);
/** Unix milliseconds. */
const Millis = z.number().int().min(0);

/** The environment of an app of a tenant that a command acts on (engine objects are named and labelled from it). */
export const StackScope = z.strictObject({
  tenantId: Id,
  app: z.string().min(1).max(63),
  environment: z.string().min(1).max(63),
});
export type StackScope = z.output<typeof StackScope>;

/** A login the engine pulls the stack's images with (decrypted by the API only when it hands the command over). */
export const RegistryAuth = z.strictObject({ serveraddress: Name, username: Name, password: z.string().max(4096) });

/** One stack as it should run: the normalised model plus the values it references. */
export const DesiredStack = z.strictObject({
  scope: StackScope,
  /** The deployment whose revision this is (labels every object it writes). */
  deploymentId: Id,
  stack: StackSpec,
  /** Stack secret name → value. In the database these are sealed; the API unseals them on delivery. */
  secrets: z.record(z.string(), z.string()).default({}),
  /** Stack config name → content. */
  configs: z.record(z.string(), z.string()).default({}),
  registryAuth: z.array(RegistryAuth).max(20).default([]),
  /** Service name → public host name the cluster's edge proxy routes to the service's HTTP port. */
  routes: z.record(z.string(), z.string().max(253)).default({}),
});
export type DesiredStack = z.output<typeof DesiredStack>;

export const AgentCommand = z.discriminatedUnion('kind', [
  /** Create or update every object of one stack, then wait until it converged, was rolled back, or failed. */
  z.strictObject({ kind: z.literal('stack.apply'), desired: DesiredStack, timeoutMs: z.number().int().min(1000).max(3_600_000) }),
  /**
   * The integration stage: deploy the stack (a temporary environment) with its test service as a job, wait for the
   * job, report its exit code and logs, then remove every object of the stack whatever happened.
   */
  z.strictObject({
    kind: z.literal('stack.test'),
    desired: DesiredStack,
    service: z.string().min(1).max(63),
    timeoutMs: z.number().int().min(1000).max(3_600_000),
  }),
  /** Set one service's replica count (0 stops it). */
  z.strictObject({
    kind: z.literal('service.scale'),
    scope: StackScope,
    service: z.string().min(1).max(63),
    replicas: z.number().int().min(0).max(100),
  }),
  /** Remove every engine object of a stack (services, networks, secrets, configs; volumes only when asked). */
  z.strictObject({ kind: z.literal('stack.remove'), scope: StackScope, volumes: z.boolean().default(false) }),
  /** Roll the stack's services back to their previous spec (a cancelled deployment). */
  z.strictObject({ kind: z.literal('stack.rollback'), scope: StackScope }),
  /**
   * Reconcile: make the engine match these stacks (recreate what was removed, restore replica counts, recreate
   * lost networks), and remove Wharf objects of this cluster that belong to no listed stack.
   */
  z.strictObject({
    kind: z.literal('cluster.converge'),
    stacks: z.array(DesiredStack).max(10_000),
    prune: z.boolean(),
    /** Stacks to leave alone, neither converged nor pruned (a deployment of them is in progress). */
    keep: z.array(StackScope).max(10_000).default([]),
  }),
  /** Send a service's log lines to `POST /logs/{streamId}` until the API answers `continue: false`. */
  z.strictObject({
    kind: z.literal('logs.stream'),
    streamId: Id,
    scope: StackScope,
    service: z.string().min(1).max(63),
    follow: z.boolean(),
    sinceMs: Millis.optional(),
    tail: z.number().int().min(0).max(10_000).default(200),
  }),
]);
export type AgentCommand = z.output<typeof AgentCommand>;
export type AgentCommandKind = AgentCommand['kind'];

/** A service as the engine runs it, reported in heartbeats and command results. */
export const ServiceState = z.strictObject({
  scope: StackScope,
  service: z.string(),
  desired: z.number().int().min(0),
  running: z.number().int().min(0),
  /** Running tasks whose health check passes (equal to `running` without a health check). */
  healthy: z.number().int().min(0),
  /** Swarm's update state (`updating`, `completed`, `rollback_completed`, `paused`…), if an update ran. */
  updateState: z.string().max(64).optional(),
  deploymentId: z.string().max(64).optional(),
  /** The last task error, if any. */
  message: z.string().max(2000).optional(),
});
export type ServiceState = z.output<typeof ServiceState>;

/** What `stack.apply` ends with. */
export const ApplyResult = z.strictObject({
  outcome: z.enum(['live', 'rolled_back', 'failed']),
  reason: z.string().max(4000).optional(),
  services: z.array(ServiceState).max(MAX_SERVICES),
});
export type ApplyResult = z.output<typeof ApplyResult>;

/** What `stack.test` ends with. */
export const TestRunResult = z.strictObject({
  outcome: z.enum(['passed', 'failed']),
  /** The test container's exit code (null when it never ran to an end: the stack failed first, or a timeout). */
  exitCode: z.number().int().nullable(),
  reason: z.string().max(4000).optional(),
  /** The test service's last log lines. */
  logs: z.array(z.string().max(4000)).max(500),
});
export type TestRunResult = z.output<typeof TestRunResult>;

/** What `cluster.converge` ends with: what it had to repair. */
export const ConvergeResult = z.strictObject({
  created: z.array(z.string().max(200)).max(100_000),
  updated: z.array(z.string().max(200)).max(100_000),
  removed: z.array(z.string().max(200)).max(100_000),
  services: z.array(ServiceState).max(100_000),
});
export type ConvergeResult = z.output<typeof ConvergeResult>;

export const EngineInfo = z.strictObject({
  version: z.string().max(64),
  apiVersion: z.string().max(16),
  os: z.string().max(200),
  swarmNodeId: z.string().max(64),
  swarmClusterId: z.string().max(64).optional(),
});

export const NodeInfo = z.strictObject({
  id: z.string().max(64),
  hostname: z.string().max(253),
  addr: z.string().max(64),
  role: z.enum(['manager', 'worker']),
  state: z.string().max(32),
  availability: z.string().max(32),
  cpus: z.number().min(0),
  memoryBytes: z.number().int().min(0),
  labels: z.record(z.string(), z.string()).default({}),
});
export type NodeInfo = z.output<typeof NodeInfo>;

// ---------------------------------------------------------------------------------------------------------------
// Messages (bodies of the agent endpoints)
// ---------------------------------------------------------------------------------------------------------------

export const RegisterRequest = z.strictObject({
  joinToken: z.string().startsWith(JOIN_TOKEN_PREFIX).max(200),
  name: z.string().min(1).max(100),
  engine: EngineInfo,
});
export const RegisterResponse = z.strictObject({ agentId: Id, clusterId: Id, credential: z.string() });

export const PollRequest = z.strictObject({
  /** The first poll of a (re)started agent: commands it had been given and not finished are handed over again. */
  restarted: z.boolean().default(false),
  /** How long the API may hold the request open when nothing is pending. */
  waitMs: z.number().int().min(0).max(30_000).default(25_000),
  /** How many commands at most. */
  max: z.number().int().min(1).max(100).default(20),
});
export const DeliveredCommand = z.strictObject({ id: Id, command: AgentCommand });
export type DeliveredCommand = z.output<typeof DeliveredCommand>;
export const PollResponse = z.strictObject({ commands: z.array(DeliveredCommand) });

export const CommandResult = z.discriminatedUnion('ok', [
  z.strictObject({ ok: z.literal(true), result: z.unknown().optional() }),
  z.strictObject({ ok: z.literal(false), error: z.string().max(4000) }),
]);
export type CommandResult = z.output<typeof CommandResult>;

/** A step of a running command (shown in the deployment's log). */
export const CommandProgress = z.strictObject({ message: z.string().max(4000), at: Millis });

export const Heartbeat = z.strictObject({
  engine: EngineInfo,
  nodes: z.array(NodeInfo).max(10_000),
  services: z.array(ServiceState).max(100_000),
  /** Commands being executed: their delivery leases are extended. */
  running: z.array(Id).max(1000).default([]),
  version: z.string().max(64),
});
export const HeartbeatResponse = z.strictObject({ intervalMs: z.number().int() });

export const EngineEvent = z.strictObject({
  at: Millis,
  /** `container`, `service`, `node`, `network`, … */
  type: z.string().max(32),
  action: z.string().max(64),
  scope: StackScope.optional(),
  service: z.string().max(63).optional(),
  message: z.string().max(2000),
});
export const EventsRequest = z.strictObject({ events: z.array(EngineEvent).min(1).max(1000) });

export const LogLine = z.strictObject({
  at: Millis,
  /** Which replica (task slot) or container wrote it. */
  source: z.string().max(100),
  stream: z.enum(['stdout', 'stderr']),
  line: z.string().max(16_384),
});
export type LogLine = z.output<typeof LogLine>;
export const LogBatch = z.strictObject({ lines: z.array(LogLine).max(5000), done: z.boolean().default(false) });
export const LogBatchResponse = z.strictObject({ continue: z.boolean() });

export const RotateResponse = z.strictObject({ credential: z.string() });

/** Paths of the agent API (outside the public `/api/v1`: agents are not users and are not in the OpenAPI doc). */
export const AGENT_PATHS = {
  register: '/api/agent/v1/register',
  poll: '/api/agent/v1/commands/poll',
  result: '/api/agent/v1/commands/{commandId}/result',
  progress: '/api/agent/v1/commands/{commandId}/progress',
  heartbeat: '/api/agent/v1/heartbeat',
  events: '/api/agent/v1/events',
  logs: '/api/agent/v1/logs/{streamId}',
  rotate: '/api/agent/v1/credential/rotate',
} as const;

/**
 * Applies `fn` to every secret value a command carries (stack secrets and registry passwords). The worker seals
 * them with it before a command is stored; the API unseals them when it hands the command to the agent.
 */
export function mapCommandSecrets(command: AgentCommand, fn: (value: string, tenantId: string) => string): AgentCommand {
  const stack = (d: DesiredStack): DesiredStack => ({
    ...d,
    secrets: Object.fromEntries(Object.entries(d.secrets).map(([k, v]) => [k, fn(v, d.scope.tenantId)])),
    registryAuth: d.registryAuth.map((r) => ({ ...r, password: fn(r.password, d.scope.tenantId) })),
  });
  if (command.kind === 'stack.apply' || command.kind === 'stack.test') return { ...command, desired: stack(command.desired) };
  if (command.kind === 'cluster.converge') return { ...command, stacks: command.stacks.map(stack) };
  return command;
}
