'use client';

import { type Deployment, deploymentRoutes } from '@wharf/contracts';
import Link from 'next/link';
import { useMemo, useRef } from 'react';
import { ConfirmDialog, useConfirmAction } from '@/components/confirm-dialog';
import { ErrorState, Loading } from '@/components/states';
import { buildPath } from '@/features/builds/build-paths';
import { useTenant } from '@/features/tenant/tenant-provider';
import { api } from '@/lib/api/client';
import { useResource } from '@/lib/hooks/use-resource';
import { useI18n } from '@/lib/i18n/i18n-provider';
import { useApp } from './app-provider';
import { DeploymentStatusBadge, isFinal } from './app-status';
import { DeploymentEventsLog } from './deployment-events-log';
import { useDeploymentEvents } from './use-deployment-events';

function DeploymentFacts({ deployment, basePath }: { deployment: Deployment; basePath: string }) {
  const { t, formatDateTime } = useI18n();
  return (
    <dl className="details">
      <div>
        <dt>{t('deployments.col.environment')}</dt>
        <dd data-testid="deployment-environment">{deployment.environment}</dd>
      </div>
      <div className="details-wide">
        <dt>{t('deployments.col.image')}</dt>
        <dd>
          <code className="break-anywhere">{deployment.image}</code>
        </dd>
      </div>
      <div>
        <dt>{t('deployments.replicas')}</dt>
        <dd>{deployment.replicas}</dd>
      </div>
      <div>
        <dt>{t('deployments.col.created')}</dt>
        <dd>{formatDateTime(deployment.createdAt)}</dd>
      </div>
      <div>
        <dt>{t('deployments.finished')}</dt>
        <dd>{deployment.finishedAt ? formatDateTime(deployment.finishedAt) : '—'}</dd>
      </div>
      {deployment.buildId && (
        <div>
          <dt>{t('deployments.build')}</dt>
          <dd>
            <Link href={buildPath(basePath, deployment.buildId)} data-testid="deployment-build">
              {t('deployments.viewBuild')}
            </Link>
          </dd>
        </div>
      )}
      {deployment.test && (
        <div>
          <dt>{t('deployments.test')}</dt>
          <dd data-testid="deployment-test">
            {deployment.test.passed
              ? t('deployments.test.passed')
              : t('deployments.test.failed', { code: deployment.test.exitCode ?? '—' })}
          </dd>
        </div>
      )}
      {deployment.reason && (
        <div className="details-wide">
          <dt>{t('deployments.col.reason')}</dt>
          {/* the worker's words, in English */}
          <dd lang="en">{deployment.reason}</dd>
        </div>
      )}
    </dl>
  );
}

/** One deployment: its facts, and its progress streamed live until it is final. */
export function DeploymentView({ deploymentId }: { deploymentId: string }) {
  const { t } = useI18n();
  const { denial } = useTenant();
  const { params: appParams, basePath } = useApp();
  const params = useMemo(() => ({ ...appParams, deploymentId }), [appParams, deploymentId]);
  const resource = useResource((signal) => api(deploymentRoutes.get, { params }, { signal }), [params]);
  const deployment = resource.data;
  const finalRef = useRef(false);
  finalRef.current = !!deployment && isFinal(deployment.status);

  const live = useDeploymentEvents({
    params,
    expectMore: () => !finalRef.current,
    // Refresh quietly: the badge keeps the streamed status until the deployment answers.
    onChange: () =>
      void api(deploymentRoutes.get, { params }).then(
        (fresh) => resource.mutate(() => fresh),
        () => undefined,
      ),
  });
  const cancel = useConfirmAction(
    () => api(deploymentRoutes.cancel, { params }),
    (_target, updated) => resource.mutate(() => updated),
  );

  if (resource.error && !deployment) return <ErrorState error={resource.error} onRetry={resource.reload} />;
  if (!deployment) return <Loading />;
  // The stream is ahead of the last fetch until the fetch catches up with a final status.
  const status = isFinal(deployment.status) ? deployment.status : (live.status ?? deployment.status);
  const blocked = denial('apps.write');

  return (
    <section className="card" aria-labelledby="deployment-title" data-testid="deployment-view">
      <div className="card-header card-header-row">
        <div className="heading-with-badge">
          <Link href={basePath} className="muted">
            {t('deployments.back')}
          </Link>
          <h2 id="deployment-title">{t('deployments.revision', { revision: deployment.revision })}</h2>
          <DeploymentStatusBadge status={status} />
        </div>
        {!isFinal(status) && (
          <button
            type="button"
            className="button button-danger-ghost"
            disabled={!!blocked || deployment.cancelRequested}
            title={blocked ?? undefined}
            onClick={() => cancel.ask(deployment)}
          >
            {deployment.cancelRequested ? t('deployments.cancelling') : t('deployments.cancel')}
          </button>
        )}
      </div>
      <DeploymentFacts deployment={deployment} basePath={basePath} />
      <DeploymentEventsLog events={live.events} stream={live.stream} ended={live.ended || isFinal(status)} />
      <ConfirmDialog
        {...cancel.dialog}
        title={t('deployments.cancel.title')}
        message={t('deployments.cancel.message', { revision: deployment.revision })}
        confirmLabel={t('deployments.cancel.confirm')}
      />
    </section>
  );
}
