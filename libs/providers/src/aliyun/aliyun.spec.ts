import { afterEach, describe, expect, it } from 'vitest';
import { renderCloudInit } from '../cloud-init.js';
import { ProviderError, type ProviderErrorKind } from '../errors.js';
import { describeProviderContract, request } from '../testing/contract.js';
import { FakeEcs, type FakeEcsOptions } from '../testing/fake-ecs.js';
import { type AliyunCredentials, aliyunProvider } from './aliyun.js';

const KEY_ID = 'LTAI5tWharfTestKey0001';
const SECRET = 'wharf-test-secret-0123456789abcdef';
const ACCOUNT = '1234567890123456';
const ROLE = `acs:ram::${ACCOUNT}:role/wharf-hosts`;
const PLATFORM_ID = 'LTAI5tWharfPlatformKey1';
const PLATFORM_SECRET = 'platform-secret-fedcba9876543210';
const REGION = 'cn-hangzhou';
const TYPE = 'ecs.g7.large';

const fakes: FakeEcs[] = [];

/** A fake ECS/STS endpoint on a local port, closed after the test. */
async function startFake(over: Partial<FakeEcsOptions> = {}) {
  const fake = new FakeEcs({
    keys: { [KEY_ID]: SECRET, [PLATFORM_ID]: PLATFORM_SECRET },
    accountId: ACCOUNT,
    roles: { [ROLE]: 'ext-42' },
    ...over,
  });
  const endpoint = await fake.start();
  fakes.push(fake);
  const provider = (credentials: AliyunCredentials = { kind: 'keys', accessKeyId: KEY_ID, accessKeySecret: SECRET }) =>
    aliyunProvider(credentials, {
      endpoint,
      stsEndpoint: endpoint,
      protocol: 'http',
      platformKey: { accessKeyId: PLATFORM_ID, accessKeySecret: PLATFORM_SECRET },
    });
  return { fake, provider };
}

afterEach(async () => {
  await Promise.all(fakes.splice(0).map((f) => f.close()));
});

async function rejection(promise: Promise<unknown>): Promise<ProviderError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ProviderError);
  return error as ProviderError;
}

describeProviderContract('aliyun', async () => {
  const fake = new FakeEcs({ keys: { [KEY_ID]: SECRET }, accountId: ACCOUNT, bootMs: 500 });
  const endpoint = await fake.start();
  return {
    provider: aliyunProvider(
      { kind: 'keys', accessKeyId: KEY_ID, accessKeySecret: SECRET },
      { endpoint, stsEndpoint: endpoint, protocol: 'http' },
    ),
    region: REGION,
    instanceType: TYPE,
    bootMs: 3_000,
    close: () => fake.close(),
  };
});

