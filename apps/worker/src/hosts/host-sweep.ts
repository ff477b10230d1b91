import type { SweepReason, SweptRegion } from '@wharf/contracts';
import type { SweepHost } from '@wharf/db';
import type { Machine, MachineProvider, MachineState } from '@wharf/providers';

/** One adapter the leak sweep goes through: a tenant's cloud account, or the worker's local provider. */
export interface SweepTarget {
  provider: MachineProvider;
  /** Null: the local provider. */
  cloudAccountId: string | null;
  /** The tenant the account belongs to (null: local, whose machines may be any tenant's). */
  tenantId: string | null;
  /** The provider's id of the account (`identity_account`: the AWS account, the Aliyun account). */
  identity: string | null;
}

/** The hosts (of any tenant) that machines' `wharf:host` tags name. */
export type HostLookup = (hostIds: string[]) => Promise<SweepHost[]>;

/** A machine already on its way out needs no delete (the provider answers it for a while after). */
const GOING: readonly MachineState[] = ['terminating', 'terminated'];

/**
 * Why a machine carrying Wharf's tags is a leak, or undefined when a live host owns it. A machine of a host still
 * being created is owned: the host row exists before the provider's create call. A host of another tenant than the
 * account's is a leak unless that host's own account is the same provider account (two tenants, or a tenant twice,
 * connected one AWS account: the machine is not ours to judge from this side).
 */
export function leakReason(machine: Machine, host: SweepHost | undefined, target: SweepTarget): SweepReason | undefined {
  if (!host) return 'unknown-host';
  if (host.tenantId !== machine.tags.tenant?.toLowerCase()) return 'other-tenant';
  if (target.tenantId !== null && host.tenantId !== target.tenantId && !sameAccount(host, target)) return 'other-tenant';
  if (host.state === 'terminated') return 'host-terminated';
  if (host.state === 'failed') return 'host-failed';
  return undefined;
}

function sameAccount(host: SweepHost, target: SweepTarget): boolean {
  return host.provider === target.provider.kind && host.accountIdentity !== null && host.accountIdentity === target.identity;
}

export const errorMessage = (err: unknown) => (err instanceof Error ? err.message : String(err));

/** Who a target is, in its reports. */
export type TargetRef = Pick<SweepTarget, 'cloudAccountId' | 'tenantId'> & { kind: SweptRegion['provider'] };

/** An empty report of one region of the target (`*`: the target as a whole, when it could not be swept at all). */
export function regionReport(target: TargetRef, region: string, errors: string[] = []): SweptRegion {
  return {
    provider: target.kind,
    cloudAccountId: target.cloudAccountId,
    tenantId: target.tenantId,
    region,
    seen: 0,
    deleted: [],
    errors,
  };
}

/** Sweeps every region of the target; a region whose listing fails is reported and nothing of it is deleted. */
export async function sweepTarget(target: SweepTarget, lookup: HostLookup): Promise<SweptRegion[]> {
  const ref: TargetRef = { ...target, kind: target.provider.kind };
  let regions: string[];
  try {
    regions = (await target.provider.regions()).map((r) => r.id);
  } catch (err) {
    return [regionReport(ref, '*', [`regions: ${errorMessage(err)}`])];
  }
  const swept: SweptRegion[] = [];
  for (const region of regions) swept.push(await sweepRegion(target, regionReport(ref, region), lookup));
  return swept;
}

async function sweepRegion(target: SweepTarget, swept: SweptRegion, lookup: HostLookup): Promise<SweptRegion> {
  const { region } = swept;
  let machines: Machine[];
  try {
    machines = await target.provider.list(region);
  } catch (err) {
    swept.errors.push(`list: ${errorMessage(err)}`);
    return swept;
  }
  swept.seen = machines.length;
  // a machine without all of Wharf's tags is never touched
  const tagged = machines.filter((m) => m.tags.tenant && m.tags.cluster && m.tags.host && !GOING.includes(m.state));
  // looked up after the listing: every machine listed had its host row before it was created
  const hosts = new Map((await lookup(tagged.map((m) => m.tags.host ?? ''))).map((h) => [h.id, h]));
  for (const m of tagged) {
    const hostId = m.tags.host ?? '';
    const reason = leakReason(m, hosts.get(hostId.toLowerCase()), target);
    if (!reason) continue;
    try {
      await target.provider.delete(region, m.id);
      swept.deleted.push({ machineId: m.id, hostId, reason });
    } catch (err) {
      swept.errors.push(`delete ${m.id}: ${errorMessage(err)}`);
    }
  }
  return swept;
}
