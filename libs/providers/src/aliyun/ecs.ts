import type EcsModule from '@alicloud/ecs20140526';

/* What the adapter's parts (network.ts, firewall.ts) share of the ECS SDK: the client type and how they call it. */

export type EcsClient = InstanceType<typeof EcsModule.default>;

/** One ECS call in a region with the adapter's current session, its failure mapped onto a ProviderError. */
export type EcsCall = <T>(region: string, action: string, run: (ecs: EcsClient) => Promise<T>) => Promise<T>;

/** Page size of the Describe calls. */
export const PAGE = 100;
