import {
  AuthorizeSecurityGroupIngressCommand,
  CreateSecurityGroupCommand,
  DescribeSecurityGroupRulesCommand,
  DescribeSecurityGroupsCommand,
  DescribeVpcsCommand,
  type EC2Client,
  type IpPermission,
  RevokeSecurityGroupIngressCommand,
  type SecurityGroup,
  type SecurityGroupRule,
} from '@aws-sdk/client-ec2';
import { ProviderError } from '../errors.js';
import { TAG_KEYS } from '../types.js';
import { awsError, errorCode } from './errors.js';

/*
 * The security group of a cluster's hosts (`wharf-<cluster>`, in the region's default VPC): Swarm's ports open only
 * between members of the group, HTTP and HTTPS open to everyone for the edge proxy, nothing else inbound (no SSH: the
 * agent dials out). Outbound stays the default (everything), which the agent, apt and image pulls need. Each call
 * reconciles the group's inbound rules to exactly these, so a rule added by hand is taken away again.
 */

type Source = { group: true } | { cidr: string } | { cidr6: string };

interface Rule {
  protocol: 'tcp' | 'udp';
  port: number;
  source: Source;
  description: string;
}

const EVERYONE: Source[] = [{ cidr: '0.0.0.0/0' }, { cidr6: '::/0' }];

export const HOST_RULES: readonly Rule[] = [
  { protocol: 'tcp', port: 2377, source: { group: true }, description: 'Swarm cluster management' },
  { protocol: 'tcp', port: 7946, source: { group: true }, description: 'Swarm node gossip' },
  { protocol: 'udp', port: 7946, source: { group: true }, description: 'Swarm node gossip' },
  { protocol: 'udp', port: 4789, source: { group: true }, description: 'Swarm overlay network (VXLAN)' },
  ...EVERYONE.map((source) => ({ protocol: 'tcp' as const, port: 80, source, description: 'Edge proxy HTTP' })),
  ...EVERYONE.map((source) => ({ protocol: 'tcp' as const, port: 443, source, description: 'Edge proxy HTTPS' })),
];

const CLUSTER = /^[A-Za-z0-9_-]{1,200}$/;

export const groupName = (cluster: string) => `wharf-${cluster}`;

const key = (protocol: string, from: number | undefined, to: number | undefined, source: string) =>
  `${protocol}/${from}-${to}/${source}`;

const ruleKey = (rule: Rule, groupId: string) =>
  key(
    rule.protocol,
    rule.port,
    rule.port,
    'group' in rule.source ? `sg:${groupId}` : 'cidr' in rule.source ? `ip:${rule.source.cidr}` : `ip6:${rule.source.cidr6}`,
  );

const existingKey = (rule: SecurityGroupRule) =>
  key(
    rule.IpProtocol ?? '',
    rule.FromPort,
    rule.ToPort,
    rule.ReferencedGroupInfo?.GroupId
      ? `sg:${rule.ReferencedGroupInfo.GroupId}`
      : rule.CidrIpv4
        ? `ip:${rule.CidrIpv4}`
        : rule.CidrIpv6
          ? `ip6:${rule.CidrIpv6}`
          : `pl:${rule.PrefixListId}`,
  );

function permission(rule: Rule, groupId: string): IpPermission {
  const base = { IpProtocol: rule.protocol, FromPort: rule.port, ToPort: rule.port };
  if ('group' in rule.source) return { ...base, UserIdGroupPairs: [{ GroupId: groupId, Description: rule.description }] };
  if ('cidr' in rule.source) return { ...base, IpRanges: [{ CidrIp: rule.source.cidr, Description: rule.description }] };
  return { ...base, Ipv6Ranges: [{ CidrIpv6: rule.source.cidr6, Description: rule.description }] };
}

