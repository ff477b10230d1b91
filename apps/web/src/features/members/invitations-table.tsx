'use client';

import type { Invitation } from '@wharf/contracts';
import { invitationRoutes } from '@wharf/contracts';
import { useState } from 'react';
import { Badge, type BadgeTone } from '@/components/badge';
import { ConfirmDialog } from '@/components/confirm-dialog';
import { EmptyState, ErrorState, Loading, LoadMore } from '@/components/states';
import { useTenant } from '@/features/tenant/tenant-provider';
import { api } from '@/lib/api/client';
import { useAction } from '@/lib/hooks/use-action';
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
  const [revoking, setRevoking] = useState<Invitation>();
  const blocked = denial('members.invite');
  const revoke = useAction((invitation: Invitation) =>
    api(invitationRoutes.revoke, { params: { tenant: tenant.slug, invitationId: invitation.id } }),
  );

  async function confirmRevoke() {
    if (!revoking || !(await revoke.run(revoking)).ok) return;
    const id = revoking.id;
    list.mutate((items) => items.map((i) => (i.id === id ? { ...i, status: 'revoked' } : i)));
    setRevoking(undefined);
  }

  if (list.loading) return <Loading />;
  if (list.error && list.items.length === 0) return <ErrorState error={list.error} onRetry={list.reload} />;
  if (list.items.length === 0) return <EmptyState title={t('invitations.empty')} />;
  return (
    <>
      <div className="table-wrap">
        <table className="table table-stack" data-testid="invitations-table">
          <thead>
            <tr>
              <th scope="col">{t('invitations.col.email')}</th>
              <th scope="col">{t('invitations.col.role')}</th>
              <th scope="col">{t('invitations.col.status')}</th>
              <th scope="col" className="hide-sm">
                {t('invitations.col.expires')}
              </th>
              <th scope="col" className="hide-sm">
                {t('invitations.col.invitedBy')}
              </th>
              <th scope="col" className="cell-actions">
                <span className="visually-hidden">{t('common.actions')}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {list.items.map((invitation) => (
              <tr key={invitation.id} data-testid="invitation-row" data-email={invitation.email}>
                <td className="cell-primary">{invitation.email}</td>
                <td>{t(`role.${invitation.role}`)}</td>
                <td>
                  <Badge tone={STATUS_TONE[invitation.status]}>{t(`invitationStatus.${invitation.status}`)}</Badge>
                </td>
                <td className="hide-sm">{formatDateTime(invitation.expiresAt)}</td>
                <td className="hide-sm">{invitation.invitedBy?.name ?? '—'}</td>
                <td className="cell-actions">
                  {invitation.status === 'pending' && (
                    <button
                      type="button"
                      className="button button-danger-ghost"
                      disabled={!!blocked}
                      title={blocked ?? undefined}
                      onClick={() => setRevoking(invitation)}
                    >
                      {t('invitations.revoke')}
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {list.error && <ErrorState error={list.error} />}
      <LoadMore hasMore={list.hasMore} loading={list.loadingMore} onLoadMore={list.loadMore} />
      <ConfirmDialog
        open={!!revoking}
        title={t('invitations.revoke.title')}
        message={t('invitations.revoke.message', { email: revoking?.email ?? '', team: tenant.name })}
        confirmLabel={t('invitations.revoke.confirm')}
        pending={revoke.pending}
        error={revoke.error}
        onConfirm={() => void confirmRevoke()}
        onCancel={() => {
          setRevoking(undefined);
          revoke.reset();
        }}
      />
    </>
  );
}
