'use client';

import { type AdminTenant, adminRoutes } from '@wharf/contracts';
import { usePathname, useRouter, useSearchParams } from 'next/navigation';
import { type FormEvent, useState } from 'react';
import { DataTable } from '@/components/data-table';
import { Field } from '@/components/field';
import { PageHeader } from '@/components/page-header';
import { api } from '@/lib/api/client';
import { useCursorList } from '@/lib/hooks/use-cursor-list';
import { useI18n } from '@/lib/i18n/i18n-provider';
import { AdminTenantActions } from './admin-tenant-actions';
import { type AdminTenantAction, useAdminTenantColumns } from './admin-tenant-columns';

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
  const columns = useAdminTenantColumns(setAction);

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
        <DataTable
          list={list}
          columns={columns}
          rowKey={(tenant) => tenant.id}
          testId="admin-tenants-table"
          rowTestId="admin-tenant-row"
          rowData={(tenant) => ({ 'data-slug': tenant.slug })}
          emptyTitle={q || status ? t('admin.emptyFiltered') : t('admin.empty')}
        />
      </section>
      <AdminTenantActions action={action} onClose={() => setAction(undefined)} onDone={onDone} />
    </>
  );
}
