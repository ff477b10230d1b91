'use client';

import { auditRoutes } from '@wharf/contracts';
import { type FormEvent, useState } from 'react';
import { Field } from '@/components/field';
import { PageHeader } from '@/components/page-header';
import { EmptyState } from '@/components/states';
import { useTenant } from '@/features/tenant/tenant-provider';
import { api } from '@/lib/api/client';
import { useCursorList } from '@/lib/hooks/use-cursor-list';
import { useI18n } from '@/lib/i18n/i18n-provider';
import { AuditTable } from './audit-table';

const ACTION_PATTERN = '[a-z.\\-]+';

function AuditLog() {
  const { t } = useI18n();
  const { tenant } = useTenant();
  const [action, setAction] = useState('');
  const list = useCursorList(
    (cursor, signal) =>
      api(auditRoutes.list, { params: { tenant: tenant.slug }, query: { cursor, action: action || undefined } }, { signal }),
    [tenant.slug, action],
  );

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setAction(String(new FormData(event.currentTarget).get('action') ?? '').trim());
  }

  return (
    <section className="card" aria-labelledby="audit-title">
      <div className="card-header">
        <h2 id="audit-title">{t('audit.title')}</h2>
      </div>
      <search aria-label={t('audit.filterForm')}>
        <form className="form-row" onSubmit={onSubmit}>
          <Field label={t('audit.filter')} hint={t('audit.filterHint')} errors={list.error?.fieldMessages('query.action')}>
            {(control) => (
              <input
                {...control}
                className="input input-mono"
                name="action"
                pattern={ACTION_PATTERN}
                maxLength={100}
                placeholder="members.update"
              />
            )}
          </Field>
          <div className="form-row-action">
            <button type="submit" className="button button-secondary">
              {t('common.filter')}
            </button>
          </div>
        </form>
      </search>
      <AuditTable list={list} filtered={action !== ''} />
    </section>
  );
}

export function AuditView() {
  const { t } = useI18n();
  const { tenant, denial } = useTenant();
  const blocked = denial('audit.read', 'read');
  return (
    <>
      <PageHeader title={t('audit.pageTitle')} description={t('audit.pageDescription', { team: tenant.name })} />
      {blocked ? (
        <EmptyState title={t('audit.denied')}>
          <p className="muted">{blocked}</p>
        </EmptyState>
      ) : (
        <AuditLog />
      )}
    </>
  );
}
