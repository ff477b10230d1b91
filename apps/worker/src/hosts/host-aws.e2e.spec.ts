import { randomUUID } from 'node:crypto';
import {
  AuthorizeSecurityGroupIngressCommand,
  DescribeImagesCommand,
  DescribeInstancesCommand,
  type DescribeInstancesCommandInput,
  DescribeSecurityGroupRulesCommand,
  DescribeSecurityGroupsCommand,
  type DescribeSecurityGroupsCommandInput,
  DescribeVpcsCommand,
  EC2Client,
  type Instance,
  RunInstancesCommand,
  type RunInstancesCommandInput,
  TerminateInstancesCommand,
  type TerminateInstancesCommandInput,
} from '@aws-sdk/client-ec2';
import { STSClient } from '@aws-sdk/client-sts';
import { Keyring } from '@wharf/crypto';
import { Database, HostsRepository, type HostView, type TenantId } from '@wharf/db';
import { ProviderError } from '@wharf/providers';
import { RetryLater } from '@wharf/queue';
import { mockClient } from 'aws-sdk-client-mock';
import pg from 'pg';
import { pino } from 'pino';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../../tests/support/db.js';
import { hostRequest, registerAgent, tenantWithCluster } from '../../../../tests/support/host-fixtures.js';
import { loadWorkerConfig } from '../config.js';
import { HostProcessor } from './host.processor.js';
import { HostCommandFailed, type HostSwarm } from './host-commands.js';
import { HostMachines, registrationToken } from './host-machines.js';

/*
 * The aws adapter driven by the real HostProcessor against Postgres, EC2 behind aws-sdk-client-mock: the host's
 * adapter is built from the tenant's cloud account by HostMachines (the worker's own factory), and the mock behaves
 * like EC2's idempotency (a RunInstances with a ClientToken it has seen answers the instance that token made). The
 * first RunInstances is accepted by the "cloud" but its answer never reaches the worker — the call fails, or the
 * worker dies waiting — and the job's next run sends the same ClientToken and goes on with the one instance.
 */

const MASTER_KEY = Buffer.alloc(32, 5).toString('base64');
const REGION = 'eu-central-1';
const ec2 = mockClient(EC2Client);
const sts = mockClient(STSClient);

/**
 * What becomes of the answer to a RunInstances call once EC2 made (or found) the instance: `ok` it arrives, `lost` a
 * timeout instead (the SDK's TimeoutError), `hang` it never comes (the worker is gone before it would).
 */
type Answer = 'ok' | 'lost' | 'hang';

/** EC2 as far as the host workflow reaches it: instances by ClientToken, tag filters, a cluster's security group. */
class FakeEc2 {
  readonly byToken = new Map<string, Instance>();
  /** The answers of the next RunInstances calls, in order; `ok` once they are used up. */
  answers: Answer[] = [];
  /** Lets a hung RunInstances answer at last (the instance it made). */
  release: (() => void) | undefined;

  constructor() {
    ec2.reset();
    sts.reset();
    ec2.on(RunInstancesCommand).callsFake((input: RunInstancesCommandInput) => this.run(input));
    ec2.on(DescribeInstancesCommand).callsFake(async (input: DescribeInstancesCommandInput) => ({
      Reservations: this.describe(input).map((i) => ({ Instances: [structuredClone(i)] })),
    }));
    ec2.on(TerminateInstancesCommand).callsFake(async (input: TerminateInstancesCommandInput) => {
      for (const i of this.all().filter((x) => input.InstanceIds?.includes(x.InstanceId ?? '')))
        i.State = { Name: 'shutting-down', Code: 32 };
      return {};
    });
    ec2.on(DescribeImagesCommand).resolves({
      Images: [{ ImageId: 'ami-0deb12', Name: 'debian-12-amd64-20250101-1', CreationDate: '2025-01-01T00:00:00.000Z' }],
    });
    ec2.on(DescribeVpcsCommand).resolves({ Vpcs: [{ VpcId: 'vpc-default', IsDefault: true }] });
    // the cluster's group exists already (the firewall is the adapter's own spec's business)
    ec2.on(DescribeSecurityGroupsCommand).callsFake(async (input: DescribeSecurityGroupsCommandInput) => {
      const name = input.Filters?.find((f) => f.Name === 'group-name')?.Values?.[0] ?? '';
      const cluster = name.replace(/^wharf-/, '');
      return { SecurityGroups: [{ GroupId: 'sg-0cluster', GroupName: name, Tags: [{ Key: 'wharf:cluster', Value: cluster }] }] };
    });
    ec2.on(DescribeSecurityGroupRulesCommand).resolves({ SecurityGroupRules: [] });
    ec2.on(AuthorizeSecurityGroupIngressCommand).resolves({ Return: true });
  }