describe('aliyun: what reaches ECS', () => {
  it('runs one tagged instance with the cloud-init, the cluster group, and the VSwitch of the zone', async () => {
    const { fake, provider } = await startFake();
    const req = request({ region: REGION, instanceType: TYPE, zone: `${REGION}-b`, diskGiB: 40 });
    const made = await provider().create(req);

    const [run, ...more] = fake.callsOf('RunInstances');
    expect(more).toEqual([]);
    const group = [...fake.groups.values()].find((g) => g.tags['wharf:cluster'] === req.tags.cluster);
    expect(group?.name).toBe(`wharf-${req.tags.cluster}`);
    expect(run?.params).toMatchObject({
      RegionId: REGION,
      ClientToken: req.clientToken,
      Amount: '1',
      InstanceType: TYPE,
      ImageId: 'debian_12_9_x64_20G_alibase_20250117.vhd', // the newest Debian 12 of the region
      ZoneId: `${REGION}-b`,
      VSwitchId: `vsw-${REGION}-b-wharf`, // the zone's `wharf…` VSwitch before its default one
      SecurityGroupId: group?.id,
      InstanceName: req.name,
      'SystemDisk.Size': '40',
      'Tag.1.Key': 'wharf:tenant',
      'Tag.1.Value': req.tags.tenant,
      'Tag.2.Key': 'wharf:cluster',
      'Tag.2.Value': req.tags.cluster,
      'Tag.3.Key': 'wharf:host',
      'Tag.3.Value': req.tags.host,
    });
    expect(Buffer.from(run?.params.UserData ?? '', 'base64').toString('utf8')).toBe(renderCloudInit(req.bootstrap));
    expect(made).toMatchObject({
      id: [...fake.instances.keys()][0],
      zone: `${REGION}-b`,
      tags: req.tags,
      privateIp: expect.any(String),
    });
    expect(made.extra).toMatchObject({ vSwitchId: `vsw-${REGION}-b-wharf`, securityGroupIds: [group?.id] });
  });

  it('opens Swarm only inside the cluster group and HTTP(S) to the world, nothing else, and reuses the group', async () => {
    const { fake, provider } = await startFake();
    const p = provider();
    const first = request({ region: REGION, instanceType: TYPE, zone: `${REGION}-a` });
    await p.create(first);
    const group = [...fake.groups.values()][0];
    const rules = (group?.rules ?? []).map(
      (r) => `${r.IpProtocol} ${r.PortRange} ${r.SourceGroupId ?? r.SourceCidrIp} ${r.Policy}`,
    );
    expect(rules.sort()).toEqual(
      [
        `TCP 2377/2377 ${group?.id} accept`,
        `TCP 7946/7946 ${group?.id} accept`,
        `UDP 7946/7946 ${group?.id} accept`,
        `UDP 4789/4789 ${group?.id} accept`,
        'TCP 80/80 0.0.0.0/0 accept',
        'TCP 443/443 0.0.0.0/0 accept',
      ].sort(),
    );
    expect(group?.vpcId).toBe(`vpc-${REGION}-default`);
    expect(fake.callsOf('RunInstances')[0]?.params.VSwitchId).toBe(`vsw-${REGION}-a-default`);

    // a second host of the same cluster: the group is found by its tag, no second group, no rule twice
    await p.create({ ...request({ region: REGION, instanceType: TYPE }), tags: { ...first.tags, host: 'h-second' } });
    expect(fake.callsOf('CreateSecurityGroup')).toHaveLength(1);
    expect(fake.callsOf('AuthorizeSecurityGroup')).toHaveLength(1);
    expect(new Set(fake.callsOf('RunInstances').map((c) => c.params.SecurityGroupId))).toEqual(new Set([group?.id]));
    expect(await p.ensureHostFirewall(REGION, first.tags.cluster)).toBe(group?.id);

    // a group left without rules (a run stopped halfway) gets them on the next call
    group?.rules.splice(0, 2);
    await p.ensureHostFirewall(REGION, first.tags.cluster);
    expect(group?.rules).toHaveLength(6);
  });

  it('lists every page: 7 hosts at 2 a page', async () => {
    const { fake, provider } = await startFake({ pageSize: 2 });
    const p = provider();
    const base = request({ region: REGION, instanceType: TYPE });
    const made: string[] = [];
    for (let n = 0; n < 7; n++) {
      made.push(
        (await p.create({ ...request({ region: REGION, instanceType: TYPE }), tags: { ...base.tags, host: `h-${n}` } })).id,
      );
    }
    await p.create(request({ region: REGION, instanceType: TYPE })); // another tenant's host
    const before = fake.callsOf('DescribeInstances').length;

    const listed = await p.list(REGION, { tenant: base.tags.tenant });
    expect(listed.map((m) => m.id).sort()).toEqual([...made].sort());
    const pages = fake.callsOf('DescribeInstances').slice(before);
    expect(pages).toHaveLength(4);
    expect(pages.map((c) => c.params.NextToken)).toEqual([undefined, '2', '4', '6']);
    expect(pages[0]?.params).toMatchObject({
      'Tag.1.Key': 'wharf:host',
      'Tag.2.Key': 'wharf:tenant',
      'Tag.2.Value': base.tags.tenant,
    });
    expect(pages[0]?.params['Tag.1.Value']).toBeUndefined();
    expect(await p.list(REGION)).toHaveLength(8);
    expect(await p.list(REGION, { cluster: base.tags.cluster, tenant: base.tags.tenant })).toHaveLength(7);
  });

  it('reads regions, every page of instance types, and only Debian 12 images', async () => {
    const { provider } = await startFake({ pageSize: 2 });
    const p = provider();
    expect((await p.regions()).map((r) => r.id)).toEqual(['cn-hangzhou', 'ap-southeast-1']);
    const types = await p.instanceTypes(REGION);
    expect(types).toHaveLength(5);
    expect(types.find((t) => t.id === 'ecs.g7.xlarge')).toEqual({ id: 'ecs.g7.xlarge', vcpus: 4, memoryMiB: 16_384 });
    expect((await p.images(REGION)).map((i) => i.id)).toEqual([
      'debian_12_9_x64_20G_alibase_20250117.vhd',
      'debian_12_6_x64_20G_alibase_20240715.vhd',
    ]);
  });

  it('verifies keys with DescribeRegions and names the account', async () => {
    const { fake, provider } = await startFake();
    expect(await provider().verify()).toEqual({ account: ACCOUNT, principal: `acs:ram::${ACCOUNT}:user/wharf-test` });
    expect(fake.calls.map((c) => c.action)).toEqual(['DescribeRegions', 'GetCallerIdentity']);
  });
});

