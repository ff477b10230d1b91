import { randomBytes } from 'node:crypto';
import { FakeError } from './fake-error.js';

/*
 * The fake ECS's security groups (fake-ecs.ts): DescribeSecurityGroups, CreateSecurityGroup,
 * DescribeSecurityGroupAttribute and AuthorizeSecurityGroup, on groups kept in memory; and the tag parameters the
 * fake's actions share.
 */

/** `Tag.N.Key`/`Tag.N.Value` pairs of a request (value absent: only the key was given). */
export function tagPairs(params: Record<string, string>): { key: string; value?: string }[] {
  const pairs: { key: string; value?: string }[] = [];
  for (let n = 1; params[`Tag.${n}.Key`] !== undefined; n++) {
    pairs.push({ key: params[`Tag.${n}.Key`] ?? '', value: params[`Tag.${n}.Value`] });
  }
  return pairs;
}

export const matchesTags = (tags: Record<string, string>, filter: { key: string; value?: string }[]) =>
  filter.every((f) => f.key in tags && (f.value === undefined || tags[f.key] === f.value));

export const tagList = (tags: Record<string, string>) => ({
  Tag: Object.entries(tags).map(([TagKey, TagValue]) => ({ TagKey, TagValue })),
});

export interface FakeGroup {
  id: string;
  region: string;
  vpcId: string;
  name: string;
  tags: Record<string, string>;
  rules: { IpProtocol: string; PortRange: string; SourceGroupId?: string; SourceCidrIp?: string; Policy: string }[];
}

export class FakeSecurityGroups {
  readonly groups = new Map<string, FakeGroup>();
  private counter = 0;

  /** `vpcExists`: whether the region has that VPC (the fake's network). */
  constructor(private readonly vpcExists: (region: string, vpcId: string) => boolean) {}

  /** The answer to a security-group action; undefined for any other action. */
  handle(
    action: string,
    p: Record<string, string>,
    region: () => string,
    required: (name: string) => string,
  ): Record<string, unknown> | undefined {
    switch (action) {
      case 'DescribeSecurityGroups': {
        const r = region();
        const filter = tagPairs(p);
        const found = [...this.groups.values()].filter(
          (g) => g.region === r && (!p.VpcId || g.vpcId === p.VpcId) && matchesTags(g.tags, filter),
        );
        return {
          SecurityGroups: {
            SecurityGroup: found.map((g) => ({
              SecurityGroupId: g.id,
              SecurityGroupName: g.name,
              VpcId: g.vpcId,
              SecurityGroupType: 'normal',
              Tags: tagList(g.tags),
            })),
          },
          TotalCount: found.length,
          NextToken: '',
        };
      }
      case 'CreateSecurityGroup': {
        const r = region();
        const vpcId = required('VpcId');
        if (!this.vpcExists(r, vpcId)) throw new FakeError(404, 'InvalidVpcId.NotFound', `No VPC ${vpcId}.`);
        const group: FakeGroup = {
          id: `sg-${++this.counter}${randomBytes(4).toString('hex')}`,
          region: r,
          vpcId,
          name: required('SecurityGroupName'),
          tags: Object.fromEntries(tagPairs(p).map((t) => [t.key, t.value ?? ''])),
          rules: [],
        };
        this.groups.set(group.id, group);
        return { SecurityGroupId: group.id };
      }
      case 'DescribeSecurityGroupAttribute': {
        region();
        const group = this.groups.get(required('SecurityGroupId'));
        if (!group) throw new FakeError(404, 'InvalidSecurityGroupId.NotFound', 'The security group does not exist.');
        return {
          SecurityGroupId: group.id,
          VpcId: group.vpcId,
          Permissions: { Permission: group.rules.map((rule) => ({ ...rule, Direction: 'ingress', NicType: 'intranet' })) },
          NextToken: '',
        };
      }
      case 'AuthorizeSecurityGroup': {
        region();
        const group = this.groups.get(required('SecurityGroupId'));
        if (!group) throw new FakeError(404, 'InvalidSecurityGroupId.NotFound', 'The security group does not exist.');
        for (let n = 1; p[`Permissions.${n}.IpProtocol`] !== undefined; n++) {
          const rule = {
            IpProtocol: p[`Permissions.${n}.IpProtocol`] ?? '',
            PortRange: p[`Permissions.${n}.PortRange`] ?? '',
            SourceGroupId: p[`Permissions.${n}.SourceGroupId`],
            SourceCidrIp: p[`Permissions.${n}.SourceCidrIp`],
            Policy: p[`Permissions.${n}.Policy`] ?? 'accept',
          };
          if (!/^\d+\/\d+$/.test(rule.PortRange))
            throw new FakeError(400, 'InvalidPortRange.Malformed', 'PortRange is malformed.');
          if (!rule.SourceGroupId && !rule.SourceCidrIp) throw new FakeError(400, 'MissingParameter', 'A source is mandatory.');
          if (rule.SourceGroupId && !this.groups.has(rule.SourceGroupId))
            throw new FakeError(404, 'InvalidSecurityGroupId.NotFound', 'The source group does not exist.');
          group.rules.push(rule);
        }
        return {};
      }
      default:
        return undefined;
    }
  }
}
