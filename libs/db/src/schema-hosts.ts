import type { HOST_STATES, SweptRegion } from '@wharf/contracts';
import type { ColumnType, Generated, Selectable } from 'kysely';
import type { CreatedAt, TenantId } from './schema.js';

/**
 * Where a host runs: a cloud account's provider, the local engine's provider, a machine the tenant brings (`byo`,
 * with an agent of its own), or one a broker drives over SSH (`ssh`, no agent on it).
 */
export type HostProvider = 'aws' | 'aliyun' | 'local' | 'byo' | 'ssh';

/**
 * A host's provisioning state. The way in: requested → creating (the provider call, with the host's client token)
 * → booting → bootstrapping (cloud-init installs Docker and the agent) → joining (the agent registered; the host
 * joins the cluster's Swarm) → ready. The way out: draining → leaving → terminating → terminated. `failed` ends a
 * host whose provisioning or removal went wrong, with its reason.
 */
export type HostState = (typeof HOST_STATES)[number];

export type SwarmRole = 'manager' | 'worker';

export interface HostsTable {
  tenantId: TenantId;
  id: Generated<string>;
  clusterId: string;
  /** Null for `local` and `byo` hosts. */
  cloudAccountId: string | null;
  provider: HostProvider;
  region: string;
  zone: string | null;
  /** Null only for `byo` and `ssh` hosts (their size comes from the agent). */
  instanceType: string | null;
  vcpus: number | null;
  memoryMib: number | null;
  /** Unique in the cluster. */
  name: string;
  state: Generated<HostState>;
  /** The provider's idempotency token of the create call, fixed when the host is requested. */
  clientToken: string;
  /** The provider's id of the machine, once created. */
  machineId: string | null;
  privateIp: string | null;
  publicIp: string | null;
  swarmRole: SwarmRole | null;
  swarmNodeId: string | null;
  /** The agent that registered with the host's token. */
  agentId: string | null;
  /** SHA-256 of the one-time registration token; cleared once used (or when the host goes away). */
  registrationTokenHash: string | null;
  registrationExpiresAt: Date | null;
  /** Why the host failed (state `failed`). */
  failure: string | null;
  stateChangedAt: Generated<Date>;
  createdAt: CreatedAt;
  readyAt: Date | null;
  terminatedAt: Date | null;
  /** The last heartbeat of the host's agent (written by the API with the agent's own). */
  lastSeenAt: Date | null;
  /** An `ssh` host (broker mode): where its broker reaches it, the host key it pins, the engine's socket there. */
  sshAddress: string | null;
  sshPort: number | null;
  sshUser: string | null;
  sshHostKey: string | null;
  dockerSocket: string | null;
  brokerId: string | null;
}

/** A broker: the agent of one datacenter that drives that datacenter's `ssh` hosts. */
export interface BrokersTable {
  tenantId: TenantId;
  id: Generated<string>;
  clusterId: string;
  name: string;
  /** SHA-256 of the one-time broker token; cleared once used. */
  registrationTokenHash: string | null;
  registrationExpiresAt: Date | null;
  /** The agent the broker registered as. */
  agentId: string | null;
  /** The public half of the broker's SSH key (reported at registration): the line for each host's authorized_keys. */
  sshPublicKey: string | null;
  lastSeenAt: Date | null;
  createdAt: CreatedAt;
  /** When the tenant removed the broker (its agent revoked then); reads skip it. */
  deletedAt: Date | null;
}

/** One run of the leak sweep (platform data: no tenant). */
export interface HostSweepsTable {
  id: Generated<string>;
  startedAt: Date;
  finishedAt: Date;
  regionsSwept: number;
  machinesSeen: number;
  machinesDeleted: number;
  errors: number;
  /** The regions where machines were seen or something failed. */
  regions: ColumnType<SweptRegion[], string, never>;
}

export interface HostTables {
  hosts: HostsTable;
  hostSweeps: HostSweepsTable;
  brokers: BrokersTable;
}

export type HostRow = Selectable<HostsTable>;
export type BrokerRow = Selectable<BrokersTable>;
