'use client';

import type { Invitation } from '@wharf/contracts';
import { invitationRoutes } from '@wharf/contracts';
import { Badge, type BadgeTone } from '@/components/badge';
import { ConfirmDialog, useConfirmAction } from '@/components/confirm-dialog';
import { actionsColumn, type Column, DangerRowButton, DataTable } from '@/components/data-table';
import { useTenant } from '@/features/tenant/tenant-provider';
import { api } from '@/lib/api/client';
import type { CursorList } from '@/lib/hooks/use-cursor-list';
import { useI18n } from '@/lib/i18n/i18n-provider';

const STATUS_TONE: Record<Invitation['status'], BadgeTone> = {
  pending: 'info',
  accepted: 'success',
  revoked: 'neutral',
  expired: 'warning',
};

export function InvitationsTable({ list }: { list: CursorList<Invitation> }) {
  const { t, formatDateTime } = useI18n();
  const { tenant, denial } = useTenant();
  const blocked = denial('members.invite');
  const revoke = useConfirmAction(
    (invitation: Invitation) => api(invitationRoutes.revoke, { params: { tenant: tenant.slug, invitationId: invitation.id } }),
    ({ id }) => list.mutate((items) => items.map((i) => (i.id === id ? { ...i, status: 'revoked' } : i))),
  );

  const columns: Column<Invitation>[] = [
    { id: 'email', header: 'invitations.col.email', cellClassName: 'cell-primary', cell: (i) => i.email },
    { id: 'role', header: 'invitations.col.role', cell: (i) => t(`role.${i.role}`) },
    {
      id: 'status',
      header: 'invitations.col.status',
      cell: (i) => <Badge tone={STATUS_TONE[i.status]}>{t(`invitationStatus.${i.status}`)}</Badge>,
    },
    { id: 'expires', header: 'invitations.col.expires', className: 'hide-sm', cell: (i) => formatDateTime(i.expiresAt) },
    { id: 'invitedBy', header: 'invitations.col.invitedBy', className: 'hide-sm', cell: (i) => i.invitedBy?.name ?? '—' },
    actionsColumn(
      (i) =>
        i.status === 'pending' && (
          <DangerRowButton blocked={blocked} onClick={() => revoke.ask(i)}>
            {t('invitations.revoke')}
          </DangerRowButton>
        ),
    ),
  ];

  return (
    <DataTable
      list={list}
      columns={columns}
      rowKey={(i) => i.id}
      testId="invitations-table"
      rowTestId="invitation-row"
      rowData={(i) => ({ 'data-email': i.email })}
      emptyTitle={t('invitations.empty')}
    >
      <ConfirmDialog
        {...revoke.dialog}
        title={t('invitations.revoke.title')}
        message={t('invitations.revoke.message', { email: revoke.target?.email ?? '', team: tenant.name })}
        confirmLabel={t('invitations.revoke.confirm')}
      />
    </DataTable>
  );
}
