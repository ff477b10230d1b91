import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { verifyAcs3 } from './acs3-signature.js';
import { FakeAliyunSts } from './fake-aliyun-sts.js';
import { IMAGES, INSTANCE_TYPES } from './fake-ecs-catalog.js';
import { FakeSecurityGroups, matchesTags, tagList, tagPairs } from './fake-ecs-security-groups.js';
import { FakeError } from './fake-error.js';

/*
 * A local stand-in for Aliyun's ECS and STS RPC APIs, for the aliyun adapter's spec. It checks what the real
 * endpoints check first: the request's signature (acs3-signature.ts). Then the parameters each action requires, in
 * memory state (instances, security groups, idempotent client tokens) and answers in the JSON shape the SDK parses.
 */

export interface FakeEcsOptions {
  /** AccessKeys the fake accepts (id → secret). */
  keys: Record<string, string>;
  /** The account (16 digits) the keys belong to. */
  accountId?: string;
  /** Roles STS lets the keys assume: role ARN → the external id the trust policy requires (undefined: none). */
  roles?: Record<string, string | undefined>;
  /** Regions served; the first has the network below. */
  regions?: string[];
  /** Largest page of DescribeInstances and DescribeInstanceTypes (small, so the adapter's paging is exercised). */
  pageSize?: number;
  /** How long a new instance stays Pending. */
  bootMs?: number;
}

export interface FakeCall {
  action: string;
  params: Record<string, string>;
  accessKeyId: string;
}

interface Failure {
  action?: string;
  code?: string;
  status?: number;
  /** Close the connection without an answer (a network failure). */
  drop?: boolean;
}

interface FakeInstance {
  id: string;
  region: string;
  zone: string;
  type: string;
  image: string;
  name: string;
  vSwitchId: string;
  vpcId: string;
  securityGroupId: string;
  tags: Record<string, string>;
  createdMs: number;
  privateIp: string;
}

const ZONES = ['a', 'b'];

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

export class FakeEcs {
  /** Every call that passed the signature check, in order. */
  readonly calls: FakeCall[] = [];
  /** Calls refused at the signature or AccessKey check. */
  readonly refused: { action: string; code: string }[] = [];
  readonly instances = new Map<string, FakeInstance>();
  private readonly tokens = new Map<string, string>();
  private readonly nonces = new Set<string>();
  private readonly failures: Failure[] = [];
  private readonly regions: string[];
  private readonly pageSize: number;
  private readonly sts: FakeAliyunSts;
  private server?: Server;
  private counter = 0;

  /** Instance types of every region: id → [cores, GiB]. */
  readonly types: Record<string, [number, number]> = { ...INSTANCE_TYPES };
  readonly images = [...IMAGES];

  private readonly securityGroups = new FakeSecurityGroups((region, vpcId) =>
    this.vswitches(region).some((v) => v.VpcId === vpcId),
  );
  /** The security groups, by id (specs read and plant them). */
  readonly groups = this.securityGroups.groups;

  constructor(private readonly options: FakeEcsOptions) {
    this.regions = options.regions ?? ['cn-hangzhou', 'ap-southeast-1'];
    this.pageSize = options.pageSize ?? 2;
    this.sts = new FakeAliyunSts(options.accountId ?? '1234567890123456', options.roles ?? {});
  }

  /** The network of a region: one default VPC, one default VSwitch per zone, and a `wharf` one in zone b. */
  vswitches(region: string) {
    return [
      ...ZONES.map((z) => ({
        VSwitchId: `vsw-${region}-${z}-default`,
        VpcId: `vpc-${region}-default`,
        ZoneId: `${region}-${z}`,
        VSwitchName: '',
        IsDefault: true,
      })),
      {
        VSwitchId: `vsw-${region}-b-wharf`,
        VpcId: `vpc-${region}-default`,
        ZoneId: `${region}-b`,
        VSwitchName: 'wharf-hosts',
        IsDefault: false,
      },
    ].map((v) => ({ ...v, Status: 'Available', CidrBlock: '172.16.0.0/20', AvailableIpAddressCount: 4000 }));
  }

