'use client';

import { type Deployment, deploymentRoutes } from '@wharf/contracts';
import Link from 'next/link';
import { ConfirmDialog, useConfirmAction } from '@/components/confirm-dialog';
import { actionsColumn, type Column, DataTable } from '@/components/data-table';
import { useTenant } from '@/features/tenant/tenant-provider';
import { api } from '@/lib/api/client';
import type { CursorList } from '@/lib/hooks/use-cursor-list';
import { useI18n } from '@/lib/i18n/i18n-provider';
import { useApp } from './app-provider';
import { DeploymentStatusBadge, isActive } from './app-status';

export interface DeploymentsTableProps {
  list: CursorList<Deployment>;
  /** After a rollback started: the new deployment. */
  onDeployed: (deployment: Deployment) => void;
}

export function DeploymentsTable({ list, onDeployed }: DeploymentsTableProps) {
  const { t, formatDateTime } = useI18n();
  const { denial } = useTenant();
  const { app, params, basePath } = useApp();
  const blocked = denial('apps.write');
  const replace = (next: Deployment) => list.mutate((items) => items.map((item) => (item.id === next.id ? next : item)));
  /** Whether the deployment is what its environment runs now. */
  const isCurrent = (d: Deployment) => {
    const environment = app.environments.find((e) => e.name === d.environment);
    return (environment ? environment.currentDeploymentId : app.currentDeploymentId) === d.id;
  };
  const rollback = useConfirmAction(
    (target: Deployment) =>
      api(deploymentRoutes.create, { params, body: { environment: target.environment, rollbackTo: target.id } }),
    (_target, created) => onDeployed(created),
  );
  const cancel = useConfirmAction(
    (target: Deployment) => api(deploymentRoutes.cancel, { params: { ...params, deploymentId: target.id } }),
    (_target, updated) => replace(updated),
  );

  const columns: Column<Deployment>[] = [
    {
      id: 'revision',
      header: 'deployments.col.revision',
      cell: (d) => (
        <Link href={`${basePath}/deployments/${d.id}`} className="cell-primary" data-testid="deployment-link">
          {t('deployments.revision', { revision: d.revision })}
          {isCurrent(d) && <span className="muted"> {t('deployments.current')}</span>}
        </Link>
      ),
    },
    { id: 'status', header: 'deployments.col.status', cell: (d) => <DeploymentStatusBadge status={d.status} /> },
    {
      id: 'environment',
      header: 'deployments.col.environment',
      cell: (d) => (
        <code className="cell-secondary" data-testid="deployment-environment">
          {d.environment}
        </code>
      ),
    },
    {
      id: 'image',
      header: app.kind === 'compose' ? 'deployments.col.services' : 'deployments.col.image',
      className: 'hide-sm',
      cell: (d) => <code className="cell-secondary">{app.kind === 'compose' ? d.services.join(', ') : d.image}</code>,
    },
    { id: 'created', header: 'deployments.col.created', cellClassName: 'nowrap', cell: (d) => formatDateTime(d.createdAt) },
    {
      id: 'reason',
      header: 'deployments.col.reason',
      cell: (d) => (
        <span className="cell-secondary">
          {d.rollbackOf && t('deployments.rollbackNote')} {d.reason ?? ''}
        </span>
      ),
    },
    actionsColumn((d) => (
      <span className="row-actions">
        {isActive(d) && (
          <button
            type="button"
            className="button button-danger-ghost button-small"
            disabled={!!blocked || d.cancelRequested}
            title={blocked ?? undefined}
            onClick={() => cancel.ask(d)}
          >
            {d.cancelRequested ? t('deployments.cancelling') : t('deployments.cancel')}
          </button>
        )}
        {d.status === 'live' && !isCurrent(d) && (
          <button
            type="button"
            className="button button-secondary button-small"
            disabled={!!blocked}
            title={blocked ?? undefined}
            onClick={() => rollback.ask(d)}
          >
            {t('deployments.rollback')}
          </button>
        )}
      </span>
    )),
  ];

  return (
    <DataTable
      list={list}
      columns={columns}
      rowKey={(d) => d.id}
      testId="deployments-table"
      rowTestId="deployment-row"
      rowData={(d) => ({ 'data-revision': String(d.revision), 'data-status': d.status, 'data-environment': d.environment })}
      emptyTitle={t('deployments.empty')}
    >
      <ConfirmDialog
        {...rollback.dialog}
        danger={false}
        title={t('deployments.rollback.title')}
        message={t('deployments.rollback.message', { revision: rollback.target?.revision ?? '' })}
        confirmLabel={t('deployments.rollback.confirm')}
      />
      <ConfirmDialog
        {...cancel.dialog}
        title={t('deployments.cancel.title')}
        message={t('deployments.cancel.message', { revision: cancel.target?.revision ?? '' })}
        confirmLabel={t('deployments.cancel.confirm')}
      />
    </DataTable>
  );
}
