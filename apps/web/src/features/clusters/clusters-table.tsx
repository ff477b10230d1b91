'use client';

import type { TenantCluster } from '@wharf/contracts';
import Link from 'next/link';
import { Badge } from '@/components/badge';
import { type Column, DataTable } from '@/components/data-table';
import { useTenant } from '@/features/tenant/tenant-provider';
import type { CursorList } from '@/lib/hooks/use-cursor-list';
import { useI18n } from '@/lib/i18n/i18n-provider';
import { clusterPath } from './cluster-paths';
import { ClusterStatusBadge } from './cluster-status';

/** Hosts that may hold a machine: every one not terminated or failed. */
export function liveHosts(cluster: TenantCluster): number {
  return Object.entries(cluster.hosts).reduce(
    (sum, [state, n]) => (state === 'terminated' || state === 'failed' ? sum : sum + n),
    0,
  );
}

function HostsCell({ cluster }: { cluster: TenantCluster }) {
  const { t } = useI18n();
  if (cluster.kind === 'shared') return <span className="muted">{t('clusters.hostsShared')}</span>;
  return (
    <span data-testid="cluster-hosts">
      {t('clusters.hostsSummary', { ready: cluster.hosts.ready, total: liveHosts(cluster) })}
    </span>
  );
}

export function ClustersTable({ list }: { list: CursorList<TenantCluster> }) {
  const { t, formatDateTime } = useI18n();
  const { tenant } = useTenant();
  const columns: Column<TenantCluster>[] = [
    {
      id: 'name',
      header: 'clusters.col.name',
      cell: (c) => (
        <Link href={clusterPath(tenant.slug, c.id)} className="cell-primary">
          {c.name}
        </Link>
      ),
    },
    { id: 'kind', header: 'clusters.col.kind', cell: (c) => <Badge tone="info">{t(`clusterKind.${c.kind}`)}</Badge> },
    { id: 'status', header: 'clusters.col.status', cell: (c) => <ClusterStatusBadge status={c.status} /> },
    { id: 'domain', header: 'clusters.col.domain', className: 'hide-sm', cell: (c) => <code>{c.domain}</code> },
    { id: 'hosts', header: 'clusters.col.hosts', cell: (c) => <HostsCell cluster={c} /> },
    {
      id: 'heartbeat',
      header: 'clusters.col.heartbeat',
      className: 'hide-sm',
      cell: (c) => (c.lastHeartbeatAt ? formatDateTime(c.lastHeartbeatAt) : t('clusters.never')),
    },
  ];
  return (
    <DataTable
      list={list}
      columns={columns}
      rowKey={(c) => c.id}
      testId="clusters-table"
      rowTestId="cluster-row"
      rowData={(c) => ({ 'data-name': c.name, 'data-kind': c.kind })}
      emptyTitle={t('clusters.empty')}
    />
  );
}
