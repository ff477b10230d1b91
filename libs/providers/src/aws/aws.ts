import {
  type _InstanceType,
  type BlockDeviceMapping,
  DescribeImagesCommand,
  DescribeInstancesCommand,
  type DescribeInstancesCommandInput,
  DescribeInstanceTypesCommand,
  DescribeRegionsCommand,
  EC2Client,
  type Filter,
  type Image,
  type Instance,
  RunInstancesCommand,
  type Tag,
  TerminateInstancesCommand,
} from '@aws-sdk/client-ec2';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { renderCloudInit } from '../cloud-init.js';
import { ProviderError } from '../errors.js';
import {
  type CreateMachineRequest,
  type FirewallCapability,
  type InstanceType,
  type Machine,
  type MachineImage,
  type MachineProvider,
  type MachineState,
  type Region,
  TAG_KEYS,
  type WharfTags,
} from '../types.js';
import {
  type AwsCredentials,
  type AwsIdentityProvider,
  assumeRole,
  checkCredentials,
  checkSessionName,
  HOME_REGION,
  parseRoleArn,
  sourceSts,
} from './credentials.js';
import { type AwsErrorContext, awsError, errorCode } from './errors.js';
import { ensureHostFirewall } from './firewall.js';

export type { AwsCredentials } from './credentials.js';

/*
 * The `aws` adapter: EC2 through @aws-sdk/client-ec2, one client per region, all signing with the same (cached)
 * credentials. The SDK retries throttling, 5xx and network failures itself (3 attempts); what still fails reaches the
 * caller as a ProviderError whose `retryable` says whether the host job should try again. Retrying create() is safe:
 * RunInstances carries the request's clientToken, and EC2 answers a repeated token with the instance it made.
 */

export interface AwsProviderOptions {
  /** One endpoint for every call (LocalStack, a test server); absent: AWS's own per region. */
  endpoint?: string;
  /** Attempts per call, the SDK's retries included (default 3). */
  maxAttempts?: number;
  /** The region of STS and DescribeRegions; default: the partition's first (us-east-1 for `aws`). */
  homeRegion?: string;
  /** What signs AssumeRole; absent: the platform's default credential chain. */
  sourceCredentials?: AwsIdentityProvider;
  /** The STS session name of an assumed role (it appears in the tenant's CloudTrail); default `wharf-hosts`. */
  sessionName?: string;
  /** The clock of the credentials cache. */
  now?: () => number;
  /** Builds a region's EC2 client; default `new EC2Client(...)` with the options above. */
  ec2Client?: (region: string, credentials: AwsIdentityProvider) => EC2Client;
}

/** The publisher of the official Debian images on AWS. */
export const DEBIAN_OWNER = '136693071363';
const DEBIAN_12 = 'debian-12-amd64-*';
/** EC2 region ids (`eu-central-1`, `us-gov-west-1`): refused before any call when they do not have this shape. */
const REGION = /^[a-z]{2}(-[a-z]+)+-\d$/;
const INSTANCE_ID = /^i-[0-9a-f]{8,17}$/;
const IMAGES_SHOWN = 5;

const STATES: Record<string, MachineState> = {
  pending: 'pending',
  running: 'running',
  stopping: 'stopping',
  stopped: 'stopped',
  'shutting-down': 'terminating',
  terminated: 'terminated',
};

function checkRegion(region: string): void {
  if (!REGION.test(region))
    throw new ProviderError('invalid', `Unknown region ${JSON.stringify(region)}: an AWS region id looks like eu-central-1.`);
}

function wharfTags(tags: Tag[] | undefined): Partial<WharfTags> {
  const out: Partial<WharfTags> = {};
  for (const [field, key] of Object.entries(TAG_KEYS) as [keyof WharfTags, string][]) {
    const value = tags?.find((t) => t.Key === key)?.Value;
    if (value !== undefined) out[field] = value;
  }
  return out;
}