/** Ensures the group of `cluster` in `region` and answers its id. */
export async function ensureHostFirewall(ec2: EC2Client, region: string, cluster: string): Promise<string> {
  if (!CLUSTER.test(cluster))
    throw new ProviderError('invalid', `The cluster id ${JSON.stringify(cluster)} cannot name a security group.`);
  const name = groupName(cluster);
  const ctx = (operation: string) => ({ operation, region });

  const vpcs = await ec2
    .send(new DescribeVpcsCommand({ Filters: [{ Name: 'is-default', Values: ['true'] }] }))
    .catch((error: unknown) => {
      throw awsError(error, ctx('ec2:DescribeVpcs'));
    });
  const vpcId = vpcs.Vpcs?.[0]?.VpcId;
  if (!vpcId)
    throw new ProviderError(
      'invalid',
      `The region ${region} has no default VPC: create one (VPC console → Actions → Create default VPC) so Wharf can place hosts in it.`,
      'VPCIdNotSpecified',
    );

  const find = async (): Promise<SecurityGroup | undefined> => {
    const out = await ec2
      .send(
        new DescribeSecurityGroupsCommand({
          Filters: [
            { Name: 'vpc-id', Values: [vpcId] },
            { Name: 'group-name', Values: [name] },
          ],
        }),
      )
      .catch((error: unknown) => {
        throw awsError(error, ctx('ec2:DescribeSecurityGroups'));
      });
    return out.SecurityGroups?.[0];
  };

  let groupId: string | undefined;
  const found = await find();
  if (found) {
    if (!found.Tags?.some((t) => t.Key === TAG_KEYS.cluster && t.Value === cluster))
      throw new ProviderError(
        'invalid',
        `A security group named ${name} that Wharf did not create exists in ${vpcId} (${region}): rename or delete it so Wharf can manage its own.`,
        'InvalidGroup.Duplicate',
      );
    groupId = found.GroupId;
  } else {
    try {
      const made = await ec2.send(
        new CreateSecurityGroupCommand({
          GroupName: name,
          Description: `Wharf hosts of cluster ${cluster}: Swarm between members, HTTP(S) from anywhere`,
          VpcId: vpcId,
          TagSpecifications: [
            {
              ResourceType: 'security-group',
              Tags: [
                { Key: TAG_KEYS.cluster, Value: cluster },
                { Key: 'Name', Value: name },
              ],
            },
          ],
        }),
      );
      groupId = made.GroupId;
    } catch (error) {
      // another worker created it between our look and our create
      if (errorCode(error) !== 'InvalidGroup.Duplicate') throw awsError(error, ctx('ec2:CreateSecurityGroup'));
      groupId = (await find())?.GroupId;
    }
  }
  if (!groupId) throw new ProviderError('failed', `AWS did not answer the id of security group ${name} in ${region}: try again.`);

  const rules: SecurityGroupRule[] = [];
  let token: string | undefined;
  do {
    const page = await ec2
      .send(
        new DescribeSecurityGroupRulesCommand({
          Filters: [{ Name: 'group-id', Values: [groupId] }],
          ...(token ? { NextToken: token } : {}),
        }),
      )
      .catch((error: unknown) => {
        throw awsError(error, ctx('ec2:DescribeSecurityGroupRules'));
      });
    rules.push(...(page.SecurityGroupRules ?? []));
    token = page.NextToken;
  } while (token);

  const wanted = new Map(HOST_RULES.map((rule) => [ruleKey(rule, groupId), rule]));
  const inbound = rules.filter((r) => !r.IsEgress);
  const present = new Set(inbound.map(existingKey));
  const extra = inbound.filter((r) => !wanted.has(existingKey(r))).flatMap((r) => r.SecurityGroupRuleId ?? []);
  const missing = [...wanted].filter(([k]) => !present.has(k)).map(([, rule]) => permission(rule, groupId));

  if (extra.length > 0)
    await ec2
      .send(new RevokeSecurityGroupIngressCommand({ GroupId: groupId, SecurityGroupRuleIds: extra }))
      .catch((error: unknown) => {
        throw awsError(error, ctx('ec2:RevokeSecurityGroupIngress'));
      });
  if (missing.length > 0)
    await ec2
      .send(new AuthorizeSecurityGroupIngressCommand({ GroupId: groupId, IpPermissions: missing }))
      .catch((error: unknown) => {
        // another worker added them first
        if (errorCode(error) !== 'InvalidPermission.Duplicate') throw awsError(error, ctx('ec2:AuthorizeSecurityGroupIngress'));
      });
  return groupId;
}
