import { MAX_SERVICES, StackSpec } from '@wharf/engine';
import { z } from 'zod';
import { DockerSocketPath, PosixUserName, SshAddress, SshHostKeyLine } from '../ssh.js';

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

/** An address a Swarm engine listens on or is reached at: an IPv4 address, a host name or a [IPv6], port optional. */
const SwarmAddr = z
  .string()
  .max(255)
  .regex(/^(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?)(:\d{1,5})?$/, 'expected host or host:port');
/** A Swarm node id (the engine's, base36). */
const SwarmNodeId = z.string().regex(/^[0-9a-z]{1,64}$/, 'expected a Swarm node id');
export const NodeAvailability = z.enum(['active', 'pause', 'drain']);
export const NodeRole = z.enum(['manager', 'worker']);

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
  // ---- Swarm membership (provisioning and deprovisioning of hosts); each is idempotent ----
  /** Make this host's engine the first manager of a new Swarm. Already a manager: its node id. → SwarmNodeResult */
  z.strictObject({ kind: z.literal('swarm.init'), advertiseAddr: SwarmAddr }),
  /** (A manager) the Swarm's join tokens. → SwarmJoinTokensResult, which CARRIES SECRETS: seal it before storing. */
  z.strictObject({ kind: z.literal('swarm.join-tokens') }),
  /**
   * Join this host's engine to the Swarm of the manager at `remoteAddr`. Already in that Swarm: its node id.
   * `token` IS A SECRET (a Swarm join token): never logged, sealed at rest. → SwarmNodeResult
   */
  z.strictObject({
    kind: z.literal('swarm.join'),
    remoteAddr: SwarmAddr,
    token: z
      .string()
      .max(200)
      .regex(/^SWMTKN-1-[0-9a-z]+-[0-9a-z]+$/, 'expected a Swarm join token'),
    advertiseAddr: SwarmAddr,
  }),
  /** Take this host's engine out of its Swarm (a manager only with `force`). Not in one: `left: false`. */
  z.strictObject({ kind: z.literal('swarm.leave'), force: z.boolean() }),
  /** (A manager) set a node's availability (`drain` moves its tasks off) and/or role. → NodeUpdateResult */
  z.strictObject({
    kind: z.literal('node.update'),
    nodeId: SwarmNodeId,
    availability: NodeAvailability.optional(),
    role: NodeRole.optional(),
  }),
  /** (A manager) a node's state and the tasks still running on it (polled until a drain finished). */
  z.strictObject({ kind: z.literal('node.status'), nodeId: SwarmNodeId }),
  /** (A manager) remove a node from the Swarm's node list (it left, or is gone). Unknown: `removed: false`. */
  z.strictObject({ kind: z.literal('node.remove'), nodeId: SwarmNodeId, force: z.boolean() }),
  // ---- Broker mode: addressed to a broker only (the only commands a broker runs); each is idempotent ----
  /**
   * Start (or keep) the host agent of an `ssh` host inside the broker: it reaches `user@address:port` with the
   * broker's key, accepts only `hostKey`, and registers with `registrationToken` — A SECRET (a one-time join token):
   * never logged, sealed at rest. The same hostId again: the same agent. → BrokerAttachResult
   */
  z.strictObject({
    kind: z.literal('broker.attach'),
    hostId: Id,
    address: SshAddress,
    port: z.number().int().min(1).max(65_535),
    user: PosixUserName,
    hostKey: SshHostKeyLine,
    dockerSocket: DockerSocketPath,
    registrationToken: z.string().startsWith(JOIN_TOKEN_PREFIX).max(200),
  }),
  /** Stop the host agent of an `ssh` host and forget the host (not attached: `detached: false`). */
  z.strictObject({ kind: z.literal('broker.detach'), hostId: Id }),
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

/** What `swarm.init` and `swarm.join` end with: this engine's Swarm node id. */
export const SwarmNodeResult = z.strictObject({ nodeId: z.string().max(64) });
export type SwarmNodeResult = z.output<typeof SwarmNodeResult>;

/**
 * What `swarm.join-tokens` ends with. CARRIES SECRETS: either token lets a machine join the Swarm (the manager one
 * as a manager). The API seals this result before storing it, and it is never logged or shown.
 */
export const SwarmJoinTokensResult = z.strictObject({
  manager: z.string().max(200),
  worker: z.string().max(200),
  /** `<advertise addr>:2377` of the manager that answered: the `remoteAddr` of a `swarm.join`. */
  managerAddr: z.string().max(262),
});
export type SwarmJoinTokensResult = z.output<typeof SwarmJoinTokensResult>;
/** Command kinds whose result carries secrets (sealed at rest, never logged). */
export const SECRET_RESULT_KINDS: readonly AgentCommandKind[] = ['swarm.join-tokens'];

