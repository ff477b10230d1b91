import { DescribeVSwitchesRequest } from '@alicloud/ecs20140526';
import { ProviderError } from '../errors.js';
import type { EcsCall } from './ecs.js';

/*
 * Network, kept simple: a host goes into a VSwitch of its zone, the first Available one named `wharf…` (how a user
 * points Wharf at a VPC of their choice), else the zone's default VSwitch (the default VPC Aliyun creates). Without a
 * zone, the first such VSwitch of the region decides the zone. The cluster's security group lives in that VSwitch's
 * VPC.
 */

/** The VSwitch a host goes into: the zone's first `wharf…` one, else its default one (see the note above). */
export async function hostVSwitch(
  call: EcsCall,
  region: string,
  zone: string | undefined,
): Promise<{ vSwitchId: string; vpcId: string; zoneId: string }> {
  const candidates: { vSwitchId: string; vpcId: string; zoneId: string; name: string; isDefault: boolean }[] = [];
  for (let page = 1; ; page++) {
    const res = await call(region, 'DescribeVSwitches', (ecs) =>
      ecs.describeVSwitches(new DescribeVSwitchesRequest({ regionId: region, zoneId: zone, pageNumber: page, pageSize: 50 })),
    );
    const batch = res.body?.vSwitches?.vSwitch ?? [];
    for (const v of batch) {
      if (!v.vSwitchId || !v.vpcId || !v.zoneId || (v.status && v.status !== 'Available')) continue;
      candidates.push({
        vSwitchId: v.vSwitchId,
        vpcId: v.vpcId,
        zoneId: v.zoneId,
        name: v.vSwitchName ?? '',
        isDefault: v.isDefault === true,
      });
    }
    if (batch.length < 50 || page * 50 >= (res.body?.totalCount ?? 0)) break;
  }
  const chosen = candidates.find((v) => v.name.startsWith('wharf')) ?? candidates.find((v) => v.isDefault);
  if (!chosen)
    throw new ProviderError(
      'invalid',
      `No VSwitch for Wharf hosts in ${zone ?? region}: create the default VPC there, or a VSwitch named "wharf…".`,
    );
  return { vSwitchId: chosen.vSwitchId, vpcId: chosen.vpcId, zoneId: chosen.zoneId };
}
