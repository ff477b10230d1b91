'use client';

import { type CloudAccount, cloudAccountRoutes } from '@wharf/contracts';
import { Badge } from '@/components/badge';
import { ConfirmDialog, useConfirmAction } from '@/components/confirm-dialog';
import { actionsColumn, type Column, DangerRowButton, DataTable } from '@/components/data-table';
import { useTenant } from '@/features/tenant/tenant-provider';
import { api } from '@/lib/api/client';
import type { CursorList } from '@/lib/hooks/use-cursor-list';
import { useI18n } from '@/lib/i18n/i18n-provider';

/** The role ARN, or the masked key id: how Wharf reaches the account (the secret is never shown). */
function AccessCell({ account }: { account: CloudAccount }) {
  const { t } = useI18n();
  const value = account.auth === 'role' ? account.roleArn : account.accessKeyId;
  return (
    <span className="cloud-access">
      <span className="muted">{t(`clouds.access.${account.auth}`)}</span> <code data-testid="cloud-access">{value}</code>
    </span>
  );
}

export function CloudAccountsTable({ list }: { list: CursorList<CloudAccount> }) {
  const { t, formatDate } = useI18n();
  const { tenant, denial } = useTenant();
  const blocked = denial('clouds.write');
  const remove = useConfirmAction(
    (account: CloudAccount) => api(cloudAccountRoutes.remove, { params: { tenant: tenant.slug, accountId: account.id } }),
    ({ id }) => list.mutate((items) => items.filter((item) => item.id !== id)),
  );

  const columns: Column<CloudAccount>[] = [
    {
      id: 'provider',
      header: 'clouds.col.provider',
      cell: (a) => <Badge tone="info">{t(`cloudProvider.${a.provider}`)}</Badge>,
    },
    { id: 'name', header: 'clouds.col.name', cell: (a) => <span className="cell-primary">{a.name}</span> },
    { id: 'access', header: 'clouds.col.access', cell: (a) => <AccessCell account={a} /> },
    {
      id: 'account',
      header: 'clouds.col.account',
      cell: (a) => <code data-testid="cloud-identity">{a.identity.account}</code>,
    },
    { id: 'verified', header: 'clouds.col.verified', className: 'hide-sm', cell: (a) => formatDate(a.verifiedAt) },
    actionsColumn((a) => (
      <DangerRowButton blocked={blocked} onClick={() => remove.ask(a)}>
        {t('clouds.delete')}
      </DangerRowButton>
    )),
  ];

  const target = remove.target;
  const named = {
    name: target?.name ?? '',
    provider: target ? t(`cloudProvider.${target.provider}`) : '',
    account: target?.identity.account ?? '',
  };
  return (
    <DataTable
      list={list}
      columns={columns}
      rowKey={(a) => a.id}
      testId="cloud-accounts-table"
      rowTestId="cloud-account-row"
      rowData={(a) => ({ 'data-name': a.name, 'data-provider': a.provider, 'data-auth': a.auth })}
      emptyTitle={t('clouds.empty')}
      emptyAction={<p className="muted">{t('clouds.emptyHint')}</p>}
    >
      <ConfirmDialog
        {...remove.dialog}
        title={t('clouds.delete.title', { name: named.name })}
        message={t('clouds.delete.message', named)}
        confirmLabel={t('clouds.delete.confirm')}
      />
    </DataTable>
  );
}