export function toMachine(region: string, instance: Instance): Machine {
  const name = instance.Tags?.find((t) => t.Key === 'Name')?.Value;
  const extra: Record<string, unknown> = {
    imageId: instance.ImageId,
    vpcId: instance.VpcId,
    subnetId: instance.SubnetId,
    securityGroupIds: instance.SecurityGroups?.flatMap((g) => g.GroupId ?? []),
    architecture: instance.Architecture,
    privateDnsName: instance.PrivateDnsName || undefined,
    publicDnsName: instance.PublicDnsName || undefined,
    stateReason: instance.StateReason?.Message,
    name,
    awsState: instance.State?.Name,
  };
  return {
    id: instance.InstanceId ?? '',
    state: STATES[instance.State?.Name ?? ''] ?? 'unknown',
    region,
    ...(instance.Placement?.AvailabilityZone ? { zone: instance.Placement.AvailabilityZone } : {}),
    instanceType: instance.InstanceType ?? '',
    ...(instance.PrivateIpAddress ? { privateIp: instance.PrivateIpAddress } : {}),
    ...(instance.PublicIpAddress ? { publicIp: instance.PublicIpAddress } : {}),
    tags: wharfTags(instance.Tags),
    ...(instance.LaunchTime ? { createdAt: instance.LaunchTime.toISOString() } : {}),
    extra: Object.fromEntries(Object.entries(extra).filter(([, v]) => v !== undefined)),
  };
}

/** Every instance the query finds, following NextToken through all pages. */
async function describeAll(ec2: EC2Client, input: DescribeInstancesCommandInput, context: AwsErrorContext): Promise<Instance[]> {
  const out: Instance[] = [];
  const seen = new Set<string>();
  let token: string | undefined;
  do {
    const page = await ec2
      .send(new DescribeInstancesCommand({ ...input, ...(token ? { NextToken: token } : {}) }))
      .catch((error: unknown) => {
        throw awsError(error, context);
      });
    for (const reservation of page.Reservations ?? []) out.push(...(reservation.Instances ?? []));
    token = page.NextToken;
    if (token && seen.has(token)) throw new ProviderError('failed', 'AWS answered the same page token twice: try again.');
    if (token) seen.add(token);
  } while (token);
  return out;
}

