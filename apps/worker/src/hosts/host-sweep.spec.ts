import { randomUUID } from 'node:crypto';
import {
  DescribeInstancesCommand,
  type DescribeInstancesCommandInput,
  DescribeRegionsCommand,
  EC2Client,
  EC2ServiceException,
  type Instance,
  type InstanceStateName,
  TerminateInstancesCommand,
  type TerminateInstancesCommandInput,
} from '@aws-sdk/client-ec2';
import type { SweepHost, TenantId } from '@wharf/db';
import { awsProvider, type Machine, TAG_KEYS } from '@wharf/providers';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { type HostLookup, leakReason, type SweepTarget, sweepTarget } from './host-sweep.js';

/*
 * The leak sweep's decisions, and a sweep of one AWS account through the real aws adapter whose EC2 calls answer
 * from a small fake behind aws-sdk-client-mock: two regions, listings over several pages, machines of live hosts,
 * of a host being created, of another tenant's host on the same AWS account, one on its way out, one without all of
 * Wharf's tags, and one unknown instance, the only one terminated.
 */

const ec2 = mockClient(EC2Client);
afterAll(() => ec2.restore());

const ACCOUNT = '123456789012';
const TENANT = randomUUID() as TenantId;
const OTHER_TENANT = randomUUID() as TenantId;
const PAGE = 2;

const host = (over: Partial<SweepHost> = {}): SweepHost => ({
  id: randomUUID(),
  tenantId: TENANT,
  state: 'ready',
  provider: 'aws',
  accountIdentity: ACCOUNT,
  ...over,
});

/** Instances per region; DescribeInstances answers those carrying `wharf:host`, PAGE at a time. */
let regions: Record<string, Instance[]>;
let terminated: { region: string; ids: string[] }[];
let seq = 0;

function instance(tags: Partial<Record<keyof typeof TAG_KEYS, string>>, state: InstanceStateName = 'running'): Instance {
  seq += 1;
  return {
    InstanceId: `i-0${seq.toString(16).padStart(16, '0')}`,
    InstanceType: 't3.small',
    State: { Name: state },
    Tags: Object.entries(tags).map(([k, v]) => ({ Key: TAG_KEYS[k as keyof typeof TAG_KEYS], Value: v })),
  };
}
const tagsOf = (h: SweepHost) => ({ tenant: h.tenantId, cluster: randomUUID(), host: h.id });

const regionOf = async (getClient: () => EC2Client) => getClient().config.region();

beforeEach(() => {
  ec2.reset();
  regions = {};
  terminated = [];
  ec2.on(DescribeRegionsCommand).callsFake(async () => ({
    Regions: Object.keys(regions).map((RegionName) => ({ RegionName, OptInStatus: 'opt-in-not-required' })),
  }));
  ec2.on(DescribeInstancesCommand).callsFake(async (input: DescribeInstancesCommandInput, getClient: () => EC2Client) => {
    const region = await regionOf(getClient);
    if (region === 'ap-southeast-1')
      throw new EC2ServiceException({ name: 'RequestLimitExceeded', $fault: 'client', $metadata: {}, message: 'slow down' });
    const tagged = (regions[region] ?? []).filter((i) => i.Tags?.some((t) => t.Key === TAG_KEYS.host));
    const offset = Number(input.NextToken ?? 0);
    const next = offset + PAGE < tagged.length ? String(offset + PAGE) : undefined;
    return {
      Reservations: tagged.slice(offset, offset + PAGE).map((i) => ({ Instances: [structuredClone(i)] })),
      ...(next ? { NextToken: next } : {}),
    };
  });
  ec2.on(TerminateInstancesCommand).callsFake(async (input: TerminateInstancesCommandInput, getClient: () => EC2Client) => {
    terminated.push({ region: await regionOf(getClient), ids: input.InstanceIds ?? [] });
    return {
      TerminatingInstances: (input.InstanceIds ?? []).map((InstanceId) => ({
        InstanceId,
        CurrentState: { Name: 'shutting-down' },
      })),
    };
  });
});