  all(): Instance[] {
    return [...this.byToken.values()];
  }

  private async run(input: RunInstancesCommandInput) {
    const token = input.ClientToken ?? '';
    let instance = this.byToken.get(token);
    if (!instance) {
      instance = {
        InstanceId: `i-${randomUUID().replace(/-/g, '').slice(0, 17)}`,
        InstanceType: input.InstanceType,
        ImageId: input.ImageId,
        ClientToken: token,
        State: { Name: 'pending', Code: 0 },
        PrivateIpAddress: `172.31.9.${this.byToken.size + 10}`,
        Placement: { AvailabilityZone: `${REGION}a` },
        Tags: input.TagSpecifications?.find((s) => s.ResourceType === 'instance')?.Tags ?? [],
      };
      this.byToken.set(token, instance);
    }
    const answer = this.answers.shift() ?? 'ok';
    if (answer === 'lost') throw Object.assign(new Error('socket timed out after 30000 ms'), { name: 'TimeoutError' });
    if (answer === 'hang') await new Promise<void>((resolve) => (this.release = resolve));
    return { Instances: [structuredClone(instance)] };
  }

  /** By id (a pending instance runs once observed), or by tag filters (list). */
  private describe(input: DescribeInstancesCommandInput): Instance[] {
    const found = this.all().filter(
      (i) =>
        (!input.InstanceIds || input.InstanceIds.includes(i.InstanceId ?? '')) &&
        (input.Filters ?? []).every((f) => {
          if (f.Name === 'tag-key') return i.Tags?.some((t) => f.Values?.includes(t.Key ?? ''));
          const key = f.Name?.replace(/^tag:/, '');
          return i.Tags?.some((t) => t.Key === key && f.Values?.includes(t.Value ?? ''));
        }),
    );
    for (const i of found) if (input.InstanceIds && i.State?.Name === 'pending') i.State = { Name: 'running', Code: 16 };
    return found;
  }
}

const runCalls = () => ec2.commandCalls(RunInstancesCommand).map((c) => c.args[0].input);
const terminated = () => ec2.commandCalls(TerminateInstancesCommand).flatMap((c) => c.args[0].input.InstanceIds ?? []);

/** The first host of a cluster inits the Swarm; nothing else of the Swarm is reached here. */
const inits: string[] = [];
const unexpected = async (): Promise<never> => {
  throw new HostCommandFailed('not part of this test');
};
const swarm: HostSwarm = {
  swarmInit: async (host) => {
    inits.push(host.id);
    return { nodeId: `node-${host.name}` };
  },
  joinTokens: unexpected,
  swarmJoin: unexpected,
  nodeUpdate: unexpected,
  nodeStatus: unexpected,
  swarmLeave: unexpected,
  nodeRemove: unexpected,
};

let testDb: TestDatabase;
let owner: pg.Pool;
let db: Database;
let provision: HostProcessor;
let fake: FakeEc2;
const hosts = new HostsRepository();
const config = loadWorkerConfig({
  DATABASE_URL: 'postgres://unused',
  REDIS_URL: 'redis://unused',
  MASTER_KEY,
  HOSTS_POLL_MS: '100',
  HOSTS_AGENT_API_URL: 'https://wharf.example.test',
  HOSTS_AGENT_PACKAGE_URL: 'https://wharf.example.test/api/v1/agent/wharf-agent.mjs',
});

