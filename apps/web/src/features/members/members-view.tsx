'use client';

import { invitationRoutes } from '@wharf/contracts';
import { PageHeader } from '@/components/page-header';
import { useTenant } from '@/features/tenant/tenant-provider';
import { api } from '@/lib/api/client';
import { useCursorList } from '@/lib/hooks/use-cursor-list';
import { useI18n } from '@/lib/i18n/i18n-provider';
import { InvitationsTable } from './invitations-table';
import { InviteForm } from './invite-form';
import { MembersTable } from './members-table';

function InvitationsSection() {
  const { t } = useI18n();
  const { tenant } = useTenant();
  const list = useCursorList(
    (cursor, signal) => api(invitationRoutes.list, { params: { tenant: tenant.slug }, query: { cursor } }, { signal }),
    [tenant.slug],
  );
  return (
    <section className="card" aria-labelledby="invitations-title">
      <div className="card-header">
        <h2 id="invitations-title">{t('invitations.title')}</h2>
        <p className="muted">{t('invitations.subtitle')}</p>
      </div>
      <InviteForm onCreated={(invitation) => list.mutate((items) => [invitation, ...items])} />
      <InvitationsTable list={list} />
    </section>
  );
}

export function MembersView() {
  const { t } = useI18n();
  const { tenant, denial } = useTenant();
  const inviteHidden = denial('members.invite', 'read');
  return (
    <>
      <PageHeader title={t('members.pageTitle')} description={t('members.pageDescription', { team: tenant.name })} />
      <MembersTable />
      {inviteHidden ? (
        <section className="card">
          <p className="muted" data-testid="invite-denied">
            {t('invitations.denied', { reason: inviteHidden })}
          </p>
        </section>
      ) : (
        <InvitationsSection />
      )}
    </>
  );
}
