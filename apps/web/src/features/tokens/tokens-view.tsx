'use client';

import { apiTokenRoutes } from '@wharf/contracts';
import { PageHeader } from '@/components/page-header';
import { useTenant } from '@/features/tenant/tenant-provider';
import { api } from '@/lib/api/client';
import { useCursorList } from '@/lib/hooks/use-cursor-list';
import { useI18n } from '@/lib/i18n/i18n-provider';
import { CreateTokenForm } from './create-token-form';
import { TokensTable } from './tokens-table';

export function TokensView() {
  const { t } = useI18n();
  const { tenant, role } = useTenant();
  const list = useCursorList(
    (cursor, signal) => api(apiTokenRoutes.list, { params: { tenant: tenant.slug }, query: { cursor } }, { signal }),
    [tenant.slug],
  );
  const seesAll = role === 'owner' || role === 'admin';
  return (
    <>
      <PageHeader title={t('tokens.pageTitle')} description={t('tokens.pageDescription', { team: tenant.name })} />
      <section className="card" aria-labelledby="create-token-title">
        <div className="card-header">
          <h2 id="create-token-title">{t('tokens.create.title')}</h2>
        </div>
        <CreateTokenForm onCreated={(token) => list.mutate((items) => [token, ...items])} />
      </section>
      <section className="card" aria-labelledby="tokens-title">
        <div className="card-header">
          <h2 id="tokens-title">{t('tokens.listTitle')}</h2>
          <p className="muted">{seesAll ? t('tokens.scopeAll') : t('tokens.scopeOwn')}</p>
        </div>
        <TokensTable list={list} />
      </section>
    </>
  );
}
