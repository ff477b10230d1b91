import EcsModule, {
  DeleteInstancesRequest,
  DescribeImagesRequest,
  DescribeInstancesRequest,
  DescribeInstancesRequestTag,
  type DescribeInstancesResponseBodyInstancesInstance,
  DescribeInstanceTypesRequest,
  DescribeRegionsRequest,
  RunInstancesRequest,
  RunInstancesRequestSystemDisk,
  RunInstancesRequestTag,
} from '@alicloud/ecs20140526';
import { Config } from '@alicloud/openapi-client';
import { renderCloudInit } from '../cloud-init.js';
import { ProviderError } from '../errors.js';
import {
  type AccountIdentity,
  type CreateMachineRequest,
  type FirewallCapability,
  type Machine,
  type MachineImage,
  type MachineProvider,
  type MachineState,
  type InstanceType as MachineType,
  type Region,
  TAG_KEYS,
  type WharfTags,
} from '../types.js';
import { aliyunCode, mapAliyunError } from './aliyun-errors.js';
import { type AliyunCredentials, AliyunSession, roleAccount, type SessionKey, type SessionOptions } from './credentials.js';

import { type EcsCall, type EcsClient, PAGE } from './ecs.js';
import { ensureHostFirewall, firewallIn } from './firewall.js';
import { hostVSwitch } from './network.js';

/*
 * The `aliyun` adapter: Alibaba Cloud ECS through @alicloud/ecs20140526 (signature V3, ACS3-HMAC-SHA256).
 * Which VSwitch a host goes into: network.ts; the cluster's security group: firewall.ts.
 */

export type { AliyunAccessKey, AliyunCredentials } from './credentials.js';

export interface AliyunProviderOptions extends SessionOptions {
  /** ECS endpoint (host[:port]) for every region instead of Aliyun's regional ones: tests point it at a fake. */
  endpoint?: string;
  /** Region of the calls that are not about one region (verify, regions); default `cn-hangzhou`. */
  homeRegion?: string;
}

const REGION = /^[a-z]{2}(-[a-z0-9]+)+$/;
const ZONE = /^[a-z]{2}(-[a-z0-9]+)+$/;

// a CommonJS package: Node hands its module.exports as the default import, some loaders the `default` inside it
const EcsClientClass: typeof EcsModule.default = EcsModule.default ?? (EcsModule as unknown as typeof EcsModule.default);

const STATES: Record<string, MachineState> = {
  Pending: 'pending',
  Starting: 'pending',
  Running: 'running',
  Stopping: 'stopping',
  Stopped: 'stopped',
};

function checkRegion(region: string): void {
  if (!REGION.test(region)) throw new ProviderError('invalid', `"${region}" is not an Aliyun region id.`);
}

/** Aliyun's `2024-05-01T08:30Z` (no seconds) as ISO 8601. */
function isoTime(value: string | undefined): string | undefined {
  if (!value) return undefined;
  const time = new Date(value);
  return Number.isNaN(time.getTime()) ? undefined : time.toISOString();
}

function toMachine(instance: DescribeInstancesResponseBodyInstancesInstance, region: string): Machine {
  const tags: Partial<WharfTags> = {};
  for (const tag of instance.tags?.tag ?? []) {
    for (const [name, key] of Object.entries(TAG_KEYS) as [keyof WharfTags, string][]) {
      if (tag.tagKey === key && tag.tagValue !== undefined) tags[name] = tag.tagValue;
    }
  }
  return {
    id: instance.instanceId ?? '',
    state: STATES[instance.status ?? ''] ?? 'unknown',
    region: instance.regionId ?? region,
    zone: instance.zoneId || undefined,
    instanceType: instance.instanceType ?? '',
    privateIp: instance.vpcAttributes?.privateIpAddress?.ipAddress?.[0] ?? instance.innerIpAddress?.ipAddress?.[0],
    publicIp: instance.publicIpAddress?.ipAddress?.[0] ?? (instance.eipAddress?.ipAddress || undefined),
    tags,
    createdAt: isoTime(instance.creationTime),
    extra: {
      status: instance.status,
      instanceName: instance.instanceName,
      imageId: instance.imageId,
      vpcId: instance.vpcAttributes?.vpcId,
      vSwitchId: instance.vpcAttributes?.vSwitchId,
      securityGroupIds: instance.securityGroupIds?.securityGroupId ?? [],
    },
  };
}

export class AliyunProvider implements MachineProvider, FirewallCapability {
  readonly kind = 'aliyun' as const;
  private readonly session: AliyunSession;
  private readonly clients = new Map<string, { key: SessionKey; client: EcsClient }>();
  /** call() as the adapter's parts (network.ts, firewall.ts) take it. */
  private readonly ecs: EcsCall = (region, action, run) => this.call(region, action, run);

