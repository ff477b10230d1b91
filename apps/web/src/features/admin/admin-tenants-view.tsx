'use client';

import { type AdminTenant, adminRoutes } from '@wharf/contracts';
import { usePathname, useRouter, useSearchParams } from 'next/navigation';
import { type FormEvent, type ReactNode, useState } from 'react';
import { Field } from '@/components/field';
import { PageHeader } from '@/components/page-header';
import { EmptyState, ErrorState, Loading, LoadMore } from '@/components/states';
import { api } from '@/lib/api/client';
import { useCursorList } from '@/lib/hooks/use-cursor-list';
import { useI18n } from '@/lib/i18n/i18n-provider';
import { AdminTenantActions } from './admin-tenant-actions';
import { type AdminTenantAction, AdminTenantRow } from './admin-tenant-row';

type StatusFilter = '' | 'active' | 'suspended';

export function AdminTenantsView() {
  const { t } = useI18n();
  const router = useRouter();
  const pathname = usePathname();
  const search = useSearchParams();
  const q = search.get('q') ?? '';
  const statusParam = search.get('status');
  const status: StatusFilter = statusParam === 'active' || statusParam === 'suspended' ? statusParam : '';
  const [action, setAction] = useState<AdminTenantAction>();
  const list = useCursorList(
    (cursor, signal) =>
      api(adminRoutes.listTenants, { query: { cursor, q: q || undefined, status: status || undefined } }, { signal }),
    [q, status],
  );

  function onSearch(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const next = new URLSearchParams();
    const query = String(form.get('q') ?? '').trim();
    const state = String(form.get('status') ?? '');
    if (query) next.set('q', query);
    if (state) next.set('status', state);
    const text = next.toString();
    router.replace(text ? `${pathname}?${text}` : pathname);
  }

  function onDone(updated: AdminTenant) {
    list.mutate((items) => items.map((item) => (item.id === updated.id ? updated : item)));
    setAction(undefined);
  }

  let body: ReactNode;
  if (list.loading) body = <Loading />;
  else if (list.error && list.items.length === 0) body = <ErrorState error={list.error} onRetry={list.reload} />;
  else if (list.items.length === 0) body = <EmptyState title={q || status ? t('admin.emptyFiltered') : t('admin.empty')} />;
  else
    body = (
      <>
        <div className="table-wrap">
          <table className="table table-stack" data-testid="admin-tenants-table">
            <thead>
              <tr>
                <th scope="col">{t('admin.col.tenant')}</th>
                <th scope="col">{t('admin.col.status')}</th>
                <th scope="col">{t('admin.col.plan')}</th>
                <th scope="col" className="num">
                  {t('admin.col.members')}
                </th>
                <th scope="col" className="hide-sm">
                  {t('admin.col.usage')}
                </th>
                <th scope="col" className="cell-actions">
                  <span className="visually-hidden">{t('common.actions')}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {list.items.map((tenant) => (
                <AdminTenantRow key={tenant.id} tenant={tenant} onAction={setAction} />
              ))}
            </tbody>
          </table>
        </div>
        {list.error && <ErrorState error={list.error} />}
        <LoadMore hasMore={list.hasMore} loading={list.loadingMore} onLoadMore={list.loadMore} />
      </>
    );

  return (
    <>
      <PageHeader title={t('admin.pageTitle')} description={t('admin.pageDescription')} />
      <section className="card">
        <search aria-label={t('admin.searchForm')}>
          <form className="form-row" onSubmit={onSearch} key={`${q}|${status}`}>
            <Field label={t('admin.search')} errors={list.error?.fieldMessages('query.q')}>
              {(control) => (
                <input
                  {...control}
                  className="input"
                  name="q"
                  type="search"
                  defaultValue={q}
                  maxLength={100}
                  placeholder={t('admin.searchPlaceholder')}
                />
              )}
            </Field>
            <Field label={t('admin.statusFilter')}>
              {(control) => (
                <select {...control} className="select" name="status" defaultValue={status}>
                  <option value="">{t('admin.status.all')}</option>
                  <option value="active">{t('tenantStatus.active')}</option>
                  <option value="suspended">{t('tenantStatus.suspended')}</option>
                </select>
              )}
            </Field>
            <div className="form-row-action">
              <button type="submit" className="button button-secondary">
                {t('common.search')}
              </button>
            </div>
          </form>
        </search>
        {body}
      </section>
      <AdminTenantActions action={action} onClose={() => setAction(undefined)} onDone={onDone} />
    </>
  );
}
