'use client';

import { clusterRoutes } from '@wharf/contracts';
import { PageHeader } from '@/components/page-header';
import { useTenant } from '@/features/tenant/tenant-provider';
import { api } from '@/lib/api/client';
import { useCursorList } from '@/lib/hooks/use-cursor-list';
import { useI18n } from '@/lib/i18n/i18n-provider';
import { ClustersTable } from './clusters-table';
import { CreateClusterButton } from './create-cluster-dialog';

/** The clusters the team deploys to: the shared one and its dedicated ones, with their hosts counted. */
export function ClustersView() {
  const { t } = useI18n();
  const { tenant } = useTenant();
  const list = useCursorList(
    (_cursor, signal) => api(clusterRoutes.list, { params: { tenant: tenant.slug } }, { signal }),
    [tenant.slug],
  );
  return (
    <>
      <PageHeader
        title={t('clusters.pageTitle')}
        description={t('clusters.pageDescription', { team: tenant.name })}
        actions={<CreateClusterButton />}
      />
      <section className="card" aria-labelledby="clusters-title">
        <div className="card-header">
          <h2 id="clusters-title">{t('clusters.listTitle')}</h2>
        </div>
        <ClustersTable list={list} />
      </section>
    </>
  );
}