/** What `swarm.leave` ends with (false: the engine was in no Swarm). */
export const SwarmLeaveResult = z.strictObject({ left: z.boolean() });
/** What `broker.attach` ends with: whether the host agent was started now (false: it was running already). */
export const BrokerAttachResult = z.strictObject({ started: z.boolean() });
export const BrokerDetachResult = z.strictObject({ detached: z.boolean() });
/** Command kinds a broker runs (and the only ones): any other is refused by a broker, these by any other agent. */
export const BROKER_COMMAND_KINDS = ['broker.attach', 'broker.detach'] as const satisfies readonly AgentCommandKind[];
export type SwarmLeaveResult = z.output<typeof SwarmLeaveResult>;

/** What `node.update` ends with: the node's spec as it now is. */
export const NodeUpdateResult = z.strictObject({ availability: NodeAvailability, role: NodeRole });
export type NodeUpdateResult = z.output<typeof NodeUpdateResult>;

/** What `node.status` ends with. */
export const NodeStatusResult = z.strictObject({
  /** `ready`, `down`, `unknown`, `disconnected`. */
  state: z.string().max(32),
  availability: NodeAvailability,
  role: NodeRole,
  /** Managers only: raft membership. */
  managerStatus: z.strictObject({ leader: z.boolean(), reachability: z.string().max(32), addr: z.string().max(262) }).optional(),
  /** Tasks on the node meant to run (desired state `running`) that are running or starting. */
  runningTasks: z.number().int().min(0),
  /**
   * Tasks on the node told to stop (by a drain, an update, a scale-down) whose container is still running or
   * starting. A drain has finished when both counts are 0.
   */
  stoppingTasks: z.number().int().min(0),
});
export type NodeStatusResult = z.output<typeof NodeStatusResult>;

/** What `node.remove` ends with (false: no such node). */
export const NodeRemoveResult = z.strictObject({ removed: z.boolean() });
export type NodeRemoveResult = z.output<typeof NodeRemoveResult>;

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
  /**
   * A host's own agent: what Wharf cannot know of a machine it did not create (a brought host), recorded on the
   * host when it has none: the address its engine advertises in the Swarm, its CPUs and memory (from the engine).
   */
  machine: z
    .strictObject({
      advertiseAddr: z.union([z.ipv4(), z.ipv6()]).optional(),
      cpus: z.number().int().min(0).max(100_000).optional(),
      memoryBytes: z.number().int().min(0).optional(),
    })
    .optional(),
  /** A broker (broker mode): the public half of the SSH key it logs in to its hosts with. */
  broker: z.strictObject({ sshPublicKey: SshHostKeyLine }).optional(),
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
  stats: '/api/agent/v1/stats',
  rotate: '/api/agent/v1/credential/rotate',
} as const;

/**
 * Applies `fn` to every secret value a command carries (stack secrets, registry passwords, a Swarm join token, an
 * `ssh` host's registration token). The
 * worker seals them with it before a command is stored; the API unseals them when it hands the command to the agent.
 * A stack's values are bound to the stack's tenant; a join token to `tenantId`, the tenant of the command (its host's).
 */
export function mapCommandSecrets(
  command: AgentCommand,
  fn: (value: string, tenantId: string) => string,
  tenantId: string | null,
): AgentCommand {
  if (command.kind === 'swarm.join') {
    if (tenantId === null) throw new Error('a swarm.join command belongs to a tenant (its host’s)');
    return { ...command, token: fn(command.token, tenantId) };
  }
  if (command.kind === 'broker.attach') {
    if (tenantId === null) throw new Error('a broker.attach command belongs to a tenant (its host’s)');
    return { ...command, registrationToken: fn(command.registrationToken, tenantId) };
  }
  const stack = (d: DesiredStack): DesiredStack => ({
    ...d,
    secrets: Object.fromEntries(Object.entries(d.secrets).map(([k, v]) => [k, fn(v, d.scope.tenantId)])),
    registryAuth: d.registryAuth.map((r) => ({ ...r, password: fn(r.password, d.scope.tenantId) })),
  });
  if (command.kind === 'stack.apply' || command.kind === 'stack.test') return { ...command, desired: stack(command.desired) };
  if (command.kind === 'cluster.converge') return { ...command, stacks: command.stacks.map(stack) };
  return command;
}
