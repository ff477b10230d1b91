'use client';

import { type AdminClusterHealth, type AdminClustersHealth, adminRoutes } from '@wharf/contracts';
import type { ReactNode } from 'react';
import { PageHeader } from '@/components/page-header';
import { TableScroll } from '@/components/table-scroll';
import { StaleNotice } from '@/features/apps/stale-notice';
import { api } from '@/lib/api/client';
import { useI18n } from '@/lib/i18n/i18n-provider';
import type { MessageKey } from '@/lib/i18n/locales';
import { useClusterAdminActions } from './cluster-admin-actions';
import { AgentsCell, ClusterCell, HealthCell, HostsCell, NodesCell, OwnerCell, WhereCell } from './cluster-health-cells';
import { SnapshotState } from './snapshot-state';
import { usePolledSnapshot } from './use-polled-snapshot';

interface HealthColumn {
  id: string;
  header: MessageKey;
  className?: string;
  cell: (cluster: AdminClusterHealth) => ReactNode;
}

const COLUMNS: HealthColumn[] = [
  { id: 'cluster', header: 'adminOps.clusters.col.cluster', cell: (c) => <ClusterCell cluster={c} /> },
  { id: 'health', header: 'adminOps.clusters.col.health', cell: (c) => <HealthCell cluster={c} /> },
  { id: 'owner', header: 'adminOps.clusters.col.owner', cell: (c) => <OwnerCell cluster={c} /> },
  { id: 'where', header: 'adminOps.clusters.col.where', className: 'hide-sm', cell: (c) => <WhereCell cluster={c} /> },
  { id: 'agents', header: 'adminOps.clusters.col.agents', cell: (c) => <AgentsCell cluster={c} /> },
  { id: 'nodes', header: 'adminOps.clusters.col.nodes', cell: (c) => <NodesCell cluster={c} /> },
  { id: 'hosts', header: 'adminOps.clusters.col.hosts', cell: (c) => <HostsCell cluster={c} /> },
  { id: 'load', header: 'adminOps.clusters.col.load', cell: (c) => <LoadCell cluster={c} /> },
];

function LoadCell({ cluster }: { cluster: AdminClusterHealth }) {
  const { t, formatNumber } = useI18n();
  return (
    <span className="nowrap" data-testid="cluster-load">
      {t('adminOps.clusters.load', { apps: formatNumber(cluster.apps), services: formatNumber(cluster.services) })}
    </span>
  );
}

function Summary({ data }: { data: AdminClustersHealth }) {
  const { t, formatDuration } = useI18n();
  const count = (health: AdminClusterHealth['health']) => data.items.filter((c) => c.health === health).length;
  return (
    <div className="muted">
      <p data-testid="cluster-health-summary">
        {t('adminOps.clusters.summary', { healthy: count('healthy'), degraded: count('degraded'), down: count('down') })}
      </p>
      <p>{t('adminOps.clusters.staleAfter', { duration: formatDuration(data.staleAfterMs / 1000) })}</p>
    </div>
  );
}

function ClustersHealthTable({
  data,
  actions,
}: {
  data: AdminClustersHealth;
  actions: (cluster: AdminClusterHealth) => ReactNode;
}) {
  const { t } = useI18n();
  return (
    <>
      <Summary data={data} />
      <TableScroll label={t('adminOps.clusters.title')}>
        <table className="table" data-testid="cluster-health-table">
          <thead>
            <tr>
              {COLUMNS.map((column) => (
                <th key={column.id} scope="col" className={column.className}>
                  {t(column.header)}
                </th>
              ))}
              <th scope="col">{t('adminClusters.col.actions')}</th>
            </tr>
          </thead>
          <tbody>
            {data.items.map((cluster) => (
              <tr key={cluster.id} data-testid="cluster-health-row" data-name={cluster.name} data-kind={cluster.kind}>
                {COLUMNS.map((column) => (
                  <td key={column.id} className={column.className}>
                    {column.cell(cluster)}
                  </td>
                ))}
                <td>{actions(cluster)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableScroll>
    </>
  );
}

/** Every cluster's health (agents heard from, nodes, hosts, services), refreshed every 5 s. */
export function ClustersHealthView() {
  const { t } = useI18n();
  const snapshot = usePolledSnapshot((signal) => api(adminRoutes.clusterHealth, {}, { signal }));
  const admin = useClusterAdminActions(snapshot.reload);
  return (
    <>
      <PageHeader title={t('adminOps.clusters.title')} description={t('adminOps.clusters.description')} actions={admin.button} />
      <section className="card" aria-labelledby="cluster-health-title" data-testid="admin-cluster-health">
        <div className="card-header">
          <h2 id="cluster-health-title">{t('adminOps.clusters.listTitle')}</h2>
          <p className="muted">{t('adminOps.refreshNote')}</p>
        </div>
        <StaleNotice error={snapshot.stale} />
        <SnapshotState resource={snapshot} isEmpty={(d) => d.items.length === 0} emptyTitle={t('adminOps.clusters.empty')}>
          {(data) => <ClustersHealthTable data={data} actions={admin.rowActions} />}
        </SnapshotState>
      </section>
      {admin.dialogs}
    </>
  );
}