const target = (): SweepTarget => ({
  provider: awsProvider(
    { kind: 'keys', accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' },
    { maxAttempts: 1 },
  ),
  cloudAccountId: randomUUID(),
  tenantId: TENANT,
  identity: ACCOUNT,
});

/** The database's hosts, as the processor's lookup answers them (ids it does not know are left out). */
function lookupOf(hosts: SweepHost[]): HostLookup & { asked: string[][] } {
  const asked: string[][] = [];
  const fn = async (ids: string[]) => {
    asked.push(ids);
    return hosts.filter((h) => ids.includes(h.id));
  };
  return Object.assign(fn, { asked });
}

describe('the leak sweep of an AWS account', () => {
  it('terminates only the unknown instance, across two regions and paginated listings', async () => {
    const live = host();
    const creating = host({ state: 'creating' });
    const draining = host({ state: 'draining' });
    // another tenant connected the same AWS account: its machines are not this account's leaks
    const neighbour = host({ tenantId: OTHER_TENANT });
    const unknown = instance({ tenant: TENANT, cluster: randomUUID(), host: randomUUID() });
    regions = {
      'eu-central-1': [
        instance(tagsOf(live)),
        { ...instance({}), Tags: [{ Key: 'Name', Value: 'not-wharf' }] },
        unknown,
        instance({ tenant: TENANT, cluster: randomUUID(), host: randomUUID() }, 'shutting-down'),
        instance({ host: randomUUID() }),
        instance(tagsOf(creating)),
      ],
      'us-east-1': [instance(tagsOf(draining)), instance(tagsOf(neighbour)), instance(tagsOf(live))],
    };
    const lookup = lookupOf([live, creating, draining, neighbour]);

    const report = await sweepTarget(target(), lookup);

    expect(terminated).toEqual([{ region: 'eu-central-1', ids: [unknown.InstanceId] }]);
    expect(report.map((r) => [r.region, r.seen, r.deleted, r.errors])).toEqual([
      ['eu-central-1', 5, [{ machineId: unknown.InstanceId, hostId: expect.any(String), reason: 'unknown-host' }], []],
      ['us-east-1', 3, [], []],
    ]);
    // every page of both regions was read before deciding
    const pages = ec2.commandCalls(DescribeInstancesCommand).map((c) => c.args[0].input.NextToken);
    expect(pages).toEqual([undefined, '2', '4', undefined, '2']);
    // the machine without all of Wharf's tags and the one shutting down were not even looked up
    expect(lookup.asked.flat()).toHaveLength(3 + 3);
  });

  it('deletes nothing in a region whose listing fails, and still sweeps the others', async () => {
    const unknownTags = { tenant: TENANT, cluster: randomUUID(), host: randomUUID() };
    regions = { 'ap-southeast-1': [instance(unknownTags)], 'eu-west-1': [instance(unknownTags)] };

    const report = await sweepTarget(target(), lookupOf([]));

    expect(report).toMatchObject([
      { region: 'ap-southeast-1', seen: 0, deleted: [], errors: [expect.stringMatching(/^list: /)] },
      { region: 'eu-west-1', seen: 1, deleted: [{ reason: 'unknown-host' }], errors: [] },
    ]);
    expect(terminated.map((t) => t.region)).toEqual(['eu-west-1']);
  });

  it('reports an account whose regions cannot be listed, and touches nothing', async () => {
    ec2
      .on(DescribeRegionsCommand)
      .rejects(new EC2ServiceException({ name: 'AuthFailure', $fault: 'client', $metadata: {}, message: 'no' }));
    const report = await sweepTarget(target(), lookupOf([]));
    expect(report).toMatchObject([
      { provider: 'aws', region: '*', seen: 0, deleted: [], errors: [expect.stringMatching(/^regions: /)] },
    ]);
    expect(ec2.commandCalls(DescribeInstancesCommand)).toHaveLength(0);
  });
});

describe('leakReason', () => {
  const machine = (h: { id: string; tenantId: string }): Machine => ({
    id: 'm-1',
    state: 'running',
    region: 'eu-central-1',
    instanceType: 't3.small',
    tags: { tenant: h.tenantId, cluster: randomUUID(), host: h.id },
    extra: {},
  });
  const t = target();

  it('keeps the machine of a host that has not ended, whatever its step', () => {
    for (const state of ['requested', 'creating', 'booting', 'ready', 'draining', 'terminating'] as const) {
      const h = host({ state });
      expect(leakReason(machine(h), h, t), state).toBeUndefined();
    }
  });

  it('names why a machine is a leak', () => {
    const h = host();
    expect(leakReason(machine(h), undefined, t)).toBe('unknown-host');
    expect(leakReason(machine(h), host({ state: 'terminated' }), t)).toBe('host-terminated');
    expect(leakReason(machine(h), host({ state: 'failed' }), t)).toBe('host-failed');
    // the tag names another tenant than the host's
    expect(leakReason(machine({ id: h.id, tenantId: OTHER_TENANT }), h, t)).toBe('other-tenant');
    // a host of another tenant, on another AWS account than this one (or on none any more)
    const foreign = host({ tenantId: OTHER_TENANT, accountIdentity: '999999999999' });
    expect(leakReason(machine(foreign), foreign, t)).toBe('other-tenant');
    const orphaned = host({ tenantId: OTHER_TENANT, accountIdentity: null });
    expect(leakReason(machine(orphaned), orphaned, t)).toBe('other-tenant');
    // on the local provider any tenant's host may own a machine
    const local = { ...t, tenantId: null, identity: null };
    expect(leakReason(machine(foreign), foreign, local)).toBeUndefined();
  });
});
