'use client';

import { type RegistryCredential, registryRoutes } from '@wharf/contracts';
import { ConfirmDialog, useConfirmAction } from '@/components/confirm-dialog';
import { actionsColumn, type Column, DangerRowButton, DataTable } from '@/components/data-table';
import { useTenant } from '@/features/tenant/tenant-provider';
import { api } from '@/lib/api/client';
import type { CursorList } from '@/lib/hooks/use-cursor-list';
import { useI18n } from '@/lib/i18n/i18n-provider';

export function RegistriesTable({ list }: { list: CursorList<RegistryCredential> }) {
  const { t, formatDate } = useI18n();
  const { tenant, denial } = useTenant();
  const blocked = denial('registries.write');
  const remove = useConfirmAction(
    (credential: RegistryCredential) =>
      api(registryRoutes.remove, { params: { tenant: tenant.slug, credentialId: credential.id } }),
    ({ id }) => list.mutate((items) => items.filter((item) => item.id !== id)),
  );

  const columns: Column<RegistryCredential>[] = [
    { id: 'server', header: 'registries.col.server', cell: (c) => <code className="cell-primary">{c.server}</code> },
    { id: 'username', header: 'registries.col.username', cell: (c) => c.username },
    { id: 'password', header: 'registries.col.password', className: 'hide-sm', cell: () => t('registries.passwordHidden') },
    { id: 'added', header: 'registries.col.added', className: 'hide-sm', cell: (c) => formatDate(c.createdAt) },
    actionsColumn((c) => (
      <DangerRowButton blocked={blocked} onClick={() => remove.ask(c)}>
        {t('registries.delete')}
      </DangerRowButton>
    )),
  ];

  return (
    <DataTable
      list={list}
      columns={columns}
      rowKey={(c) => c.id}
      testId="registries-table"
      rowTestId="registry-row"
      rowData={(c) => ({ 'data-server': c.server })}
      emptyTitle={t('registries.empty')}
    >
      <ConfirmDialog
        {...remove.dialog}
        title={t('registries.delete.title')}
        message={t('registries.delete.message', { server: remove.target?.server ?? '' })}
        confirmLabel={t('registries.delete.confirm')}
      />
    </DataTable>
  );
}
