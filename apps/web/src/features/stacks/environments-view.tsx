'use client';

import { type Deployment, environmentRoutes } from '@wharf/contracts';
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { ConfirmDialog, useConfirmAction } from '@/components/confirm-dialog';
import { actionsColumn, type Column, DangerRowButton, DataTable } from '@/components/data-table';
import { useApp } from '@/features/apps/app-provider';
import { POLL_MS } from '@/features/apps/app-status';
import { StaleNotice } from '@/features/apps/stale-notice';
import { useTenant } from '@/features/tenant/tenant-provider';
import { api } from '@/lib/api/client';
import { useCursorList } from '@/lib/hooks/use-cursor-list';
import { mergeFirstPage, usePoll } from '@/lib/hooks/use-poll';
import { useI18n } from '@/lib/i18n/i18n-provider';
import type { AppEnvironment } from './bindings';
import { CreateEnvironmentDialog } from './create-environment-dialog';
import { DiffDialog } from './diff-dialog';
import {
  EnvironmentStatusBadge,
  EnvironmentUrls,
  EnvironmentUsage,
  environmentPath,
  NeedsSummary,
  PRODUCTION,
} from './environment-status';

/** The app's environments (production and those added), refreshed while open; each can be reviewed and deployed. */
export function EnvironmentsView() {
  const { t } = useI18n();
  const router = useRouter();
  const { denial } = useTenant();
  const { params, basePath } = useApp();
  const blocked = denial('apps.write');
  const [creating, setCreating] = useState(false);
  const [reviewing, setReviewing] = useState<string>();
  // one page: the route lists every environment of the app
  const load = (_cursor: string | undefined, signal: AbortSignal) => api(environmentRoutes.list, { params }, { signal });
  const list = useCursorList(load, [params]);
  const stale = usePoll(
    async (signal) => {
      const page = await load(undefined, signal);
      list.mutate((items) => mergeFirstPage(items, page.items, (e) => e.name));
    },
    POLL_MS,
    !list.loading && !list.error,
  );
  const remove = useConfirmAction(
    (environment: AppEnvironment) => api(environmentRoutes.remove, { params: { ...params, environment: environment.name } }),
    ({ name }) => list.mutate((items) => items.filter((item) => item.name !== name)),
  );

  function onDeployed(deployment: Deployment) {
    setReviewing(undefined);
    router.push(`${basePath}/deployments/${deployment.id}`);
  }

  const columns: Column<AppEnvironment>[] = [
    {
      id: 'name',
      header: 'environments.col.name',
      cell: (e) => (
        <Link href={environmentPath(basePath, e.name)} className="cell-primary" data-testid="environment-link">
          {e.name}
        </Link>
      ),
    },
    { id: 'status', header: 'environments.col.status', cell: (e) => <EnvironmentStatusBadge status={e.status} /> },
    { id: 'urls', header: 'environments.col.urls', className: 'cell-grow', cell: (e) => <EnvironmentUrls urls={e.urls} /> },
    { id: 'usage', header: 'environments.col.usage', cell: (e) => <EnvironmentUsage usage={e.usage} /> },
    { id: 'needs', header: 'environments.col.bindings', className: 'hide-sm', cell: (e) => <NeedsSummary needs={e.needs} /> },
    actionsColumn((e) => (
      <span className="row-actions">
        <button
          type="button"
          className="button button-secondary button-small"
          disabled={!!blocked}
          title={blocked ?? undefined}
          onClick={() => setReviewing(e.name)}
        >
          {t('environments.review')}
        </button>
        {e.name !== PRODUCTION && (
          <DangerRowButton blocked={blocked} onClick={() => remove.ask(e)}>
            {t('environments.delete')}
          </DangerRowButton>
        )}
      </span>
    )),
  ];

  return (
    <section className="card" aria-labelledby="environments-title">
      <div className="card-header card-header-row">
        <div>
          <h2 id="environments-title">{t('environments.title')}</h2>
          <p className="muted">{t('environments.subtitle')}</p>
        </div>
        <button
          type="button"
          className="button button-primary"
          disabled={!!blocked}
          title={blocked ?? undefined}
          onClick={() => setCreating(true)}
        >
          {t('environments.add')}
        </button>
      </div>
      <StaleNotice error={stale} />
      <DataTable
        list={list}
        columns={columns}
        rowKey={(e) => e.name}
        testId="environments-table"
        rowTestId="environment-row"
        rowData={(e) => ({ 'data-name': e.name, 'data-status': e.status })}
        emptyTitle={t('environments.empty')}
      >
        <ConfirmDialog
          {...remove.dialog}
          title={t('environments.delete.title', { name: remove.target?.name ?? '' })}
          message={t('environments.delete.message', { name: remove.target?.name ?? '' })}
          confirmLabel={t('environments.delete.confirm')}
        />
      </DataTable>
      <CreateEnvironmentDialog
        open={creating}
        onClose={() => setCreating(false)}
        onCreated={(created) => {
          setCreating(false);
          list.mutate((items) => [...items.filter((item) => item.name !== created.name), created]);
        }}
      />
      <DiffDialog environment={reviewing} onClose={() => setReviewing(undefined)} onDeployed={onDeployed} />
    </section>
  );
}