  /** The next call (of `action`, when given) answers this error, or drops the connection. */
  failNext(failure: Failure): void {
    this.failures.push(failure);
  }

  callsOf(action: string): FakeCall[] {
    return this.calls.filter((c) => c.action === action);
  }

  async start(): Promise<string> {
    this.server = createServer((req, res) => {
      this.handle(req, res).catch((error: unknown) => {
        this.send(res, 500, { Code: 'InternalError', Message: String(error) });
      });
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    return `127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async close(): Promise<void> {
    const server = this.server;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve, reject) => server.close((e) => (e ? reject(e) : resolve())));
  }

  private send(res: ServerResponse, status: number, body: Record<string, unknown>): void {
    const json = JSON.stringify({ RequestId: randomBytes(8).toString('hex').toUpperCase(), ...body });
    res.writeHead(status, { 'content-type': 'application/json;charset=utf-8', 'content-length': Buffer.byteLength(json) });
    res.end(json);
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await readBody(req);
    const url = new URL(req.url ?? '/', 'http://fake');
    const params: Record<string, string> = {};
    for (const [k, v] of url.searchParams) params[k] = v;
    if (body.length > 0 && String(req.headers['content-type']).startsWith('application/x-www-form-urlencoded')) {
      for (const [k, v] of new URLSearchParams(body.toString('utf8'))) params[k] = v;
    }
    const action = String(req.headers['x-acs-action'] ?? '');
    try {
      const accessKeyId = this.authenticate(req, url, body, action);
      this.calls.push({ action, params, accessKeyId });
      const failure = this.failures.findIndex((f) => f.action === undefined || f.action === action);
      if (failure >= 0) {
        const [f] = this.failures.splice(failure, 1);
        if (f?.drop) {
          req.socket.destroy();
          return;
        }
        throw new FakeError(f?.status ?? 400, f?.code ?? 'UnknownError', `Injected ${f?.code}.`);
      }
      this.send(res, 200, this.dispatch(action, String(req.headers['x-acs-version']), params, accessKeyId));
    } catch (error) {
      if (!(error instanceof FakeError)) throw error;
      this.send(res, error.status, { Code: error.code, Message: error.message, HostId: req.headers.host, Recommend: '' });
    }
  }

  /** Verifies the V3 signature (acs3-signature.ts); answers the AccessKey id that signed. */
  private authenticate(req: IncomingMessage, url: URL, body: Buffer, action: string): string {
    const verdict = verifyAcs3(req, url, body, this.nonces, (id) => {
      const secret = this.options.keys[id];
      return this.sts.credentials(id) ?? (secret === undefined ? undefined : { secret });
    });
    if (verdict.ok) return verdict.accessKeyId;
    this.refused.push({ action, code: verdict.code });
    throw new FakeError(verdict.status, verdict.code, verdict.message);
  }

  private dispatch(action: string, version: string, p: Record<string, string>, accessKeyId: string): Record<string, unknown> {
    if (version === '2015-04-01') return this.sts.handle(action, p, accessKeyId);
    if (version !== '2014-05-26') throw new FakeError(400, 'InvalidVersion', `Unknown version ${version}.`);
    const region = () => {
      const id = p.RegionId;
      if (!id) throw new FakeError(400, 'MissingParameter', 'RegionId is mandatory for this action.');
      if (!this.regions.includes(id)) throw new FakeError(404, 'InvalidRegionId.NotFound', `The region ${id} does not exist.`);
      return id;
    };
    const required = (name: string) => {
      const value = p[name];
      if (value === undefined || value === '')
        throw new FakeError(400, `MissingParameter`, `${name} is mandatory for this action.`);
      return value;
    };

    switch (action) {
      case 'DescribeRegions':
        return {
          Regions: {
            Region: this.regions.map((r) => ({
              RegionId: r,
              LocalName: `Region ${r}`,
              RegionEndpoint: `ecs.${r}.aliyuncs.com`,
              Status: 'available',
            })),
          },
        };
      case 'DescribeInstanceTypes': {
        const all = Object.entries(this.types).map(([InstanceTypeId, [CpuCoreCount, MemorySize]]) => ({
          InstanceTypeId,
          CpuCoreCount,
          MemorySize,
        }));
        const start = p.NextToken ? Number(p.NextToken) : 0;
        const size = Math.min(Number(p.MaxResults ?? 10), this.pageSize);
        const end = start + size;
        return { InstanceTypes: { InstanceType: all.slice(start, end) }, NextToken: end < all.length ? String(end) : '' };
      }
      case 'DescribeImages': {
        region();
        const pattern = p.ImageName
          ? new RegExp(`^${p.ImageName.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`)
          : /.*/;
        const matched = this.images.filter((i) => pattern.test(i.ImageName) && (p.ImageOwnerAlias ?? 'system') === 'system');
        const number = Number(p.PageNumber ?? 1);
        const size = Number(p.PageSize ?? 10);
        return {
          Images: {
            Image: matched
              .slice((number - 1) * size, number * size)
              .map((i) => ({ ...i, ImageOwnerAlias: 'system', Status: 'Available', Architecture: 'x86_64', OSType: 'linux' })),
          },
          TotalCount: matched.length,
          PageNumber: number,
          PageSize: size,
        };
      }
      case 'DescribeVSwitches': {
        const all = this.vswitches(region()).filter((v) => !p.ZoneId || v.ZoneId === p.ZoneId);
        const number = Number(p.PageNumber ?? 1);
        const size = Number(p.PageSize ?? 10);
        return {
          VSwitches: { VSwitch: all.slice((number - 1) * size, number * size) },
          TotalCount: all.length,
          PageNumber: number,
          PageSize: size,
        };
      }
      case 'RunInstances':
        return this.runInstances(region(), p, required);
      case 'DescribeInstances': {
        const r = region();
        let found = [...this.instances.values()].filter((i) => i.region === r);
        if (p.InstanceIds !== undefined) {
          const ids = JSON.parse(p.InstanceIds) as unknown;
          if (!Array.isArray(ids)) throw new FakeError(400, 'InvalidInstanceIds.Malformed', 'InstanceIds is not a JSON array.');
          found = found.filter((i) => ids.includes(i.id));
        }
        const filter = tagPairs(p);
        found = found
          .filter((i) => matchesTags(i.tags, filter))
          .sort((a, b) => a.createdMs - b.createdMs || a.id.localeCompare(b.id));
        const start = p.NextToken ? Number(p.NextToken) : 0;
        const size = Math.min(Number(p.MaxResults ?? 10), this.pageSize);
        const end = start + size;
        return {
          Instances: { Instance: found.slice(start, end).map((i) => this.describe(i)) },
          TotalCount: found.length,
          NextToken: end < found.length ? String(end) : '',
        };
      }
      case 'DeleteInstances': {
        const r = region();
        const ids: string[] = [];
        for (let n = 1; p[`InstanceId.${n}`] !== undefined; n++) ids.push(p[`InstanceId.${n}`] ?? '');
        if (ids.length === 0) throw new FakeError(400, 'MissingParameter', 'InstanceId is mandatory for this action.');
        for (const id of ids) {
          const instance = this.instances.get(id);
          if (!instance || instance.region !== r)
            throw new FakeError(404, 'InvalidInstanceId.NotFound', `The instance ${id} does not exist.`);
          if (p.Force !== 'true') throw new FakeError(403, 'IncorrectInstanceStatus', 'The instance is running: use Force.');
        }
        for (const id of ids) this.instances.delete(id);
        return {};
      }
      default: {
        const answer = this.securityGroups.handle(action, p, region, required);
        if (!answer) throw new FakeError(400, 'InvalidAction.NotFound', `The fake does not serve ${action}.`);
        return answer;
      }
    }
  }

  private runInstances(region: string, p: Record<string, string>, required: (name: string) => string): Record<string, unknown> {
    const clientToken = required('ClientToken');
    const known = this.tokens.get(clientToken);
    if (known) return { InstanceIdSets: { InstanceIdSet: [known] } };
    if (required('Amount') !== '1') throw new FakeError(400, 'InvalidParameter.Amount', 'The fake makes one instance at a time.');
    const type = required('InstanceType');
    if (!(type in this.types)) throw new FakeError(400, 'InvalidInstanceType.NotFound', `No instance type ${type}.`);
    const image = required('ImageId');
    if (!this.images.some((i) => i.ImageId === image)) throw new FakeError(404, 'InvalidImageId.NotFound', `No image ${image}.`);
    const vswitch = this.vswitches(region).find((v) => v.VSwitchId === required('VSwitchId'));
    if (!vswitch) throw new FakeError(404, 'InvalidVSwitchId.NotFound', 'The VSwitch does not exist.');
    if (p.ZoneId !== undefined && p.ZoneId !== vswitch.ZoneId)
      throw new FakeError(400, 'InvalidParameter.Mismatch', 'ZoneId is not the zone of the VSwitch.');
    const group = this.groups.get(required('SecurityGroupId'));
    if (!group || group.vpcId !== vswitch.VpcId)
      throw new FakeError(400, 'InvalidSecurityGroupId.NotFound', 'The security group is not in the VPC of the VSwitch.');
    const userData = Buffer.from(required('UserData'), 'base64');
    if (userData.toString('base64') !== p.UserData || !userData.toString('utf8').startsWith('#cloud-config\n'))
      throw new FakeError(400, 'InvalidUserData.Base64FormatInvalid', 'UserData is not the base64 of a #cloud-config.');
    const tags = Object.fromEntries(tagPairs(p).map((t) => [t.key, t.value ?? '']));
    for (const key of ['wharf:tenant', 'wharf:cluster', 'wharf:host'])
      if (!tags[key]) throw new FakeError(400, 'InvalidParameter.Tag', `The fake wants the tag ${key}.`);
    if (p['SystemDisk.Size'] !== undefined && !/^\d+$/.test(p['SystemDisk.Size']))
      throw new FakeError(400, 'InvalidSystemDiskSize.ValueNotSupported', 'SystemDisk.Size is not a number.');

    const id = `i-${region.slice(0, 2)}${++this.counter}${randomBytes(6).toString('hex')}`;
    this.instances.set(id, {
      id,
      region,
      zone: vswitch.ZoneId,
      type,
      image,
      name: p.InstanceName ?? id,
      vSwitchId: vswitch.VSwitchId,
      vpcId: vswitch.VpcId,
      securityGroupId: group.id,
      tags,
      createdMs: Date.now(),
      privateIp: `172.16.0.${(this.counter % 250) + 2}`,
    });
    this.tokens.set(clientToken, id);
    return { InstanceIdSets: { InstanceIdSet: [id] }, TradePrice: 0 };
  }

  private describe(i: FakeInstance): Record<string, unknown> {
    const booted = Date.now() - i.createdMs >= (this.options.bootMs ?? 300);
    return {
      InstanceId: i.id,
      InstanceName: i.name,
      RegionId: i.region,
      ZoneId: i.zone,
      InstanceType: i.type,
      ImageId: i.image,
      Status: booted ? 'Running' : 'Pending',
      // Aliyun's own format: minutes, no seconds
      CreationTime: new Date(i.createdMs).toISOString().replace(/:\d\d\.\d+Z$/, 'Z'),
      VpcAttributes: { VpcId: i.vpcId, VSwitchId: i.vSwitchId, PrivateIpAddress: { IpAddress: [i.privateIp] } },
      PublicIpAddress: { IpAddress: booted ? ['47.0.0.1'] : [] },
      SecurityGroupIds: { SecurityGroupId: [i.securityGroupId] },
      Tags: tagList(i.tags),
    };
  }
}
