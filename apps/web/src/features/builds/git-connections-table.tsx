'use client';

import { gitConnectionRoutes } from '@wharf/contracts';
import { ConfirmDialog, useConfirmAction } from '@/components/confirm-dialog';
import { actionsColumn, type Column, DangerRowButton, DataTable } from '@/components/data-table';
import { useTenant } from '@/features/tenant/tenant-provider';
import { api } from '@/lib/api/client';
import type { CursorList } from '@/lib/hooks/use-cursor-list';
import { useI18n } from '@/lib/i18n/i18n-provider';
import type { Connection } from './add-git-connection-form';

export function GitConnectionsTable({ list }: { list: CursorList<Connection> }) {
  const { t, formatDate } = useI18n();
  const { tenant, denial } = useTenant();
  const blocked = denial('apps.write');
  const remove = useConfirmAction(
    (connection: Connection) => api(gitConnectionRoutes.remove, { params: { tenant: tenant.slug, connection: connection.id } }),
    ({ id }) => list.mutate((items) => items.filter((item) => item.id !== id)),
  );

  const columns: Column<Connection>[] = [
    { id: 'provider', header: 'gitConnections.col.provider', cell: (c) => t(`gitProvider.${c.provider}`) },
    { id: 'account', header: 'gitConnections.col.account', cell: (c) => <code className="cell-primary">{c.account}</code> },
    { id: 'added', header: 'gitConnections.col.added', className: 'hide-sm', cell: (c) => formatDate(c.createdAt) },
    actionsColumn((c) => (
      <DangerRowButton blocked={blocked} onClick={() => remove.ask(c)}>
        {t('gitConnections.remove')}
      </DangerRowButton>
    )),
  ];

  const target = remove.target;
  return (
    <DataTable
      list={list}
      columns={columns}
      rowKey={(c) => c.id}
      testId="git-connections-table"
      rowTestId="git-connection-row"
      rowData={(c) => ({ 'data-account': c.account, 'data-provider': c.provider })}
      emptyTitle={t('gitConnections.empty')}
    >
      <ConfirmDialog
        {...remove.dialog}
        title={t('gitConnections.remove.title', { account: target?.account ?? '' })}
        message={t('gitConnections.remove.message', {
          account: target?.account ?? '',
          provider: target ? t(`gitProvider.${target.provider}`) : '',
        })}
        confirmLabel={t('gitConnections.remove.confirm')}
      />
    </DataTable>
  );
}
