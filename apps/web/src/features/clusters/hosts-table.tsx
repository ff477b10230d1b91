'use client';

import { type Host, hostRoutes } from '@wharf/contracts';
import Link from 'next/link';
import { ConfirmDialog, useConfirmAction } from '@/components/confirm-dialog';
import { actionsColumn, type Column, DangerRowButton, DataTable } from '@/components/data-table';
import { useTenant } from '@/features/tenant/tenant-provider';
import { api } from '@/lib/api/client';
import type { CursorList } from '@/lib/hooks/use-cursor-list';
import { useI18n } from '@/lib/i18n/i18n-provider';
import { hostPath } from './cluster-paths';
import { HostStateBadge } from './cluster-status';
import { canRemove } from './host-states';

/** The state, and why the host failed. */
function StateCell({ host }: { host: Host }) {
  return (
    <>
      <HostStateBadge state={host.state} />
      {host.failure && (
        <span className="cell-secondary field-error" data-testid="host-failure">
          {host.failure}
        </span>
      )}
    </>
  );
}

export function HostsTable({
  list,
  clusterId,
  onChanged,
}: {
  list: CursorList<Host>;
  clusterId: string;
  onChanged: (host: Host) => void;
}) {
  const { t, formatDateTime, formatNumber } = useI18n();
  const { tenant, denial } = useTenant();
  const blocked = denial('hosts.write');
  const remove = useConfirmAction(
    (host: Host) => api(hostRoutes.remove, { params: { tenant: tenant.slug, clusterId, hostId: host.id } }),
    (_, host) => onChanged(host),
  );
  const dash = <span className="muted">—</span>;

  const columns: Column<Host>[] = [
    {
      id: 'name',
      header: 'hosts.col.name',
      cellClassName: 'nowrap',
      cell: (h) => (
        <Link className="cell-primary" href={hostPath(tenant.slug, clusterId, h.id)} data-testid="host-link">
          {h.name}
        </Link>
      ),
    },
    {
      id: 'provider',
      header: 'hosts.col.provider',
      cell: (h) => (
        <span>
          {t(`hostProvider.${h.provider}`)} <span className="muted">{h.zone ?? h.region}</span>
        </span>
      ),
    },
    {
      id: 'type',
      header: 'hosts.col.type',
      className: 'hide-sm',
      cell: (h) => (h.instanceType ? <code>{h.instanceType}</code> : dash),
    },
    { id: 'state', header: 'hosts.col.state', cell: (h) => <StateCell host={h} /> },
    {
      id: 'size',
      header: 'hosts.col.size',
      className: 'hide-sm',
      cell: (h) =>
        h.vcpus !== null && h.memoryMib !== null
          ? t('hosts.size', { vcpus: formatNumber(h.vcpus), memory: formatNumber(h.memoryMib) })
          : dash,
    },
    { id: 'ip', header: 'hosts.col.ip', className: 'hide-sm', cell: (h) => (h.privateIp ? <code>{h.privateIp}</code> : dash) },
    { id: 'role', header: 'hosts.col.role', cell: (h) => (h.swarmRole ? t(`swarmRole.${h.swarmRole}`) : dash) },
    {
      id: 'heartbeat',
      header: 'hosts.col.heartbeat',
      className: 'hide-sm',
      cell: (h) => (h.lastSeenAt ? formatDateTime(h.lastSeenAt) : dash),
    },
    actionsColumn((h) =>
      canRemove(h.state) ? (
        <DangerRowButton blocked={blocked} onClick={() => remove.ask(h)}>
          {t('hosts.remove')}
        </DangerRowButton>
      ) : null,
    ),
  ];

  const target = remove.target;
  const named = {
    name: target?.name ?? '',
    provider: target ? t(`hostProvider.${target.provider}`) : '',
    type: target?.instanceType ?? target?.region ?? '',
  };
  return (
    <DataTable
      list={list}
      columns={columns}
      rowKey={(h) => h.id}
      testId="hosts-table"
      rowTestId="host-row"
      rowData={(h) => ({ 'data-name': h.name, 'data-state': h.state, 'data-provider': h.provider })}
      emptyTitle={t('hosts.empty')}
      emptyAction={<p className="muted">{t('hosts.emptyHint')}</p>}
    >
      <ConfirmDialog
        {...remove.dialog}
        testId="remove-host-dialog"
        title={t('hosts.remove.title', { name: named.name })}
        message={t('hosts.remove.message', named)}
        confirmLabel={t('hosts.remove.confirm')}
      />
    </DataTable>
  );
}
