'use client';

import { type Member, memberRoutes } from '@wharf/contracts';
import { useRouter } from 'next/navigation';
import type { ReactNode } from 'react';
import { EmptyState, ErrorState, Loading, LoadMore } from '@/components/states';
import { useMe, useSession } from '@/features/auth/session-provider';
import { useTenant } from '@/features/tenant/tenant-provider';
import { api } from '@/lib/api/client';
import { useCursorList } from '@/lib/hooks/use-cursor-list';
import { useI18n } from '@/lib/i18n/i18n-provider';
import { MemberRow } from './member-row';

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

  let body: ReactNode;
  if (list.loading) body = <Loading />;
  else if (list.error && list.items.length === 0) body = <ErrorState error={list.error} onRetry={list.reload} />;
  else if (list.items.length === 0) body = <EmptyState title={t('members.empty')} />;
  else
    body = (
      <>
        <div className="table-wrap">
          <table className="table table-stack" data-testid="members-table">
            <thead>
              <tr>
                <th scope="col">{t('members.col.member')}</th>
                <th scope="col">{t('members.col.role')}</th>
                <th scope="col" className="hide-sm">
                  {t('members.col.joined')}
                </th>
                <th scope="col" className="cell-actions">
                  <span className="visually-hidden">{t('common.actions')}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {list.items.map((member) => (
                <MemberRow
                  key={member.userId}
                  member={member}
                  isSelf={member.userId === me.user.id}
                  onChanged={onChanged}
                  onRemoved={onRemoved}
                />
              ))}
            </tbody>
          </table>
        </div>
        {list.error && <ErrorState error={list.error} />}
        <LoadMore hasMore={list.hasMore} loading={list.loadingMore} onLoadMore={list.loadMore} />
      </>
    );

  return (
    <section className="card" aria-labelledby="members-title">
      <div className="card-header">
        <h2 id="members-title">{t('members.title')}</h2>
      </div>
      {body}
    </section>
  );
}
