'use client';

import { gitConnectionRoutes } from '@wharf/contracts';
import { PageHeader } from '@/components/page-header';
import { useTenant } from '@/features/tenant/tenant-provider';
import { api } from '@/lib/api/client';
import { useCursorList } from '@/lib/hooks/use-cursor-list';
import { useI18n } from '@/lib/i18n/i18n-provider';
import { AddGitConnectionForm } from './add-git-connection-form';
import { GitConnectionsTable } from './git-connections-table';

/** The team's git accounts: connect one with a token, see them, disconnect them. */
export function GitConnectionsView() {
  const { t } = useI18n();
  const { tenant } = useTenant();
  const list = useCursorList(
    // one page: the route lists every connection of the team
    (_cursor, signal) => api(gitConnectionRoutes.list, { params: { tenant: tenant.slug } }, { signal }),
    [tenant.slug],
  );
  return (
    <>
      <PageHeader
        title={t('gitConnections.pageTitle')}
        description={t('gitConnections.pageDescription', { team: tenant.name })}
      />
      <section className="card" aria-labelledby="add-git-connection-title">
        <div className="card-header">
          <h2 id="add-git-connection-title">{t('gitConnections.add.title')}</h2>
        </div>
        <AddGitConnectionForm onAdded={(connection) => list.mutate((items) => [connection, ...items])} />
      </section>
      <section className="card" aria-labelledby="git-connections-title">
        <div className="card-header">
          <h2 id="git-connections-title">{t('gitConnections.listTitle')}</h2>
        </div>
        <GitConnectionsTable list={list} />
      </section>
    </>
  );
}