/** A tenant with a dedicated cluster, an AWS account reached through a role, and one host requested in it. */
async function requestAwsHost(name: string): Promise<{ tenant: TenantId; host: HostView }> {
  const { tenant, cluster } = await tenantWithCluster(owner);
  const account = await owner.query<{ id: string }>(
    `insert into cloud_accounts (tenant_id, provider, name, auth, role_arn, identity_account, verified_at)
     values ($1, 'aws', 'prod', 'role', 'arn:aws:iam::123456789012:role/WharfHosts', '123456789012', now()) returning id`,
    [tenant],
  );
  const request = hostRequest(cluster, name, {
    provider: 'aws',
    cloudAccountId: account.rows[0]?.id ?? '',
    region: REGION,
    instanceType: 't3.small',
    vcpus: 2,
    memoryMib: 2048,
  });
  const host = await db.withTenant(tenant, null, (s) => hosts.create(s, request));
  if (!host) throw new Error('host not created');
  return { tenant, host };
}

const read = async (tenant: TenantId, id: string) => {
  const h = await db.withTenant(tenant, null, (s) => hosts.find(s, id));
  if (!h) throw new Error('host gone');
  return h;
};

/** The host's agent registers with the token its instance's user data carries (cloud-init hands it over). */
async function agentRegisters(host: HostView, userData: string): Promise<void> {
  const token = registrationToken(MASTER_KEY, host);
  expect(Buffer.from(userData, 'base64').toString('utf8')).toContain(token);
  await registerAgent(db, host, token);
}

/** The host processor of one worker process, with the worker's own adapters (HostMachines: the account's factory). */
function aWorker(): HostProcessor {
  const machines = new HostMachines(config, Keyring.fromBase64(MASTER_KEY));
  return new HostProcessor(db, machines, swarm, config, pino({ level: 'silent' }));
}

/** Runs the job until it ends, as BullMQ would: a RetryLater puts it back (here: at once). */
async function runToEnd(tenant: TenantId, hostId: string, processor = provision): Promise<void> {
  for (let i = 0; i < 20; i++) {
    try {
      return await processor.provision({ tenantId: tenant, hostId });
    } catch (err) {
      if (!(err instanceof RetryLater)) throw err;
    }
  }
  throw new Error('the job never ended');
}

beforeAll(async () => {
  testDb = await createTestDatabase();
  owner = new pg.Pool({ connectionString: testDb.ownerUrl, max: 2 });
  db = new Database({ connectionString: testDb.appUrl, maxConnections: 3 });
  provision = aWorker();
});

beforeEach(() => {
  fake = new FakeEc2();
});

afterAll(async () => {
  ec2.restore();
  sts.restore();
  await db?.close();
  await owner?.end();
  await testDb?.drop();
});