  constructor(
    private readonly credentials: AliyunCredentials,
    private readonly options: AliyunProviderOptions = {},
  ) {
    this.session = new AliyunSession(credentials, options);
  }

  async verify(): Promise<AccountIdentity> {
    await this.call(this.options.homeRegion ?? 'cn-hangzhou', 'DescribeRegions', (ecs) =>
      ecs.describeRegions(new DescribeRegionsRequest({})),
    );
    if (this.credentials.kind === 'role') {
      return { account: roleAccount(this.credentials.roleArn), principal: this.session.principal ?? this.credentials.roleArn };
    }
    const identity = await this.session.identity(this.credentials);
    return { account: identity.account || this.credentials.accessKeyId, principal: identity.arn || undefined };
  }

  async regions(): Promise<Region[]> {
    const res = await this.call(this.options.homeRegion ?? 'cn-hangzhou', 'DescribeRegions', (ecs) =>
      ecs.describeRegions(new DescribeRegionsRequest({ acceptLanguage: 'en-US' })),
    );
    return (res.body?.regions?.region ?? [])
      .filter((r) => r.regionId && (r.status ?? 'available') === 'available')
      .map((r) => ({ id: r.regionId ?? '', name: r.localName || (r.regionId ?? '') }));
  }

  async instanceTypes(region: string): Promise<MachineType[]> {
    checkRegion(region);
    const types: MachineType[] = [];
    let nextToken: string | undefined;
    do {
      const res = await this.call(region, 'DescribeInstanceTypes', (ecs) =>
        ecs.describeInstanceTypes(new DescribeInstanceTypesRequest({ maxResults: 1600, nextToken })),
      );
      for (const t of res.body?.instanceTypes?.instanceType ?? []) {
        if (!t.instanceTypeId) continue;
        types.push({ id: t.instanceTypeId, vcpus: t.cpuCoreCount ?? 0, memoryMiB: Math.round((t.memorySize ?? 0) * 1024) });
      }
      nextToken = res.body?.nextToken || undefined;
    } while (nextToken);
    return types;
  }

  /** The region's Debian 12 system images (x86_64), newest first. */
  async images(region: string): Promise<MachineImage[]> {
    checkRegion(region);
    const images: (MachineImage & { created: string })[] = [];
    for (let page = 1; ; page++) {
      const res = await this.call(region, 'DescribeImages', (ecs) =>
        ecs.describeImages(
          new DescribeImagesRequest({
            regionId: region,
            imageOwnerAlias: 'system',
            OSType: 'linux',
            architecture: 'x86_64',
            imageName: 'debian_12*',
            status: 'Available',
            pageNumber: page,
            pageSize: PAGE,
          }),
        ),
      );
      const batch = res.body?.images?.image ?? [];
      for (const image of batch) {
        if (image.imageId && /^debian_12[_.]/i.test(image.imageId))
          images.push({
            id: image.imageId,
            name: image.OSNameEn || image.imageName || image.imageId,
            created: image.creationTime ?? '',
          });
      }
      if (batch.length < PAGE || page * PAGE >= (res.body?.totalCount ?? 0)) break;
    }
    return images.sort((a, b) => b.created.localeCompare(a.created)).map(({ id, name }) => ({ id, name }));
  }

  async create(request: CreateMachineRequest): Promise<Machine> {
    const { region } = request;
    checkRegion(region);
    if (request.zone !== undefined && !ZONE.test(request.zone))
      throw new ProviderError('invalid', `"${request.zone}" is not an Aliyun zone id.`);
    const userData = Buffer.from(renderCloudInit(request.bootstrap), 'utf8').toString('base64');
    const vswitch = await hostVSwitch(this.ecs, region, request.zone);
    const securityGroupId = await firewallIn(this.ecs, region, vswitch.vpcId, request.tags.cluster);
    const imageId = request.image ?? (await this.defaultImage(region));

    const res = await this.call(region, 'RunInstances', (ecs) =>
      ecs.runInstances(
        new RunInstancesRequest({
          regionId: region,
          clientToken: request.clientToken,
          amount: 1,
          minAmount: 1,
          imageId,
          instanceType: request.instanceType,
          zoneId: vswitch.zoneId,
          vSwitchId: vswitch.vSwitchId,
          securityGroupId,
          instanceName: request.name,
          instanceChargeType: 'PostPaid',
          internetChargeType: 'PayByTraffic',
          internetMaxBandwidthOut: 100,
          userData,
          systemDisk:
            request.diskGiB === undefined ? undefined : new RunInstancesRequestSystemDisk({ size: String(request.diskGiB) }),
          tag: (Object.entries(TAG_KEYS) as [keyof WharfTags, string][]).map(
            ([name, key]) => new RunInstancesRequestTag({ key, value: request.tags[name] }),
          ),
        }),
      ),
    );
    const id = res.body?.instanceIdSets?.instanceIdSet?.[0];
    if (!id) throw new ProviderError('failed', 'Aliyun accepted RunInstances but answered no instance id.');
    // RunInstances answers before DescribeInstances knows the instance: a short wait for it to appear
    for (let attempt = 0; attempt < 10; attempt++) {
      const machine = await this.observe(region, id);
      if (machine) return machine;
      await new Promise((resolve) => setTimeout(resolve, 500 * (attempt + 1)));
    }
    throw new ProviderError('failed', `Aliyun created instance ${id} but does not describe it yet: retry later.`);
  }

