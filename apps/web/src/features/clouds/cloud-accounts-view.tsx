'use client';

import { cloudAccountRoutes } from '@wharf/contracts';
import { PageHeader } from '@/components/page-header';
import { useTenant } from '@/features/tenant/tenant-provider';
import { api } from '@/lib/api/client';
import { useCursorList } from '@/lib/hooks/use-cursor-list';
import { useI18n } from '@/lib/i18n/i18n-provider';
import { CloudAccountsTable } from './cloud-accounts-table';
import { ConnectCloudLink } from './connect-cloud-link';

/** The team's AWS and Aliyun accounts: see them, connect one (the wizard), delete one. */
export function CloudAccountsView() {
  const { t } = useI18n();
  const { tenant, denial } = useTenant();
  const blocked = denial('clouds.write');
  const list = useCursorList(
    (cursor, signal) => api(cloudAccountRoutes.list, { params: { tenant: tenant.slug }, query: { cursor } }, { signal }),
    [tenant.slug],
  );
  return (
    <>
      <PageHeader
        title={t('clouds.pageTitle')}
        description={t('clouds.pageDescription', { team: tenant.name })}
        actions={<ConnectCloudLink />}
      />
      {blocked && (
        <p className="muted" data-testid="clouds-blocked">
          {blocked}
        </p>
      )}
      <section className="card" aria-labelledby="cloud-accounts-title">
        <div className="card-header">
          <h2 id="cloud-accounts-title">{t('clouds.listTitle')}</h2>
        </div>
        <CloudAccountsTable list={list} />
      </section>
    </>
  );
}
