import {
  AuthorizeSecurityGroupRequest,
  AuthorizeSecurityGroupRequestPermissions,
  CreateSecurityGroupRequest,
  CreateSecurityGroupRequestTag,
  DescribeSecurityGroupAttributeRequest,
  DescribeSecurityGroupsRequest,
  DescribeSecurityGroupsRequestTag,
} from '@alicloud/ecs20140526';
import { ProviderError } from '../errors.js';
import { TAG_KEYS } from '../types.js';
import { type EcsCall, PAGE } from './ecs.js';
import { hostVSwitch } from './network.js';

/*
 * The security group of a cluster's hosts (`wharf-<cluster>`, tagged with the cluster, in the VPC of the host VSwitch:
 * see network.ts): Swarm's ports open between members of the group, HTTP and HTTPS open to the world. Rules the group
 * lacks are added; nothing is taken away.
 */

/** A Swarm port open between the cluster's hosts (same group) or to the world. */
interface Rule {
  protocol: 'TCP' | 'UDP';
  port: number;
  from: 'group' | 'world';
}

/** Least privilege: Swarm management, gossip and overlay between the hosts; HTTP(S) to the ingress. Nothing else. */
export const HOST_FIREWALL_RULES: readonly Rule[] = [
  { protocol: 'TCP', port: 2377, from: 'group' },
  { protocol: 'TCP', port: 7946, from: 'group' },
  { protocol: 'UDP', port: 7946, from: 'group' },
  { protocol: 'UDP', port: 4789, from: 'group' },
  { protocol: 'TCP', port: 80, from: 'world' },
  { protocol: 'TCP', port: 443, from: 'world' },
];

/** The cluster's security group in the VPC of the region's host VSwitch (see network.ts). */
export async function ensureHostFirewall(call: EcsCall, region: string, cluster: string): Promise<string> {
  const vswitch = await hostVSwitch(call, region, undefined);
  return firewallIn(call, region, vswitch.vpcId, cluster);
}

/** The cluster's security group in `vpcId`, made when missing, with every rule of HOST_FIREWALL_RULES. */
export async function firewallIn(call: EcsCall, region: string, vpcId: string, cluster: string): Promise<string> {
  const existing = await call(region, 'DescribeSecurityGroups', (ecs) =>
    ecs.describeSecurityGroups(
      new DescribeSecurityGroupsRequest({
        regionId: region,
        vpcId,
        maxResults: PAGE,
        tag: [new DescribeSecurityGroupsRequestTag({ key: TAG_KEYS.cluster, value: cluster })],
      }),
    ),
  );
  let groupId = existing.body?.securityGroups?.securityGroup?.find((g) => g.securityGroupId)?.securityGroupId;
  if (!groupId) {
    const made = await call(region, 'CreateSecurityGroup', (ecs) =>
      ecs.createSecurityGroup(
        new CreateSecurityGroupRequest({
          regionId: region,
          vpcId,
          securityGroupName: `wharf-${cluster}`.slice(0, 128),
          securityGroupType: 'normal',
          description: `Wharf hosts of cluster ${cluster}: Swarm between the hosts, HTTP(S) from anywhere.`,
          tag: [new CreateSecurityGroupRequestTag({ key: TAG_KEYS.cluster, value: cluster })],
        }),
      ),
    );
    groupId = made.body?.securityGroupId;
    if (!groupId) throw new ProviderError('failed', 'Aliyun accepted CreateSecurityGroup but answered no group id.');
  }
  await authorizeMissing(call, region, groupId);
  return groupId;
}

/** Adds the rules the group lacks (a group made by a run that stopped halfway gets the rest). */
async function authorizeMissing(call: EcsCall, region: string, groupId: string): Promise<void> {
  const present = new Set<string>();
  let nextToken: string | undefined;
  do {
    const res = await call(region, 'DescribeSecurityGroupAttribute', (ecs) =>
      ecs.describeSecurityGroupAttribute(
        new DescribeSecurityGroupAttributeRequest({
          regionId: region,
          securityGroupId: groupId,
          direction: 'ingress',
          maxResults: 1000,
          nextToken,
        }),
      ),
    );
    for (const p of res.body?.permissions?.permission ?? []) {
      if ((p.policy ?? 'Accept').toLowerCase() !== 'accept') continue;
      const from = p.sourceGroupId === groupId ? 'group' : p.sourceCidrIp === '0.0.0.0/0' ? 'world' : undefined;
      if (from) present.add(`${(p.ipProtocol ?? '').toUpperCase()} ${p.portRange} ${from}`);
    }
    nextToken = res.body?.nextToken || undefined;
  } while (nextToken);

  const missing = HOST_FIREWALL_RULES.filter((r) => !present.has(`${r.protocol} ${r.port}/${r.port} ${r.from}`));
  if (missing.length === 0) return;
  await call(region, 'AuthorizeSecurityGroup', (ecs) =>
    ecs.authorizeSecurityGroup(
      new AuthorizeSecurityGroupRequest({
        regionId: region,
        securityGroupId: groupId,
        permissions: missing.map(
          (r) =>
            new AuthorizeSecurityGroupRequestPermissions({
              ipProtocol: r.protocol,
              portRange: `${r.port}/${r.port}`,
              policy: 'accept',
              ...(r.from === 'group' ? { sourceGroupId: groupId } : { sourceCidrIp: '0.0.0.0/0' }),
              description: r.from === 'group' ? 'Swarm between the cluster hosts' : 'HTTP(S) ingress',
            }),
        ),
      }),
    ),
  );
}