describe('aliyun: signature and credentials', () => {
  it('is refused with a wrong secret, and nothing is created; the right secret creates', async () => {
    const { fake, provider } = await startFake();
    const wrong = provider({ kind: 'keys', accessKeyId: KEY_ID, accessKeySecret: `${SECRET}x` });
    const error = await rejection(wrong.create(request({ region: REGION, instanceType: TYPE })));
    expect(error).toMatchObject({ kind: 'auth', code: 'SignatureDoesNotMatch' });
    expect(fake.refused.length).toBeGreaterThan(0);
    expect(fake.calls).toEqual([]);
    expect(fake.instances.size).toBe(0);
    expect(fake.groups.size).toBe(0);
    expect(await rejection(wrong.verify())).toMatchObject({ kind: 'auth' });

    // positive control: the same calls with the right secret go through
    await provider().create(request({ region: REGION, instanceType: TYPE }));
    expect(fake.instances.size).toBe(1);
  });

  it('is refused with an unknown AccessKey id', async () => {
    const { fake, provider } = await startFake();
    const error = await rejection(provider({ kind: 'keys', accessKeyId: 'LTAI5tNobody', accessKeySecret: SECRET }).regions());
    expect(error).toMatchObject({ kind: 'auth', code: 'InvalidAccessKeyId.NotFound' });
    expect(fake.calls).toEqual([]);
  });

  it('assumes a role with the platform key and works with the session', async () => {
    const { fake, provider } = await startFake();
    const p = provider({ kind: 'role', roleArn: ROLE, externalId: 'ext-42' });
    expect(await p.verify()).toEqual({ account: ACCOUNT, principal: `acs:ram::${ACCOUNT}:assumed-role/wharf-hosts/wharf` });
    await p.create(request({ region: REGION, instanceType: TYPE }));

    const [assume, ...again] = fake.callsOf('AssumeRole');
    expect(again).toEqual([]); // the session is kept while it is valid
    expect(assume).toMatchObject({ accessKeyId: PLATFORM_ID, params: { RoleArn: ROLE, ExternalId: 'ext-42' } });
    const ecsCalls = fake.calls.filter((c) => c.action !== 'AssumeRole');
    expect(ecsCalls.length).toBeGreaterThan(0);
    for (const call of ecsCalls) expect(call.accessKeyId).toMatch(/^STS\./);
    expect(fake.instances.size).toBe(1);
  });

  it('refuses a role its trust policy does not let Wharf assume', async () => {
    const { fake, provider } = await startFake();
    const wrongExternal = provider({ kind: 'role', roleArn: ROLE, externalId: 'ext-other' });
    expect(await rejection(wrongExternal.regions())).toMatchObject({ kind: 'auth', code: 'NoPermission' });
    const unknown = provider({ kind: 'role', roleArn: `acs:ram::${ACCOUNT}:role/nobody` });
    expect(await rejection(unknown.regions())).toMatchObject({ kind: 'auth', code: 'EntityNotExist.Role' });
    expect(fake.calls.map((c) => c.action)).toEqual(['AssumeRole', 'AssumeRole']);
  });

  it('refuses malformed role ARNs and region ids before any request', async () => {
    const { fake, provider } = await startFake();
    for (const roleArn of [
      'arn:aws:iam::123456789012:role/wharf',
      'acs:ram::12345:role/wharf',
      `acs:ram::${ACCOUNT}:user/wharf`,
      `acs:ram::${ACCOUNT}:role/`,
      `acs:ram::${ACCOUNT}:role/wharf hosts`,
    ]) {
      expect(() => provider({ kind: 'role', roleArn })).toThrow(ProviderError);
      expect(() => provider({ kind: 'role', roleArn })).toThrow(/acs:ram::<16-digit account id>:role/);
    }
    const p = provider();
    for (const region of ['', 'CN-HANGZHOU', 'cn_hangzhou', 'hangzhou', '../cn-hangzhou', 'cn-hangzhou?x=1']) {
      expect(await rejection(p.list(region))).toMatchObject({ kind: 'invalid' });
      expect(await rejection(p.observe(region, 'i-1'))).toMatchObject({ kind: 'invalid' });
      expect(await rejection(p.create(request({ region, instanceType: TYPE })))).toMatchObject({ kind: 'invalid' });
    }
    expect(fake.calls).toEqual([]);
    expect(fake.refused).toEqual([]);
  });
});

