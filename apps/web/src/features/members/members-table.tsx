'use client';

import { type Member, memberRoutes } from '@wharf/contracts';
import { useRouter } from 'next/navigation';
import { DataTable } from '@/components/data-table';
import { useMe, useSession } from '@/features/auth/session-provider';
import { useTenant } from '@/features/tenant/tenant-provider';
import { api } from '@/lib/api/client';
import { useCursorList } from '@/lib/hooks/use-cursor-list';
import { useI18n } from '@/lib/i18n/i18n-provider';
import { MEMBER_COLUMNS, MemberRow } from './member-row';

export function MembersTable() {
  const { t } = useI18n();
  const { tenant, reload: reloadTenant } = useTenant();
  const me = useMe();
  const session = useSession();
  const router = useRouter();
  const list = useCursorList(
    (cursor, signal) => api(memberRoutes.list, { params: { tenant: tenant.slug }, query: { cursor } }, { signal }),
    [tenant.slug],
  );

  function onChanged(updated: Member) {
    list.mutate((items) => items.map((m) => (m.userId === updated.userId ? updated : m)));
    if (updated.userId === me.user.id) {
      reloadTenant();
      void session.reload();
    }
  }

  function onRemoved(removed: Member) {
    if (removed.userId === me.user.id) {
      void session.reload().then(() => router.push('/'));
      return;
    }
    list.mutate((items) => items.filter((m) => m.userId !== removed.userId));
  }

  return (
    <section className="card" aria-labelledby="members-title">
      <div className="card-header">
        <h2 id="members-title">{t('members.title')}</h2>
      </div>
      <DataTable
        list={list}
        columns={MEMBER_COLUMNS}
        rowKey={(member) => member.userId}
        testId="members-table"
        renderRow={(member) => (
          <MemberRow member={member} isSelf={member.userId === me.user.id} onChanged={onChanged} onRemoved={onRemoved} />
        )}
        emptyTitle={t('members.empty')}
      />
    </section>
  );
}
