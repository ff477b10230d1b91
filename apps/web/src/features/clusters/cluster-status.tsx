'use client';

import type { Host, TenantCluster } from '@wharf/contracts';
import { Badge, type BadgeTone } from '@/components/badge';
import { useI18n } from '@/lib/i18n/i18n-provider';
import { hostTone } from './host-states';

const CLUSTER_TONE: Record<TenantCluster['status'], BadgeTone> = {
  pending: 'neutral',
  ready: 'success',
  unreachable: 'danger',
};

export function ClusterStatusBadge({ status }: { status: TenantCluster['status'] }) {
  const { t } = useI18n();
  return (
    <span data-testid="cluster-status" data-status={status}>
      <Badge tone={CLUSTER_TONE[status]}>{t(`clusterStatus.${status}`)}</Badge>
    </span>
  );
}

export function HostStateBadge({ state }: { state: Host['state'] }) {
  const { t } = useI18n();
  return (
    <span data-testid="host-state" data-state={state}>
      <Badge tone={hostTone(state)}>{t(`hostState.${state}`)}</Badge>
    </span>
  );
}