describe('aliyun: errors in words a user can act on', () => {
  const cases: [code: string, status: number, kind: ProviderErrorKind, words?: RegExp][] = [
    ['InvalidAccessKeyId.NotFound', 404, 'auth'],
    ['SignatureDoesNotMatch', 400, 'auth'],
    ['InvalidSecurityToken.Expired', 400, 'auth'],
    ['Forbidden.RAM', 403, 'permission', /AliyunECSFullAccess.*ecs:DescribeRegions/],
    ['Forbidden.NotAuthorized', 403, 'permission', /RAM policy/],
    ['NoPermission', 403, 'permission', /RAM policy/],
    ['OperationDenied.NoStock', 403, 'capacity'],
    ['Zone.NotOnSale', 403, 'capacity'],
    ['InvalidResourceType.NotSupported', 400, 'capacity'],
    ['QuotaExceed.ElasticQuota', 403, 'limit', /quota/],
    ['Account.Arrearage', 403, 'limit', /overdue payment/],
    ['InvalidParameter', 400, 'invalid'],
    ['InvalidImageId.NotFound', 404, 'invalid'],
    ['InvalidInstanceType.NotFound', 400, 'invalid'],
    ['InvalidRegionId.NotFound', 404, 'invalid'],
    ['Throttling.User', 400, 'throttled'],
    ['Throttling', 503, 'throttled'],
    ['ServiceUnavailable', 503, 'unavailable'],
    ['InternalError', 500, 'unavailable'],
    ['SomethingElse', 400, 'failed'],
  ];

  it.each(cases)('%s (%i) → %s', async (code, status, kind, words) => {
    const { fake, provider } = await startFake();
    fake.failNext({ action: 'DescribeRegions', code, status });
    const error = await rejection(provider().regions());
    expect(error).toMatchObject({ kind, code });
    if (words) expect(error.message).toMatch(words);
    expect(error.message).not.toContain(SECRET);
  });

  it('a dropped connection is unavailable, and retryable', async () => {
    const { fake, provider } = await startFake();
    fake.failNext({ action: 'DescribeRegions', drop: true });
    const error = await rejection(provider().regions());
    expect(error).toMatchObject({ kind: 'unavailable', retryable: true });
  });

  it('maps a RunInstances refusal, and keeps no instance', async () => {
    const { fake, provider } = await startFake();
    fake.failNext({ action: 'RunInstances', code: 'OperationDenied.NoStock', status: 403 });
    const error = await rejection(provider().create(request({ region: REGION, instanceType: TYPE })));
    expect(error).toMatchObject({ kind: 'capacity', retryable: true });
    expect(fake.instances.size).toBe(0);
  });

  it('deleting an instance Aliyun does not know is not an error; other delete failures are', async () => {
    const { fake, provider } = await startFake();
    await expect(provider().delete(REGION, 'i-gone0000')).resolves.toBeUndefined();
    expect(fake.callsOf('DeleteInstances')[0]?.params).toMatchObject({ 'InstanceId.1': 'i-gone0000', Force: 'true' });
    fake.failNext({ action: 'DeleteInstances', code: 'Forbidden.RAM', status: 403 });
    expect(await rejection(provider().delete(REGION, 'i-gone0000'))).toMatchObject({ kind: 'permission' });
  });
});
