'use client';

import type { App } from '@wharf/contracts';
import Link from 'next/link';
import { Badge } from '@/components/badge';
import { EnvironmentStatusBadge, environmentPath } from '@/features/stacks/environment-status';
import { useI18n } from '@/lib/i18n/i18n-provider';
import { AppStatusBadge, replicaFigures } from './app-status';

/** The app's public URL, opening in a new tab; "No URL" without an HTTP port. */
export function AppUrl({ app }: { app: Pick<App, 'url'> }) {
  const { t } = useI18n();
  if (!app.url) return <span className="muted">{t('apps.noUrl')}</span>;
  return (
    <a href={app.url} target="_blank" rel="noopener noreferrer" className="link-break" data-testid="app-url">
      {app.url.replace(/^https?:\/\//, '')}
      <span className="visually-hidden"> {t('common.newTab')}</span>
    </a>
  );
}

/** The cluster's name, with a warning while it does not answer. */
export function ClusterName({ cluster }: { cluster: App['cluster'] }) {
  const { t } = useI18n();
  return (
    <span className="cluster-name">
      <span>{cluster.name}</span>
      {cluster.status === 'unreachable' && (
        <span title={t('apps.clusterUnreachableHint')} data-testid="cluster-unreachable">
          <Badge tone="warning">{t('apps.clusterUnreachable')}</Badge>
        </span>
      )}
    </span>
  );
}

/** Each environment of the app with its status, linking to its page. */
function AppEnvironments({ app, basePath }: { app: App; basePath: string }) {
  return (
    <ul className="environment-chips" data-testid="app-environments">
      {app.environments.map((environment) => (
        <li key={environment.name} data-name={environment.name}>
          <Link href={environmentPath(basePath, environment.name)}>{environment.name}</Link>
          <EnvironmentStatusBadge status={environment.status} />
        </li>
      ))}
    </ul>
  );
}

/** The app's facts at a glance: status, replicas, URL, cluster, environments, image and resources. */
export function AppSummary({ app, basePath }: { app: App; basePath: string }) {
  const { t, formatNumber } = useI18n();
  return (
    <dl className="details" data-testid="app-summary">
      <div>
        <dt>{t('apps.col.status')}</dt>
        <dd>
          <AppStatusBadge status={app.status} />
        </dd>
      </div>
      <div>
        <dt>{t('apps.col.replicas')}</dt>
        <dd data-testid="app-replicas" title={t('apps.replicasTitle')}>
          {replicaFigures(app)}
          {app.actual.message && <span className="cell-secondary">{app.actual.message}</span>}
        </dd>
      </div>
      <div className="details-wide">
        <dt>{t('apps.col.url')}</dt>
        <dd>
          <AppUrl app={app} />
        </dd>
      </div>
      <div>
        <dt>{t('apps.col.cluster')}</dt>
        <dd>
          <ClusterName cluster={app.cluster} />
        </dd>
      </div>
      <div className="details-wide">
        <dt>{t('app.environments')}</dt>
        <dd>
          <AppEnvironments app={app} basePath={basePath} />
        </dd>
      </div>
      {app.kind !== 'compose' ? (
        <>
          {app.kind === 'source' && (
            <div>
              <dt>{t('app.kind')}</dt>
              <dd data-testid="app-kind">{t('app.kind.source')}</dd>
            </div>
          )}
          {app.image && (
            <div className="details-wide">
              <dt>{t('apps.col.image')}</dt>
              <dd>
                <code className="break-anywhere" data-testid="app-image">
                  {app.image}
                </code>
              </dd>
            </div>
          )}
          <div>
            <dt>{t('apps.resources')}</dt>
            <dd>{t('apps.resourcesValue', { cpu: formatNumber(app.cpuMillis), memory: formatNumber(app.memoryMiB) })}</dd>
          </div>
        </>
      ) : (
        <div>
          <dt>{t('app.kind')}</dt>
          <dd data-testid="app-kind">{t('app.kind.compose')}</dd>
        </div>
      )}
    </dl>
  );
}
