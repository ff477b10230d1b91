import { z } from 'zod';
import { Timestamp, Uuid } from './common.js';
import { TenantParams } from './schemas.js';

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

export const CreateHostBody = z
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
export type CreateHostBody = z.output<typeof CreateHostBody>;

export const Host = z.object({
  id: Uuid,
  clusterId: Uuid,
  name: z.string(),
  provider: z.enum(['local', 'aws', 'aliyun', 'byo']),
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
  stateChangedAt: Timestamp,
  createdAt: Timestamp,
  readyAt: Timestamp.nullable(),
  terminatedAt: Timestamp.nullable(),
});
export type Host = z.infer<typeof Host>;

export const ClusterHostsParams = TenantParams.extend({ clusterId: Uuid });
export const HostParams = ClusterHostsParams.extend({ hostId: Uuid });
