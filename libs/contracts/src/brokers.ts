import { z } from 'zod';
import { Timestamp, Uuid } from './common.js';
import { ClusterHostsParams, HostName } from './hosts.js';

/*
 * Broker mode (the agentless option): one broker per datacenter — the agent started with `WHARF_AGENT_BROKER=1` —
 * drives that datacenter's `ssh` hosts over SSH, which then run no agent of their own. The broker dials out to the
 * API like any agent; the control plane never connects inward.
 */

export const CreateBrokerBody = z.strictObject({ name: HostName });

export const Broker = z.object({
  id: Uuid,
  clusterId: Uuid,
  name: z.string(),
  /** Whether the broker has registered (its one-time token is used). */
  registered: z.boolean(),
  /**
   * The public half of the SSH key the broker generated on its first start (its private key never leaves it): add
   * this line to the authorized_keys of the user it logs in as on each host. Null until the broker registers.
   */
  sshPublicKey: z.string().nullable(),
  /** The broker's last heartbeat; null until it registers. */
  lastSeenAt: Timestamp.nullable(),
  createdAt: Timestamp,
});
export type Broker = z.infer<typeof Broker>;

/** The answer to creating a broker: its one-time token and the command that starts it (shown only here). */
export const CreatedBroker = z.object({
  broker: Broker,
  joinToken: z.string(),
  expiresAt: Timestamp,
  command: z.string(),
});
export type CreatedBroker = z.infer<typeof CreatedBroker>;

export const ClusterBrokersParams = ClusterHostsParams;
export const BrokerParams = ClusterBrokersParams.extend({ brokerId: Uuid });
