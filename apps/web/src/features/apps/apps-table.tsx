'use client';

import type { App } from '@wharf/contracts';
import Link from 'next/link';
import { type Column, DataTable } from '@/components/data-table';
import { useTenant } from '@/features/tenant/tenant-provider';
import type { CursorList } from '@/lib/hooks/use-cursor-list';
import { useI18n } from '@/lib/i18n/i18n-provider';
import { appPath } from './app-paths';
import { AppStatusBadge, replicaFigures } from './app-status';
import { AppUrl, ClusterName } from './app-summary';
import { CreateAppLink } from './create-app-link';

export function AppsTable({ list }: { list: CursorList<App> }) {
  const { t } = useI18n();
  const { tenant } = useTenant();

  const columns: Column<App>[] = [
    {
      id: 'name',
      header: 'apps.col.name',
      cellClassName: 'nowrap',
      cell: (app) => (
        <>
          <Link href={appPath(tenant.slug, app)} className="cell-primary">
            {app.displayName}
          </Link>
          {app.displayName !== app.name && <code className="cell-secondary">{app.name}</code>}
        </>
      ),
    },
    { id: 'status', header: 'apps.col.status', cell: (app) => <AppStatusBadge status={app.status} /> },
    {
      id: 'replicas',
      header: 'apps.col.replicas',
      className: 'num',
      cell: (app) => (
        <span className="nowrap" data-testid="app-replicas" title={t('apps.replicasTitle')}>
          {replicaFigures(app)}
        </span>
      ),
    },
    {
      id: 'image',
      header: 'apps.col.image',
      className: 'hide-sm',
      cell: (app) =>
        app.kind === 'compose' || !app.image ? (
          <span className="cell-secondary">{t(app.kind === 'compose' ? 'app.kind.compose' : 'app.kind.source')}</span>
        ) : (
          <code className="cell-secondary">{app.image}</code>
        ),
    },
    { id: 'url', header: 'apps.col.url', cell: (app) => <AppUrl app={app} /> },
    {
      id: 'cluster',
      header: 'apps.col.cluster',
      cell: (app) => <ClusterName cluster={app.cluster} />,
    },
  ];

  return (
    <DataTable
      list={list}
      columns={columns}
      rowKey={(app) => app.id}
      testId="apps-table"
      rowTestId="app-row"
      rowData={(app) => ({ 'data-name': app.name, 'data-status': app.status })}
      emptyTitle={t('apps.empty')}
      emptyAction={
        <>
          <p>{t('apps.emptyBody')}</p>
          <CreateAppLink />
        </>
      }
    />
  );
}
