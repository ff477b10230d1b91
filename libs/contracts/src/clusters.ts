import { z } from 'zod';
import { Cluster } from './apps.js';
import { Slug, Timestamp, Uuid } from './common.js';
import { HOST_STATES, RegionId } from './hosts.js';
import { DnsName, TenantParams } from './schemas.js';

/*
 * Clusters as their tenant manages them: the shared platform cluster(s) it deploys to, and its own dedicated ones
 * (created here, their hosts added through the host routes). Plus what the add-host form offers: the regions and
 * instance types of a cloud account's provider, or of the embedded `local` provider.
 */

export const CreateTenantClusterBody = z.strictObject({
  /** A DNS label, unique among the tenant's clusters. */
  name: Slug,
  /** Apps of the cluster get host names under it; default `<name>.<tenant slug>.<the shared cluster's domain>`. */
  domain: DnsName.optional(),
});
export type CreateTenantClusterBody = z.output<typeof CreateTenantClusterBody>;

/** How many of the cluster's hosts are in each state (every state present, 0 when none). */
export const HostCounts = z.record(z.enum(HOST_STATES), z.number().int().min(0));
export type HostCounts = z.infer<typeof HostCounts>;

export const TenantCluster = Cluster.extend({
  /** The port its edge proxy serves apps on. */
  proxyPort: z.number().int(),
  createdAt: Timestamp,
  /** Always zero for shared clusters: their hosts are the platform's. */
  hosts: HostCounts,
});
export type TenantCluster = z.infer<typeof TenantCluster>;

export const TenantClusterParams = TenantParams.extend({ clusterId: Uuid });

/** `local`: the embedded provider, which needs no account; else one of the tenant's cloud accounts. */
export const LOCAL_ACCOUNT = 'local';
export const CatalogAccountParams = TenantParams.extend({ accountId: z.union([Uuid, z.literal(LOCAL_ACCOUNT)]) });
export const InstanceTypesQuery = z.strictObject({ region: RegionId });

export const ProviderRegion = z.object({ id: z.string(), name: z.string() });
export type ProviderRegion = z.infer<typeof ProviderRegion>;
export const ProviderInstanceType = z.object({
  id: z.string(),
  vcpus: z.number().int(),
  memoryMiB: z.number().int(),
});
export type ProviderInstanceType = z.infer<typeof ProviderInstanceType>;