describe('host.provision on aws when a RunInstances answer is lost', () => {
  it('the call fails after EC2 made the instance: the retry sends the same ClientToken and goes on with that instance', async () => {
    const { tenant, host } = await requestAwsHost('lost');
    fake.answers = ['lost'];
    // the job's first attempt: EC2 made the instance, the worker saw a timeout (retryable: the job will run again)
    const first = await provision.provision({ tenantId: tenant, hostId: host.id }).catch((e: unknown) => e);
    expect(first).toBeInstanceOf(ProviderError);
    expect(first).toMatchObject({ kind: 'unavailable', retryable: true });
    expect(await read(tenant, host.id)).toMatchObject({ state: 'creating', machineId: null });
    expect(fake.all()).toHaveLength(1);

    // the retry: the same token (and the same user data: the registration token derives from it) → the same instance
    await expect(provision.provision({ tenantId: tenant, hostId: host.id })).rejects.toBeInstanceOf(RetryLater);
    const [instance] = fake.all();
    expect(await read(tenant, host.id)).toMatchObject({
      state: 'bootstrapping',
      machineId: instance?.InstanceId,
      privateIp: instance?.PrivateIpAddress,
    });
    const calls = runCalls();
    expect(calls).toHaveLength(2);
    expect(calls.map((c) => c.ClientToken)).toEqual([host.clientToken, host.clientToken]);
    expect(calls[1]?.UserData).toBe(calls[0]?.UserData);
    expect(calls[0]?.TagSpecifications?.[0]?.Tags).toContainEqual({ Key: 'wharf:host', Value: host.id });
    expect(fake.all()).toHaveLength(1);

    // the host goes on: its agent registers, it inits the Swarm, ready; nothing was terminated
    await agentRegisters(host, calls[0]?.UserData ?? '');
    await runToEnd(tenant, host.id);
    expect(await read(tenant, host.id)).toMatchObject({ state: 'ready', swarmRole: 'manager', machineId: instance?.InstanceId });
    expect(inits).toContain(host.id);
    expect(runCalls()).toHaveLength(2);
    expect(terminated()).toEqual([]);
  });

  it('the worker dies waiting for the answer: the next worker sends the same ClientToken; the stale call changes nothing', async () => {
    const { tenant, host } = await requestAwsHost('crashed');
    fake.answers = ['hang'];
    // the first worker's run never returns (its process is gone, as far as the job is concerned)
    const stale = provision.provision({ tenantId: tenant, hostId: host.id }).catch((e: unknown) => e);
    await expect.poll(() => runCalls().length).toBe(1);
    expect(await read(tenant, host.id)).toMatchObject({ state: 'creating', machineId: null });

    // BullMQ gives the stalled job to another worker, which continues from the persisted state
    const other = aWorker();
    await expect(other.provision({ tenantId: tenant, hostId: host.id })).rejects.toBeInstanceOf(RetryLater);
    const [instance] = fake.all();
    expect(fake.all()).toHaveLength(1);
    expect(runCalls().map((c) => c.ClientToken)).toEqual([host.clientToken, host.clientToken]);
    expect(await read(tenant, host.id)).toMatchObject({ state: 'bootstrapping', machineId: instance?.InstanceId });

    // the first call's answer arrives after all: that run finds the host moved on and neither records nor deletes
    fake.release?.();
    expect(await stale).toBeInstanceOf(RetryLater);
    expect(await read(tenant, host.id)).toMatchObject({ state: 'bootstrapping', machineId: instance?.InstanceId });
    expect(terminated()).toEqual([]);

    await agentRegisters(host, runCalls()[0]?.UserData ?? '');
    await runToEnd(tenant, host.id, other);
    expect(await read(tenant, host.id)).toMatchObject({ state: 'ready', machineId: instance?.InstanceId });
    expect(fake.all()).toHaveLength(1);
  });

  it('every answer lost until the job gives up: the instance is found by its tag and terminated, the host fails', async () => {
    const { tenant, host } = await requestAwsHost('unlucky');
    fake.answers = ['lost', 'lost', 'lost', 'lost', 'lost'];
    for (let attempt = 0; attempt < 5; attempt++)
      await expect(provision.provision({ tenantId: tenant, hostId: host.id })).rejects.toBeInstanceOf(ProviderError);
    expect(fake.all()).toHaveLength(1);
    expect(runCalls().map((c) => c.ClientToken)).toEqual(Array(5).fill(host.clientToken));

    // the worker's `failed` handler after the last attempt
    await provision.gaveUp({ tenantId: tenant, hostId: host.id }, 'AWS EC2 is unavailable');
    const [instance] = fake.all();
    expect(terminated()).toEqual([instance?.InstanceId]);
    expect(instance?.State?.Name).toBe('shutting-down');
    // found through DescribeInstances by the Wharf tags (no id was ever recorded)
    const lookups = ec2.commandCalls(DescribeInstancesCommand).map((c) => c.args[0].input.Filters ?? []);
    expect(lookups.flat()).toContainEqual({ Name: 'tag:wharf:cluster', Values: [host.clusterId] });
    expect(await read(tenant, host.id)).toMatchObject({
      state: 'failed',
      machineId: null,
      failure: 'provisioning failed: AWS EC2 is unavailable',
    });
  });
});
