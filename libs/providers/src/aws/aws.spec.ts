import {
  AuthorizeSecurityGroupIngressCommand,
  type AuthorizeSecurityGroupIngressCommandInput,
  CreateSecurityGroupCommand,
  type CreateSecurityGroupCommandInput,
  DescribeImagesCommand,
  type DescribeImagesCommandInput,
  DescribeInstancesCommand,
  type DescribeInstancesCommandInput,
  DescribeInstanceTypesCommand,
  type DescribeInstanceTypesCommandInput,
  DescribeRegionsCommand,
  DescribeSecurityGroupRulesCommand,
  type DescribeSecurityGroupRulesCommandInput,
  DescribeSecurityGroupsCommand,
  type DescribeSecurityGroupsCommandInput,
  DescribeVpcsCommand,
  EC2Client,
  EC2ServiceException,
  type Filter,
  type Image,
  type Instance,
  type InstanceStateName,
  RevokeSecurityGroupIngressCommand,
  type RevokeSecurityGroupIngressCommandInput,
  RunInstancesCommand,
  type RunInstancesCommandInput,
  type SecurityGroupRule,
  type Tag,
  TerminateInstancesCommand,
  type TerminateInstancesCommandInput,
} from '@aws-sdk/client-ec2';
import { AssumeRoleCommand, type AssumeRoleCommandInput, GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { renderCloudInit } from '../cloud-init.js';
import { ProviderError, type ProviderErrorKind } from '../errors.js';
import { describeProviderContract, request } from '../testing/contract.js';
import { TAG_KEYS } from '../types.js';
import { type AwsProviderOptions, awsProvider, DEBIAN_OWNER, toMachine } from './aws.js';
import type { AwsCredentials } from './credentials.js';

const ec2 = mockClient(EC2Client);
const sts = mockClient(STSClient);
afterAll(() => {
  ec2.restore();
  sts.restore();
});

const REGION = 'eu-central-1';
const clock = { now: Date.parse('2025-06-01T12:00:00Z') };
const ACCOUNT = '123456789012';
const KEYS: AwsCredentials = {
  kind: 'keys',
  accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
};
const ROLE: AwsCredentials = {
  kind: 'role',
  roleArn: `arn:aws:iam::${ACCOUNT}:role/wharf/WharfHosts`,
  externalId: 'wharf-ext-4f1c9a',
};

/** An SDK service error as the EC2 and STS clients throw them. */
function awsFailure(code: string, message = `${code} happened`, status = 400): EC2ServiceException {
  const error = new EC2ServiceException({
    name: code,
    $fault: status >= 500 ? 'server' : 'client',
    $metadata: { httpStatusCode: status },
    message,
  });
  return Object.assign(error, { Code: code });
}

/** A Node network failure as the SDK's HTTP handler throws them. */
function networkFailure(code: string, hostname = `ec2.${REGION}.amazonaws.com`): Error {
  return Object.assign(new Error(`getaddrinfo ${code} ${hostname}`), { code, hostname, syscall: 'getaddrinfo' });
}

const IMAGES: Image[] = [
  {
    ImageId: 'ami-0aaa',
    Name: 'debian-12-amd64-20240101-1500',
    CreationDate: '2024-01-01T15:00:00.000Z',
    RootDeviceName: '/dev/xvda',
  },
  {
    ImageId: 'ami-0ccc',
    Name: 'debian-12-amd64-20240901-1800',
    CreationDate: '2024-09-01T18:00:00.000Z',
    RootDeviceName: '/dev/xvda',
  },
  {
    ImageId: 'ami-0bbb',
    Name: 'debian-12-amd64-20240501-1700',
    CreationDate: '2024-05-01T17:00:00.000Z',
    RootDeviceName: '/dev/xvda',
  },
  ...['02', '03', '04', '05'].map((m) => ({
    ImageId: `ami-1${m}`,
    Name: `debian-12-amd64-2023${m}01-1200`,
    CreationDate: `2023-${m}-01T12:00:00.000Z`,
    RootDeviceName: '/dev/xvda',
  })),
];
const NEWEST_IMAGE = 'ami-0ccc';

const TYPES = [
  ['t3.micro', 2, 1024],
  ['t3.small', 2, 2048],
  ['t3.medium', 2, 4096],
  ['m7i.large', 2, 8192],
  ['c7i.xlarge', 4, 8192],
] as const;

/**
 * A tiny stateful EC2 and STS behind the mocks: instances keyed by client token, DescribeInstances filtering and
 * paginating `pageSize` to a page, security groups with rules, fixtures for regions, types and images.
 */
function fakeAws(options: { pageSize?: number } = {}) {
  ec2.reset();
  sts.reset();
  const pageSize = options.pageSize ?? 2;
  const instances = new Map<string, Instance>();
  const tokens = new Map<string, { id: string; params: string }>();
  const groups = new Map<string, { name: string; vpcId: string; tags: Tag[]; rules: SecurityGroupRule[] }>();
  let serial = 0;
  const state = {
    instances,
    groups,
    /** The next RunInstances calls make the instance, then fail as a lost answer would. */
    failAfterCreate: 0,
    seed(tags: Tag[], over: Partial<Instance> = {}): Instance {
      serial += 1;
      const instance: Instance = {
        InstanceId: `i-${serial.toString(16).padStart(17, '0')}`,
        InstanceType: 't3.small',
        ImageId: NEWEST_IMAGE,
        State: { Name: 'running', Code: 16 },
        Placement: { AvailabilityZone: `${REGION}a` },
        PrivateIpAddress: `172.31.0.${serial}`,
        PublicIpAddress: `3.120.0.${serial}`,
        VpcId: 'vpc-default',
        SubnetId: 'subnet-a',
        LaunchTime: new Date('2025-01-01T00:00:00Z'),
        Tags: tags,
        ...over,
      };
      instances.set(instance.InstanceId ?? '', instance);
      return instance;
    },
  };

  const advance = (i: Instance) => {
    if (i.State?.Name === 'pending') i.State = { Name: 'running', Code: 16 };
    else if (i.State?.Name === 'shutting-down') i.State = { Name: 'terminated', Code: 48 };
  };
  const matches = (i: Instance, filters: Filter[] = []) =>
    filters.every((f) => {
      const values = f.Values ?? [];
      if (f.Name === 'tag-key') return i.Tags?.some((t) => values.includes(t.Key ?? '')) ?? false;
      if (f.Name?.startsWith('tag:'))
        return i.Tags?.some((t) => t.Key === f.Name?.slice(4) && values.includes(t.Value ?? '')) ?? false;
      if (f.Name === 'client-token') return values.includes(i.ClientToken ?? '');
      throw new Error(`fake EC2: filter ${f.Name} is not implemented`);
    });

  ec2.on(RunInstancesCommand).callsFake(async (input: RunInstancesCommandInput) => {
    const token = input.ClientToken ?? '';
    const params = JSON.stringify([input.ImageId, input.InstanceType]);
    const earlier = tokens.get(token);
    if (earlier && earlier.params !== params)
      throw awsFailure('IdempotentParameterMismatch', 'Arguments on this idempotent request are inconsistent');
    let instance = earlier ? instances.get(earlier.id) : undefined;
    if (!instance) {
      const tags = input.TagSpecifications?.find((s) => s.ResourceType === 'instance')?.Tags ?? [];
      instance = state.seed(tags, {
        ClientToken: token,
        InstanceType: input.InstanceType ?? 't3.micro',
        ImageId: input.ImageId ?? '',
        State: { Name: 'pending', Code: 0 },
        ...(input.Placement?.AvailabilityZone ? { Placement: { AvailabilityZone: input.Placement.AvailabilityZone } } : {}),
        SecurityGroups: (input.SecurityGroupIds ?? []).map((GroupId) => ({ GroupId })),
      });
      tokens.set(token, { id: instance.InstanceId ?? '', params });
    }
    if (state.failAfterCreate > 0) {
      state.failAfterCreate -= 1;
      throw Object.assign(new Error('socket timed out after 30000 ms'), { name: 'TimeoutError' });
    }
    return { Instances: [structuredClone(instance)] };
  });
  ec2.on(DescribeInstancesCommand).callsFake(async (input: DescribeInstancesCommandInput) => {
    const ids = input.InstanceIds;
    for (const id of ids ?? [])
      if (!instances.has(id)) throw awsFailure('InvalidInstanceID.NotFound', `The instance ID '${id}' does not exist`);
    const found = [...instances.values()].filter((i) => (!ids || ids.includes(i.InstanceId ?? '')) && matches(i, input.Filters));
    const offset = input.NextToken ? Number(input.NextToken.replace('page-', '')) : 0;
    const size = Math.min(pageSize, input.MaxResults ?? pageSize);
    const page = found.slice(offset, offset + size);
    for (const i of page) advance(i);
    const next = offset + size < found.length ? `page-${offset + size}` : undefined;
    return { Reservations: page.map((i) => ({ Instances: [structuredClone(i)] })), ...(next ? { NextToken: next } : {}) };
  });
  ec2.on(TerminateInstancesCommand).callsFake(async (input: TerminateInstancesCommandInput) => {
    return {
      TerminatingInstances: (input.InstanceIds ?? []).map((id) => {
        const i = instances.get(id);
        if (!i) throw awsFailure('InvalidInstanceID.NotFound', `The instance ID '${id}' does not exist`);
        if (i.State?.Name !== 'terminated') i.State = { Name: 'shutting-down', Code: 32 };
        return { InstanceId: id, CurrentState: i.State };
      }),
    };
  });
  ec2.on(DescribeRegionsCommand).resolves({
    Regions: ['us-east-1', 'eu-central-1', 'ap-southeast-1'].map((RegionName) => ({
      RegionName,
      OptInStatus: 'opt-in-not-required',
    })),
  });
  ec2.on(DescribeInstanceTypesCommand).callsFake(async (input: DescribeInstanceTypesCommandInput) => {
    const offset = input.NextToken ? Number(input.NextToken) : 0;
    const next = offset + 2 < TYPES.length ? String(offset + 2) : undefined;
    return {
      InstanceTypes: TYPES.slice(offset, offset + 2).map(([InstanceType, DefaultVCpus, SizeInMiB]) => ({
        InstanceType,
        VCpuInfo: { DefaultVCpus },
        MemoryInfo: { SizeInMiB },
      })),
      ...(next ? { NextToken: next } : {}),
    };
  });
  ec2.on(DescribeImagesCommand).callsFake(async (input: DescribeImagesCommandInput) => {
    if (input.ImageIds)
      return {
        Images: input.ImageIds.map(
          (ImageId) => IMAGES.find((i) => i.ImageId === ImageId) ?? { ImageId, RootDeviceName: '/dev/sda1' },
        ),
      };
    return { Images: input.Owners?.includes(DEBIAN_OWNER) ? structuredClone(IMAGES) : [] };
  });
  ec2.on(DescribeVpcsCommand).resolves({ Vpcs: [{ VpcId: 'vpc-default', IsDefault: true }] });
  ec2.on(DescribeSecurityGroupsCommand).callsFake(async (input: DescribeSecurityGroupsCommandInput) => {
    const value = (name: string) => input.Filters?.find((f) => f.Name === name)?.Values?.[0];
    return {
      SecurityGroups: [...groups]
        .filter(([, g]) => g.vpcId === value('vpc-id') && g.name === value('group-name'))
        .map(([GroupId, g]) => ({ GroupId, GroupName: g.name, VpcId: g.vpcId, Tags: g.tags })),
    };
  });
  ec2.on(CreateSecurityGroupCommand).callsFake(async (input: CreateSecurityGroupCommandInput) => {
    const GroupId = `sg-0${(groups.size + 1).toString(16).padStart(16, '0')}`;
    groups.set(GroupId, {
      name: input.GroupName ?? '',
      vpcId: input.VpcId ?? '',
      tags: input.TagSpecifications?.[0]?.Tags ?? [],
      rules: [{ SecurityGroupRuleId: `sgr-egress-${GroupId}`, GroupId, IsEgress: true, IpProtocol: '-1', CidrIpv4: '0.0.0.0/0' }],
    });
    return { GroupId };
  });
  ec2.on(DescribeSecurityGroupRulesCommand).callsFake(async (input: DescribeSecurityGroupRulesCommandInput) => {
    const id = input.Filters?.find((f) => f.Name === 'group-id')?.Values?.[0] ?? '';
    return { SecurityGroupRules: structuredClone(groups.get(id)?.rules ?? []) };
  });
  let ruleSerial = 0;
  ec2.on(AuthorizeSecurityGroupIngressCommand).callsFake(async (input: AuthorizeSecurityGroupIngressCommandInput) => {
    const group = groups.get(input.GroupId ?? '');
    if (!group) throw awsFailure('InvalidGroup.NotFound');
    for (const p of input.IpPermissions ?? []) {
      const base = { GroupId: input.GroupId, IsEgress: false, IpProtocol: p.IpProtocol, FromPort: p.FromPort, ToPort: p.ToPort };
      const sources: Partial<SecurityGroupRule>[] = [
        ...(p.IpRanges ?? []).map((r) => ({ CidrIpv4: r.CidrIp })),
        ...(p.Ipv6Ranges ?? []).map((r) => ({ CidrIpv6: r.CidrIpv6 })),
        ...(p.UserIdGroupPairs ?? []).map((r) => ({ ReferencedGroupInfo: { GroupId: r.GroupId } })),
      ];
      for (const source of sources) group.rules.push({ ...base, ...source, SecurityGroupRuleId: `sgr-${++ruleSerial}` });
    }
    return { Return: true };
  });
  ec2.on(RevokeSecurityGroupIngressCommand).callsFake(async (input: RevokeSecurityGroupIngressCommandInput) => {
    const group = groups.get(input.GroupId ?? '');
    if (group) group.rules = group.rules.filter((r) => !input.SecurityGroupRuleIds?.includes(r.SecurityGroupRuleId ?? ''));
    return { Return: true };
  });

  sts
    .on(GetCallerIdentityCommand)
    .resolves({ Account: ACCOUNT, Arn: `arn:aws:iam::${ACCOUNT}:user/wharf`, UserId: 'AIDAEXAMPLE' });
  sts.on(AssumeRoleCommand).callsFake(async (input: AssumeRoleCommandInput) => ({
    Credentials: {
      AccessKeyId: 'ASIAEXAMPLEASSUMED01',
      SecretAccessKey: 'assumed-secret',
      SessionToken: `session-of-${input.RoleSessionName}`,
      Expiration: new Date(clock.now + 3600_000),
    },
    AssumedRoleUser: { Arn: `arn:aws:sts::${ACCOUNT}:assumed-role/WharfHosts/${input.RoleSessionName}`, AssumedRoleId: 'AROA:x' },
  }));
  return state;
}

const provider = (credentials: AwsCredentials = KEYS, options: AwsProviderOptions = {}) =>
  awsProvider(credentials, { now: () => clock.now, ...options });

const runCalls = () => ec2.commandCalls(RunInstancesCommand).map((c) => c.args[0].input);

describeProviderContract('aws', async () => {
  fakeAws({ pageSize: 2 });
  return { provider: provider(), region: REGION, instanceType: 't3.small', bootMs: 0 };
});

describe('aws adapter', () => {
  let fake: ReturnType<typeof fakeAws>;
  beforeEach(() => {
    fake = fakeAws();
  });

  describe('create', () => {
    it('sends one RunInstances with the token, the tags, the user data, IMDSv2 and the host firewall', async () => {
      const req = request({ region: REGION, instanceType: 't3.small', zone: `${REGION}b`, diskGiB: 40 });
      const machine = await provider().create(req);

      const [input, ...more] = runCalls();
      expect(more).toEqual([]);
      const groupId = [...fake.groups.keys()][0];
      expect(input).toMatchObject({
        ClientToken: req.clientToken,
        MinCount: 1,
        MaxCount: 1,
        ImageId: NEWEST_IMAGE,
        InstanceType: 't3.small',
        SecurityGroupIds: [groupId],
        MetadataOptions: { HttpTokens: 'required', HttpEndpoint: 'enabled', HttpPutResponseHopLimit: 1 },
        Placement: { AvailabilityZone: `${REGION}b` },
        BlockDeviceMappings: [{ DeviceName: '/dev/xvda', Ebs: { VolumeSize: 40, VolumeType: 'gp3', DeleteOnTermination: true } }],
      });
      const tags = [
        { Key: TAG_KEYS.tenant, Value: req.tags.tenant },
        { Key: TAG_KEYS.cluster, Value: req.tags.cluster },
        { Key: TAG_KEYS.host, Value: req.tags.host },
        { Key: 'Name', Value: req.name },
      ];
      expect(input?.TagSpecifications).toEqual([
        { ResourceType: 'instance', Tags: tags },
        { ResourceType: 'volume', Tags: tags },
      ]);
      const userData = Buffer.from(input?.UserData ?? '', 'base64').toString('utf8');
      expect(userData).toBe(renderCloudInit(req.bootstrap));
      expect(userData).toContain(`WHARF_JOIN_TOKEN=${req.bootstrap.registrationToken}`);

      expect(machine).toMatchObject({
        state: 'pending',
        region: REGION,
        zone: `${REGION}b`,
        instanceType: 't3.small',
        tags: req.tags,
        extra: { imageId: NEWEST_IMAGE, vpcId: 'vpc-default', subnetId: 'subnet-a', securityGroupIds: [groupId] },
      });
      expect(machine.id).toMatch(/^i-[0-9a-f]{17}$/);
      expect(machine.createdAt).toBe('2025-01-01T00:00:00.000Z');
    });

    it('uses the image asked for, its own root device for the disk, and no placement or disk when not asked', async () => {
      const req = request({ region: REGION, instanceType: 't3.small', image: 'ami-custom', diskGiB: 20 });
      await provider().create(req);
      expect(runCalls()[0]).toMatchObject({ ImageId: 'ami-custom', BlockDeviceMappings: [{ DeviceName: '/dev/sda1' }] });

      await provider().create(request({ region: REGION, instanceType: 't3.small' }));
      const plain = runCalls()[1];
      expect(plain?.ImageId).toBe(NEWEST_IMAGE);
      expect(plain).not.toHaveProperty('Placement');
      expect(plain).not.toHaveProperty('BlockDeviceMappings');
    });

    it('a retry after a lost answer sends the same ClientToken and yields the one instance', async () => {
      const aws = provider();
      const req = request({ region: REGION, instanceType: 't3.small' });
      fake.failAfterCreate = 1; // EC2 made the instance, the answer never arrived

      const lost = await aws.create(req).catch((e: unknown) => e);
      expect(lost).toBeInstanceOf(ProviderError);
      expect(lost).toMatchObject({ kind: 'unavailable', retryable: true });

      const made = await aws.create(req); // the host job's retry
      const again = await aws.create(req);
      expect(again.id).toBe(made.id);
      expect(runCalls().map((c) => c.ClientToken)).toEqual([req.clientToken, req.clientToken, req.clientToken]);
      expect(fake.instances.size).toBe(1);
    });

    it('answers the earlier instance when a retry with the same token differs (a newer default image meanwhile)', async () => {
      const aws = provider();
      const req = request({ region: REGION, instanceType: 't3.small', image: 'ami-0aaa' });
      const made = await aws.create(req);
      const again = await aws.create({ ...req, image: 'ami-0bbb' });
      expect(again.id).toBe(made.id);
      expect(fake.instances.size).toBe(1);
    });

    it('refuses a client token EC2 would not take, and a bad region, before any request', async () => {
      const aws = provider();
      await expect(
        aws.create(request({ region: REGION, instanceType: 't3.small', clientToken: 'x'.repeat(65) })),
      ).rejects.toMatchObject({
        kind: 'invalid',
      });
      await expect(aws.create(request({ region: 'Frankfurt', instanceType: 't3.small' }))).rejects.toMatchObject({
        kind: 'invalid',
      });
      expect(ec2.calls()).toHaveLength(0);
    });
  });

  describe('list, observe, delete', () => {
    it('list follows every NextToken page: 7 instances over 4 pages', async () => {
      const tenant = 't-many';
      for (let n = 0; n < 7; n++)
        fake.seed([
          { Key: TAG_KEYS.tenant, Value: tenant },
          { Key: TAG_KEYS.cluster, Value: 'c-1' },
          { Key: TAG_KEYS.host, Value: `h-${n}` },
        ]);
      fake.seed([
        { Key: TAG_KEYS.tenant, Value: 't-other' },
        { Key: TAG_KEYS.host, Value: 'h-other' },
      ]);
      fake.seed([{ Key: 'Name', Value: 'not-wharf' }]);

      const listed = await provider().list(REGION, { tenant });
      expect(listed.map((m) => m.tags.host)).toEqual(['h-0', 'h-1', 'h-2', 'h-3', 'h-4', 'h-5', 'h-6']);
      const pages = ec2.commandCalls(DescribeInstancesCommand).map((c) => c.args[0].input);
      expect(pages.map((p) => p.NextToken)).toEqual([undefined, 'page-2', 'page-4', 'page-6']);
      expect(pages[0]?.Filters).toEqual([
        { Name: 'tag-key', Values: [TAG_KEYS.host] },
        { Name: `tag:${TAG_KEYS.tenant}`, Values: [tenant] },
      ]);

      // without a filter: every Wharf machine of the region, and only Wharf's
      expect((await provider().list(REGION)).map((m) => m.tags.host).sort()).toEqual(
        ['h-0', 'h-1', 'h-2', 'h-3', 'h-4', 'h-5', 'h-6', 'h-other'].sort(),
      );
    });

    it('observe answers undefined for an instance EC2 does not know; delete of it is not an error', async () => {
      const aws = provider();
      expect(await aws.observe(REGION, 'i-0123456789abcdef0')).toBeUndefined();
      await expect(aws.delete(REGION, 'i-0123456789abcdef0')).resolves.toBeUndefined();
      expect(ec2.commandCalls(TerminateInstancesCommand)).toHaveLength(1);
    });

    it('delete refuses what is not an instance id instead of reporting it gone', async () => {
      await expect(provider().delete(REGION, 'sg-123')).rejects.toMatchObject({ kind: 'invalid' });
      expect(ec2.calls()).toHaveLength(0);
    });

    it('maps every EC2 state onto Wharf’s, and keeps the rest under extra', () => {
      const states: [InstanceStateName | string, string][] = [
        ['pending', 'pending'],
        ['running', 'running'],
        ['stopping', 'stopping'],
        ['stopped', 'stopped'],
        ['shutting-down', 'terminating'],
        ['terminated', 'terminated'],
        ['rebooting-on-mars', 'unknown'],
      ];
      for (const [aws, wharf] of states)
        expect(toMachine(REGION, { InstanceId: 'i-1', State: { Name: aws as InstanceStateName } }).state).toBe(wharf);
      const m = toMachine(REGION, {
        InstanceId: 'i-0123456789abcdef0',
        InstanceType: 'm7i.large',
        State: { Name: 'running' },
        Tags: [
          { Key: TAG_KEYS.tenant, Value: 't' },
          { Key: 'Name', Value: 'web' },
        ],
        ImageId: 'ami-1',
        VpcId: 'vpc-1',
        SubnetId: 'subnet-1',
        PrivateIpAddress: '10.0.0.5',
        PublicDnsName: '',
      });
      expect(m).toEqual({
        id: 'i-0123456789abcdef0',
        state: 'running',
        region: REGION,
        instanceType: 'm7i.large',
        privateIp: '10.0.0.5',
        tags: { tenant: 't' },
        extra: { imageId: 'ami-1', vpcId: 'vpc-1', subnetId: 'subnet-1', name: 'web', awsState: 'running' },
      });
    });
  });

  describe('catalogue', () => {
    it('instanceTypes follows every page; images are the newest Debian 12 of the official owner', async () => {
      const aws = provider();
      expect(await aws.instanceTypes(REGION)).toHaveLength(TYPES.length);
      expect(ec2.commandCalls(DescribeInstanceTypesCommand)).toHaveLength(3);

      const images = await aws.images(REGION);
      expect(images.map((i) => i.id)).toEqual([NEWEST_IMAGE, 'ami-0bbb', 'ami-0aaa', 'ami-105', 'ami-104']);
      expect(ec2.commandCalls(DescribeImagesCommand)[0]?.args[0].input).toMatchObject({
        Owners: [DEBIAN_OWNER],
        Filters: expect.arrayContaining([{ Name: 'name', Values: ['debian-12-amd64-*'] }]),
      });
    });

    it('verify answers the account and principal of GetCallerIdentity', async () => {
      expect(await provider().verify()).toEqual({ account: ACCOUNT, principal: `arn:aws:iam::${ACCOUNT}:user/wharf` });
      expect(sts.commandCalls(AssumeRoleCommand)).toHaveLength(0);
    });
  });

  describe('host firewall', () => {
    const inbound = () =>
      [...fake.groups.values()][0]?.rules
        .filter((r) => !r.IsEgress)
        .map((r) => `${r.IpProtocol}/${r.FromPort} ${r.ReferencedGroupInfo?.GroupId ? 'self' : (r.CidrIpv4 ?? r.CidrIpv6)}`)
        .sort();
    const EXPECTED = [
      'tcp/2377 self',
      'tcp/443 0.0.0.0/0',
      'tcp/443 ::/0',
      'tcp/7946 self',
      'tcp/80 0.0.0.0/0',
      'tcp/80 ::/0',
      'udp/4789 self',
      'udp/7946 self',
    ];

    it('creates wharf-<cluster> tagged, with Swarm only between members and HTTP(S) from anywhere, nothing else', async () => {
      const id = await provider().ensureHostFirewall(REGION, 'c-42');
      const group = fake.groups.get(id);
      expect(group).toMatchObject({ name: 'wharf-c-42', vpcId: 'vpc-default' });
      expect(group?.tags).toContainEqual({ Key: TAG_KEYS.cluster, Value: 'c-42' });
      expect(inbound()).toEqual(EXPECTED);
      for (const r of group?.rules ?? []) if (r.ReferencedGroupInfo) expect(r.ReferencedGroupInfo.GroupId).toBe(id);
    });

    it('is idempotent and takes away an inbound rule added by hand (SSH)', async () => {
      const aws = provider();
      const id = await aws.ensureHostFirewall(REGION, 'c-42');
      fake.groups.get(id)?.rules.push({
        SecurityGroupRuleId: 'sgr-ssh',
        IsEgress: false,
        IpProtocol: 'tcp',
        FromPort: 22,
        ToPort: 22,
        CidrIpv4: '0.0.0.0/0',
      });
      ec2.resetHistory();

      expect(await aws.ensureHostFirewall(REGION, 'c-42')).toBe(id);
      expect(ec2.commandCalls(CreateSecurityGroupCommand)).toHaveLength(0);
      expect(ec2.commandCalls(AuthorizeSecurityGroupIngressCommand)).toHaveLength(0);
      expect(ec2.commandCalls(RevokeSecurityGroupIngressCommand)[0]?.args[0].input).toEqual({
        GroupId: id,
        SecurityGroupRuleIds: ['sgr-ssh'],
      });
      expect(inbound()).toEqual(EXPECTED);
      // the egress default stays
      expect(fake.groups.get(id)?.rules.some((r) => r.IsEgress)).toBe(true);
    });

    it('refuses to take over a group of that name Wharf did not create', async () => {
      fake.groups.set('sg-theirs', { name: 'wharf-c-42', vpcId: 'vpc-default', tags: [], rules: [] });
      await expect(provider().ensureHostFirewall(REGION, 'c-42')).rejects.toMatchObject({ kind: 'invalid' });
      expect(ec2.commandCalls(AuthorizeSecurityGroupIngressCommand)).toHaveLength(0);
    });
  });

  describe('credentials', () => {
    it('assumes the role with its ExternalId, signs EC2 with the result, and reuses it until shortly before expiry', async () => {
      const aws = provider(ROLE);
      await aws.verify();
      await aws.regions();
      await aws.verify();
      const assumed = sts.commandCalls(AssumeRoleCommand).map((c) => c.args[0].input);
      expect(assumed).toEqual([
        {
          RoleArn: ROLE.kind === 'role' ? ROLE.roleArn : '',
          ExternalId: 'wharf-ext-4f1c9a',
          RoleSessionName: 'wharf-hosts',
          DurationSeconds: 3600,
        },
      ]);

      // the EC2 client of the region signs with the assumed role's credentials
      const client = ec2.commandCalls(DescribeRegionsCommand)[0]?.thisValue as EC2Client;
      const credentials = await client.config.credentials();
      expect(credentials).toMatchObject({ accessKeyId: 'ASIAEXAMPLEASSUMED01', sessionToken: 'session-of-wharf-hosts' });

      clock.now += 3600_000 - 4 * 60_000; // four minutes before they expire
      await aws.verify();
      expect(sts.commandCalls(AssumeRoleCommand)).toHaveLength(2);
    });

    it('accepts role ARNs of every partition, with a path', () => {
      for (const roleArn of [
        'arn:aws:iam::123456789012:role/WharfHosts',
        'arn:aws-cn:iam::123456789012:role/path/to/Wharf.Hosts+1',
        'arn:aws-us-gov:iam::123456789012:role/wharf_hosts',
      ])
        expect(() => awsProvider({ kind: 'role', roleArn, externalId: 'ext-1234' })).not.toThrow();
    });

    it('refuses malformed role ARNs before any request', async () => {
      for (const roleArn of [
        '',
        'WharfHosts',
        'arn:aws:iam::12345678901:role/WharfHosts',
        'arn:aws:iam::123456789012:user/bob',
        'arn:aws:sts::123456789012:assumed-role/WharfHosts/x',
        'arn:aws-eu:iam::123456789012:role/WharfHosts',
        'arn:aws:iam::123456789012:role/',
        'arn:aws:iam::123456789012:role/has space',
        ' arn:aws:iam::123456789012:role/WharfHosts',
      ]) {
        const refused = (() => {
          try {
            awsProvider({ kind: 'role', roleArn, externalId: 'ext-1234' });
            return undefined;
          } catch (error) {
            return error;
          }
        })();
        expect(refused, roleArn).toBeInstanceOf(ProviderError);
        expect(refused).toMatchObject({ kind: 'invalid', message: expect.stringMatching(/arn:aws:iam::123456789012:role\//) });
      }
      expect(() => awsProvider({ kind: 'role', roleArn: 'arn:aws:iam::123456789012:role/x', externalId: 'x' })).toThrow(
        ProviderError,
      );
      expect(() => awsProvider({ kind: 'keys', accessKeyId: 'not a key', secretAccessKey: 's' })).toThrow(ProviderError);
      expect(sts.calls()).toHaveLength(0);
      expect(ec2.calls()).toHaveLength(0);
    });
  });

  describe('errors', () => {
    const cases: [string, Error, ProviderErrorKind, RegExp][] = [
      [
        'AuthFailure',
        awsFailure('AuthFailure', 'AWS was not able to validate the provided access credentials', 401),
        'auth',
        /check the access key/,
      ],
      [
        'UnauthorizedOperation naming the action',
        awsFailure(
          'UnauthorizedOperation',
          'You are not authorized to perform this operation. User: arn:aws:iam::1:user/x is not authorized to perform: ec2:DescribeRegions because no identity-based policy allows it. Encoded authorization failure message: AbCdEf',
          403,
        ),
        'permission',
        /add ec2:DescribeRegions to the policy/,
      ],
      [
        'UnauthorizedOperation without it',
        awsFailure('UnauthorizedOperation', 'You are not authorized to perform this operation.', 403),
        'permission',
        /ec2:DescribeRegions/,
      ],
      [
        'InvalidClientTokenId',
        awsFailure('InvalidClientTokenId', 'The security token included in the request is invalid.', 403),
        'auth',
        /check/,
      ],
      [
        'InsufficientInstanceCapacity',
        awsFailure('InsufficientInstanceCapacity'),
        'capacity',
        /try another zone or instance type/,
      ],
      ['InstanceLimitExceeded', awsFailure('InstanceLimitExceeded'), 'limit', /Service Quotas/],
      [
        'VcpuLimitExceeded',
        awsFailure('VcpuLimitExceeded', 'You have requested more vCPU capacity than your current vCPU limit of 32'),
        'limit',
        /quota.*vCPU limit of 32/,
      ],
      [
        'InvalidParameterValue',
        awsFailure('InvalidParameterValue', "Invalid value 'x9.huge' for InstanceType."),
        'invalid',
        /x9\.huge/,
      ],
      ['InvalidAMIID.NotFound', awsFailure('InvalidAMIID.NotFound', "The image id '[ami-1]' does not exist"), 'invalid', /ami-1/],
      ['InvalidAMIID.Malformed', awsFailure('InvalidAMIID.Malformed'), 'invalid', /refused a parameter/],
      ['InvalidInstanceType', awsFailure('InvalidInstanceType'), 'invalid', /refused a parameter/],
      [
        'Unsupported',
        awsFailure('Unsupported', 'The requested configuration is currently not supported.'),
        'invalid',
        /not supported/,
      ],
      [
        'RequestLimitExceeded',
        awsFailure('RequestLimitExceeded', 'Request limit exceeded.', 503),
        'throttled',
        /try again in a minute/,
      ],
      ['Throttling', awsFailure('Throttling', 'Rate exceeded', 400), 'throttled', /try again/],
      [
        'InternalError (500)',
        awsFailure('InternalError', 'An internal error has occurred', 500),
        'unavailable',
        /try again later/,
      ],
      ['a 503 of any code', awsFailure('SomethingNew', 'down', 503), 'unavailable', /try again later/],
      ['TimeoutError', Object.assign(new Error('timed out'), { name: 'TimeoutError' }), 'unavailable', /try again later/],
      ['ECONNRESET', networkFailure('ECONNRESET'), 'unavailable', /try again later/],
      ['DNS failing for a real region', networkFailure('ENOTFOUND', 'sts.amazonaws.com'), 'unavailable', /try again later/],
      ['an unknown code', awsFailure('SomethingNew', 'new failure'), 'failed', /SomethingNew/],
    ];
    it.each(cases)('%s', async (_, failure, kind, message) => {
      ec2.on(DescribeRegionsCommand).rejects(failure);
      const error = await provider()
        .regions()
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ProviderError);
      expect(error).toMatchObject({ kind, message: expect.stringMatching(message) });
      expect((error as ProviderError).message).not.toContain('Encoded authorization');
    });

    it('capacity names the instance type and zone of the create', async () => {
      ec2
        .on(RunInstancesCommand)
        .rejects(awsFailure('InsufficientInstanceCapacity', 'We currently do not have sufficient capacity'));
      await expect(
        provider().create(request({ region: REGION, instanceType: 'c7i.xlarge', zone: `${REGION}c` })),
      ).rejects.toMatchObject({
        kind: 'capacity',
        retryable: true,
        message: expect.stringMatching(/c7i\.xlarge in eu-central-1c/),
      });
    });

    it.each(['AccessDenied', 'InvalidClientTokenId', 'SignatureDoesNotMatch', 'ExpiredToken'])(
      'a refused AssumeRole (%s) says what the trust policy must allow',
      async (code) => {
        sts.on(AssumeRoleCommand).rejects(awsFailure(code, `User is not authorized to perform: sts:AssumeRole (${code})`, 403));
        const error = await provider(ROLE)
          .verify()
          .catch((e: unknown) => e);
        expect(error).toMatchObject({
          kind: 'auth',
          code,
          message: expect.stringMatching(/trust policy must allow Wharf's AWS account.*sts:ExternalId = "wharf-ext-4f1c9a"/),
        });
        expect(sts.commandCalls(GetCallerIdentityCommand)).toHaveLength(0);
      },
    );

    it('an unknown region: refused by shape before any request, and by its endpoint not resolving', async () => {
      const aws = provider();
      for (const region of ['Frankfurt', 'eu-central', 'EU-CENTRAL-1', 'eu-central-1; rm -rf /', '', 'eu-central-12'])
        await expect(aws.instanceTypes(region), region).rejects.toMatchObject({
          kind: 'invalid',
          message: expect.stringMatching(/Unknown region/),
        });
      await expect(aws.list('moon-1')).rejects.toMatchObject({ kind: 'invalid' });
      await expect(aws.observe('x', 'i-0123456789abcdef0')).rejects.toMatchObject({ kind: 'invalid' });
      expect(ec2.calls()).toHaveLength(0);

      ec2.on(DescribeInstanceTypesCommand).rejects(networkFailure('ENOTFOUND', 'ec2.xx-nowhere-9.amazonaws.com'));
      await expect(aws.instanceTypes('xx-nowhere-9')).rejects.toMatchObject({
        kind: 'invalid',
        message: expect.stringMatching(/Unknown region xx-nowhere-9/),
      });
    });
  });
});