export function awsProvider(credentials: AwsCredentials, options: AwsProviderOptions = {}) {
  checkCredentials(credentials);
  const partition = credentials.kind === 'role' ? parseRoleArn(credentials.roleArn).partition : 'aws';
  const homeRegion = options.homeRegion ?? HOME_REGION[partition];
  checkRegion(homeRegion);
  const common = {
    ...(options.endpoint ? { endpoint: options.endpoint } : {}),
    ...(options.maxAttempts ? { maxAttempts: options.maxAttempts } : {}),
  };

  const identity: AwsIdentityProvider =
    credentials.kind === 'role'
      ? assumeRole(credentials, {
          sts: sourceSts(partition, {
            region: homeRegion,
            ...common,
            ...(options.sourceCredentials ? { credentials: options.sourceCredentials } : {}),
          }),
          sessionName: checkSessionName(options.sessionName ?? 'wharf-hosts'),
          ...(options.now ? { now: options.now } : {}),
        })
      : async () => ({ accessKeyId: credentials.accessKeyId, secretAccessKey: credentials.secretAccessKey });

  const clients = new Map<string, EC2Client>();
  const ec2 = (region: string): EC2Client => {
    checkRegion(region);
    let client = clients.get(region);
    if (!client) {
      client = options.ec2Client?.(region, identity) ?? new EC2Client({ region, credentials: identity, ...common });
      clients.set(region, client);
    }
    return client;
  };
  let sts: STSClient | undefined;

  const call = async <T>(promise: Promise<T>, context: AwsErrorContext): Promise<T> => {
    try {
      return await promise;
    } catch (error) {
      throw awsError(error, context);
    }
  };

  /** The region's official Debian 12 images, newest first. */
  const debianImages = async (region: string): Promise<Image[]> => {
    const out = await call(
      ec2(region).send(
        new DescribeImagesCommand({
          Owners: [DEBIAN_OWNER],
          Filters: [
            { Name: 'name', Values: [DEBIAN_12] },
            { Name: 'architecture', Values: ['x86_64'] },
            { Name: 'state', Values: ['available'] },
          ],
        }),
      ),
      { operation: 'ec2:DescribeImages', region },
    );
    return (out.Images ?? []).filter((i) => i.ImageId).sort((a, b) => (b.CreationDate ?? '').localeCompare(a.CreationDate ?? ''));
  };

  /** The device name of the image's root volume, which a disk size must be given for. */
  const rootDevice = async (region: string, imageId: string, known?: Image): Promise<string> => {
    if (known?.RootDeviceName) return known.RootDeviceName;
    const out = await call(ec2(region).send(new DescribeImagesCommand({ ImageIds: [imageId] })), {
      operation: 'ec2:DescribeImages',
      region,
    });
    const device = out.Images?.[0]?.RootDeviceName;
    if (!device) throw new ProviderError('invalid', `The image ${imageId} is not available in ${region}: pick another image.`);
    return device;
  };

  const firewall = (region: string, cluster: string) => ensureHostFirewall(ec2(region), region, cluster);

  return {
    kind: 'aws' as const,

    async verify() {
      // a role is assumed first, so a refused AssumeRole reads as such and not as a failed GetCallerIdentity
      await identity();
      sts ??= new STSClient({ region: homeRegion, credentials: identity, ...common });
      const out = await call(sts.send(new GetCallerIdentityCommand({})), { operation: 'sts:GetCallerIdentity' });
      if (!out.Account) throw new ProviderError('failed', 'AWS STS did not answer the account: try again later.');
      return { account: out.Account, ...(out.Arn ? { principal: out.Arn } : {}) };
    },

    async regions(): Promise<Region[]> {
      const out = await call(ec2(homeRegion).send(new DescribeRegionsCommand({})), {
        operation: 'ec2:DescribeRegions',
        region: homeRegion,
      });
      return (out.Regions ?? [])
        .flatMap((r) => (r.RegionName ? [{ id: r.RegionName, name: r.RegionName }] : []))
        .sort((a, b) => a.id.localeCompare(b.id));
    },

    async instanceTypes(region: string): Promise<InstanceType[]> {
      const out: InstanceType[] = [];
      let token: string | undefined;
      do {
        const page = await call(
          ec2(region).send(new DescribeInstanceTypesCommand({ MaxResults: 100, ...(token ? { NextToken: token } : {}) })),
          { operation: 'ec2:DescribeInstanceTypes', region },
        );
        for (const t of page.InstanceTypes ?? []) {
          const vcpus = t.VCpuInfo?.DefaultVCpus;
          const memoryMiB = t.MemoryInfo?.SizeInMiB;
          if (t.InstanceType && vcpus !== undefined && memoryMiB !== undefined)
            out.push({ id: t.InstanceType, vcpus, memoryMiB });
        }
        token = page.NextToken;
      } while (token);
      return out.sort((a, b) => a.id.localeCompare(b.id));
    },

    async images(region: string): Promise<MachineImage[]> {
      return (await debianImages(region))
        .slice(0, IMAGES_SHOWN)
        .map((i) => ({ id: i.ImageId ?? '', name: i.Name ?? i.ImageId ?? '' }));
    },

    async create(request: CreateMachineRequest): Promise<Machine> {
      const { region } = request;
      checkRegion(region);
      if (!/^[\x20-\x7e]{1,64}$/.test(request.clientToken))
        throw new ProviderError('invalid', 'The client token must be 1 to 64 printable ASCII characters.');
      const userData = Buffer.from(renderCloudInit(request.bootstrap), 'utf8').toString('base64');
      const context = {
        operation: 'ec2:RunInstances',
        region,
        instanceType: request.instanceType,
        ...(request.zone ? { zone: request.zone } : {}),
      };

      let image: Image | undefined;
      let imageId = request.image;
      if (!imageId) {
        image = (await debianImages(region))[0];
        imageId = image?.ImageId;
        if (!imageId)
          throw new ProviderError('invalid', `No Debian 12 image is published in ${region}: choose an image for the host.`);
      }
      const blockDevices: BlockDeviceMapping[] | undefined = request.diskGiB
        ? [
            {
              DeviceName: await rootDevice(region, imageId, image),
              Ebs: { VolumeSize: request.diskGiB, VolumeType: 'gp3', DeleteOnTermination: true, Encrypted: true },
            },
          ]
        : undefined;
      const groupId = await firewall(region, request.tags.cluster);

      const tags: Tag[] = [
        { Key: TAG_KEYS.tenant, Value: request.tags.tenant },
        { Key: TAG_KEYS.cluster, Value: request.tags.cluster },
        { Key: TAG_KEYS.host, Value: request.tags.host },
        { Key: 'Name', Value: request.name },
      ];
      const client = ec2(region);
      try {
        const out = await client.send(
          new RunInstancesCommand({
            ClientToken: request.clientToken,
            MinCount: 1,
            MaxCount: 1,
            ImageId: imageId,
            // AWS adds instance types faster than the SDK's list of names; EC2 itself refuses an unknown one
            InstanceType: request.instanceType as _InstanceType,
            UserData: userData,
            SecurityGroupIds: [groupId],
            MetadataOptions: { HttpTokens: 'required', HttpEndpoint: 'enabled', HttpPutResponseHopLimit: 1 },
            TagSpecifications: [
              { ResourceType: 'instance', Tags: tags },
              { ResourceType: 'volume', Tags: tags },
            ],
            ...(blockDevices ? { BlockDeviceMappings: blockDevices } : {}),
            ...(request.zone ? { Placement: { AvailabilityZone: request.zone } } : {}),
          }),
        );
        const instance = out.Instances?.[0];
        if (!instance?.InstanceId)
          throw new ProviderError('failed', `AWS answered RunInstances without an instance in ${region}: try again.`);
        const machine = toMachine(region, instance);
        // TagSpecifications are applied with the launch or the launch fails: absent from an answer, they are still set
        return Object.keys(machine.tags).length > 0 ? machine : { ...machine, tags: { ...request.tags } };
      } catch (error) {
        // the token was used with other parameters (say, a newer default image since the first try): answer that instance
        if (errorCode(error) === 'IdempotentParameterMismatch') {
          const [earlier] = await describeAll(
            client,
            { Filters: [{ Name: 'client-token', Values: [request.clientToken] }] },
            context,
          );
          if (earlier) return toMachine(region, earlier);
        }
        throw awsError(error, context);
      }
    },

    async observe(region: string, id: string): Promise<Machine | undefined> {
      checkRegion(region);
      if (!INSTANCE_ID.test(id)) return undefined; // not an EC2 instance id: EC2 cannot know it
      try {
        const [instance] = await describeAll(ec2(region), { InstanceIds: [id] }, { operation: 'ec2:DescribeInstances', region });
        return instance ? toMachine(region, instance) : undefined;
      } catch (error) {
        if (error instanceof ProviderError && error.code === 'InvalidInstanceID.NotFound') return undefined;
        throw error;
      }
    },

    async delete(region: string, id: string): Promise<void> {
      checkRegion(region);
      if (!INSTANCE_ID.test(id))
        throw new ProviderError(
          'invalid',
          `${JSON.stringify(id)} is not an EC2 instance id (i-…).`,
          'InvalidInstanceID.Malformed',
        );
      try {
        await ec2(region).send(new TerminateInstancesCommand({ InstanceIds: [id] }));
      } catch (error) {
        if (errorCode(error) === 'InvalidInstanceID.NotFound') return; // already gone
        throw awsError(error, { operation: 'ec2:TerminateInstances', region });
      }
    },

    async list(region: string, filter: Partial<Pick<WharfTags, 'tenant' | 'cluster'>> = {}): Promise<Machine[]> {
      checkRegion(region);
      const filters: Filter[] = [{ Name: 'tag-key', Values: [TAG_KEYS.host] }];
      if (filter.tenant !== undefined) filters.push({ Name: `tag:${TAG_KEYS.tenant}`, Values: [filter.tenant] });
      if (filter.cluster !== undefined) filters.push({ Name: `tag:${TAG_KEYS.cluster}`, Values: [filter.cluster] });
      const instances = await describeAll(
        ec2(region),
        { Filters: filters, MaxResults: 1000 },
        { operation: 'ec2:DescribeInstances', region },
      );
      return instances.map((i) => toMachine(region, i));
    },

    async ensureHostFirewall(region: string, cluster: string): Promise<string> {
      return firewall(region, cluster);
    },
  } satisfies MachineProvider & FirewallCapability;
}