  async observe(region: string, id: string): Promise<Machine | undefined> {
    checkRegion(region);
    try {
      const res = await this.call(region, 'DescribeInstances', (ecs) =>
        ecs.describeInstances(new DescribeInstancesRequest({ regionId: region, instanceIds: JSON.stringify([id]) })),
      );
      const instance = (res.body?.instances?.instance ?? []).find((i) => i.instanceId === id);
      return instance ? toMachine(instance, region) : undefined;
    } catch (error) {
      if (error instanceof ProviderError && error.kind === 'not-found') return undefined;
      throw error;
    }
  }

  async delete(region: string, id: string): Promise<void> {
    checkRegion(region);
    try {
      await this.call(region, 'DeleteInstances', (ecs) =>
        ecs.deleteInstances(new DeleteInstancesRequest({ regionId: region, instanceId: [id], force: true })),
      );
    } catch (error) {
      if (error instanceof ProviderError && error.kind === 'not-found') return; // already gone
      throw error;
    }
  }

  async list(region: string, filter: Partial<Pick<WharfTags, 'tenant' | 'cluster'>> = {}): Promise<Machine[]> {
    checkRegion(region);
    const tag = [new DescribeInstancesRequestTag({ key: TAG_KEYS.host })];
    if (filter.tenant !== undefined) tag.push(new DescribeInstancesRequestTag({ key: TAG_KEYS.tenant, value: filter.tenant }));
    if (filter.cluster !== undefined) tag.push(new DescribeInstancesRequestTag({ key: TAG_KEYS.cluster, value: filter.cluster }));
    const machines: Machine[] = [];
    let nextToken: string | undefined;
    do {
      const res = await this.call(region, 'DescribeInstances', (ecs) =>
        ecs.describeInstances(new DescribeInstancesRequest({ regionId: region, tag, maxResults: PAGE, nextToken })),
      );
      for (const instance of res.body?.instances?.instance ?? []) machines.push(toMachine(instance, region));
      nextToken = res.body?.nextToken || undefined;
    } while (nextToken);
    return machines;
  }

  /** The cluster's security group in the VPC of the region's host VSwitch (see network.ts). */
  async ensureHostFirewall(region: string, cluster: string): Promise<string> {
    checkRegion(region);
    return ensureHostFirewall(this.ecs, region, cluster);
  }

  private async defaultImage(region: string): Promise<string> {
    const [image] = await this.images(region);
    if (!image) throw new ProviderError('invalid', `Aliyun offers no Debian 12 image in ${region}: pass an image id.`);
    return image.id;
  }

  /** One ECS call with the current session, its failure mapped onto a ProviderError. */
  private async call<T>(region: string, action: string, run: (ecs: EcsClient) => Promise<T>): Promise<T> {
    checkRegion(region);
    const ecs = await this.client(region);
    try {
      return await run(ecs);
    } catch (error) {
      // an assumed session revoked or expired early: forget it, the next call assumes the role again
      if (aliyunCode(error)?.startsWith('InvalidSecurityToken')) this.session.forget();
      throw mapAliyunError(error, action);
    }
  }

  /** One ECS client per region, made again when the session's key changes (a role assumed anew). */
  private async client(region: string): Promise<EcsClient> {
    const key = await this.session.key();
    const cached = this.clients.get(region);
    if (cached?.key === key) return cached.client;
    const client = new EcsClientClass(
      new Config({
        accessKeyId: key.accessKeyId,
        accessKeySecret: key.accessKeySecret,
        securityToken: key.securityToken,
        regionId: region,
        endpoint: this.options.endpoint,
        protocol: this.options.protocol ?? 'https',
        connectTimeout: 10_000,
        readTimeout: 60_000,
      }),
    );
    this.clients.set(region, { key, client });
    return client;
  }
}

/** The `aliyun` adapter bound to one Aliyun account. */
export function aliyunProvider(
  credentials: AliyunCredentials,
  options: AliyunProviderOptions = {},
): MachineProvider & FirewallCapability {
  return new AliyunProvider(credentials, options) satisfies MachineProvider & FirewallCapability;
}
