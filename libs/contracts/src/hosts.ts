import { z } from 'zod';
import { Timestamp, Uuid } from './common.js';
import { TenantParams } from './schemas.js';
import { DEFAULT_DOCKER_SOCKET, DockerSocketPath, PosixUserName, SshAddress, SshHostKeyLine } from './ssh.js';

/*
 * Hosts of a tenant's dedicated cluster: machines Wharf creates on one of the tenant's cloud accounts (`aws`,
 * `aliyun`) or with the embedded `local` provider, bootstraps (Docker and the agent), joins to the cluster's Swarm,
 * and on delete drains, removes from the Swarm and terminates. The client follows `state`.
 */

export const HOST_PROVIDERS = ['local', 'aws', 'aliyun'] as const;
export const HostProviderName = z.enum(HOST_PROVIDERS);

export const HOST_STATES = [
  'requested',
  'creating',
  'booting',
  'bootstrapping',
  'joining',
  'ready',
  'draining',
  'leaving',
  'terminating',
  'terminated',
  'failed',
] as const;
export const HostStateName = z.enum(HOST_STATES);
/** The two ends: a host in these holds no machine and counts nowhere (quotas, its cluster, its account). */
export const ENDED_HOST_STATES = ['terminated', 'failed'] as const satisfies readonly (typeof HOST_STATES)[number][];
/** Every state but the ends: the hosts that still count. */
export const LIVE_HOST_STATES: readonly (typeof HOST_STATES)[number][] = HOST_STATES.filter(
  (s) => !(ENDED_HOST_STATES as readonly string[]).includes(s),
);

/** A DNS label: the host's name in its cluster (and the machine's name at the provider). */
export const HostName = z
  .string()
  .max(63, { abort: true })
  .regex(/^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/, 'lowercase letters, digits and inner hyphens (a DNS label, 63 at most)');
/** A region or zone id as providers spell them (`eu-west-1`, `eu-west-1a`, `cn-hangzhou-k`, `local`). */
export const RegionId = z
  .string()
  .max(64, { abort: true })
  .regex(/^[a-z0-9][a-z0-9-]*$/, 'a region id such as eu-west-1');
/** `t3.small`, `ecs.g7.large`, `local.small`. */
export const InstanceTypeId = z
  .string()
  .max(64, { abort: true })
  .regex(/^[a-z0-9][a-z0-9.-]*$/, 'an instance type such as t3.small');

/** A machine Wharf creates: on a cloud account's provider, or with the embedded `local` provider. */
const CreateMachineHostBody = z
  .strictObject({
    provider: HostProviderName,
    /** The cloud account the machine is created in (clouds only). */
    cloudAccountId: Uuid.optional(),
    region: RegionId,
    zone: RegionId.optional(),
    instanceType: InstanceTypeId,
    name: HostName,
  })
  .superRefine((b, ctx) => {
    if (b.provider === 'local' && b.cloudAccountId !== undefined)
      ctx.addIssue({ code: 'custom', path: ['cloudAccountId'], message: 'the local provider takes no cloud account' });
    if (b.provider !== 'local' && b.cloudAccountId === undefined)
      ctx.addIssue({ code: 'custom', path: ['cloudAccountId'], message: `required for ${b.provider}` });
  });

/** The region a brought host is recorded in when none is given. */
export const BYO_REGION = 'byo';

/**
 * A machine the tenant brings (`byo`): Wharf creates nothing; the answer carries a one-line install command that
 * installs Docker and the agent on it. `region` is only a label of the tenant's (default `byo`).
 */
export const CreateByoHostBody = z.strictObject({
  provider: z.literal('byo'),
  region: RegionId.default(BYO_REGION),
  name: HostName,
});

/** The region an `ssh` host is recorded in when none is given. */
export const SSH_REGION = 'ssh';

/**
 * A machine a broker drives over SSH (broker mode): no agent on it, only sshd and dockerd. The broker (`brokerId`,
 * of the same cluster) connects to `user@address:port` with its own key, accepts only the pinned `hostKey`, and
 * talks to the engine's unix socket (`dockerSocket`) through that connection. Nothing of it reaches a shell.
 */
export const CreateSshHostBody = z.strictObject({
  provider: z.literal('ssh'),
  name: HostName,
  region: RegionId.default(SSH_REGION),
  address: SshAddress,
  port: z.number().int().min(1).max(65_535).default(22),
  user: PosixUserName,
  hostKey: SshHostKeyLine,
  dockerSocket: DockerSocketPath.default(DEFAULT_DOCKER_SOCKET),
  brokerId: Uuid,
});

export const CreateHostBody = z.discriminatedUnion('provider', [CreateByoHostBody, CreateSshHostBody, CreateMachineHostBody]);
export type CreateHostBody = z.output<typeof CreateHostBody>;

export const Host = z.object({
  id: Uuid,
  clusterId: Uuid,
  name: z.string(),
  provider: z.enum(['local', 'aws', 'aliyun', 'byo', 'ssh']),
  cloudAccountId: Uuid.nullable(),
  region: z.string(),
  zone: z.string().nullable(),
  instanceType: z.string().nullable(),
  vcpus: z.number().int().nullable(),
  memoryMib: z.number().int().nullable(),
  state: HostStateName,
  /** Why the host failed (state `failed`). */
  failure: z.string().nullable(),
  machineId: z.string().nullable(),
  privateIp: z.string().nullable(),
  publicIp: z.string().nullable(),
  swarmRole: z.enum(['manager', 'worker']).nullable(),
  /** The last heartbeat of the host's agent; null until its agent registers. */
  lastSeenAt: Timestamp.nullable(),
  stateChangedAt: Timestamp,
  createdAt: Timestamp,
  readyAt: Timestamp.nullable(),
  terminatedAt: Timestamp.nullable(),
  /** An `ssh` host: how its broker reaches it (absent for every other host). */
  ssh: z
    .object({
      address: z.string(),
      port: z.number().int(),
      user: z.string(),
      hostKey: z.string(),
      dockerSocket: z.string(),
      brokerId: Uuid,
    })
    .optional(),
});
export type Host = z.infer<typeof Host>;

/**
 * How a brought host gets Docker and the agent: one command to run on it as root. It holds a one-time token
 * (the install script is served once; the token dies at `expiresAt`), so it is shown once and never again.
 */
export const InstallCommand = z.object({ command: z.string(), expiresAt: Timestamp });
export type InstallCommand = z.infer<typeof InstallCommand>;

/** The answer to adding a host; a brought host's carries its install command (only here). */
export const CreatedHost = Host.extend({ install: InstallCommand.optional() });
export type CreatedHost = z.infer<typeof CreatedHost>;

/** Prefix of a brought host's install token (the path of its install script; never accepted as a join token). */
export const INSTALL_TOKEN_PREFIX = 'wharfi_';

/** The path token of an install script: checked by the service, which answers any malformed one 404 like an unknown one. */
export const InstallParams = z.strictObject({ token: z.string() });

export const ClusterHostsParams = TenantParams.extend({ clusterId: Uuid });
export const HostParams = ClusterHostsParams.extend({ hostId: Uuid });
