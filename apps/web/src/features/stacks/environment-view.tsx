'use client';

import { type Deployment, environmentRoutes } from '@wharf/contracts';
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useMemo, useState } from 'react';
import { ErrorState, Loading } from '@/components/states';
import { TableScroll } from '@/components/table-scroll';
import { useApp } from '@/features/apps/app-provider';
import { POLL_MS } from '@/features/apps/app-status';
import { StaleNotice } from '@/features/apps/stale-notice';
import { VariablesView } from '@/features/apps/variables-view';
import { useTenant } from '@/features/tenant/tenant-provider';
import { api } from '@/lib/api/client';
import { usePoll } from '@/lib/hooks/use-poll';
import { useResource } from '@/lib/hooks/use-resource';
import { useI18n } from '@/lib/i18n/i18n-provider';
import type { AppEnvironment } from './bindings';
import { BindingsEditor } from './bindings-editor';
import { DiffDialog } from './diff-dialog';
import { EnvironmentStatusBadge, EnvironmentUrls, EnvironmentUsage } from './environment-status';

/** One environment: its status and services, what it binds the stack's external names to, and its variables. */
export function EnvironmentView({ name }: { name: string }) {
  const { t } = useI18n();
  const { params: appParams, basePath } = useApp();
  const params = useMemo(() => ({ ...appParams, environment: name }), [appParams, name]);
  const resource = useResource((signal) => api(environmentRoutes.get, { params }, { signal }), [params]);
  const stale = usePoll(
    async (signal) => {
      const fresh = await api(environmentRoutes.get, { params }, { signal });
      resource.mutate(() => fresh);
    },
    POLL_MS,
    !!resource.data,
  );
  const environment = resource.data;

  if (resource.error && !environment) return <ErrorState error={resource.error} onRetry={resource.reload} />;
  if (!environment) return <Loading />;
  return (
    <>
      <p>
        <Link href={`${basePath}/environments`}>{t('environments.back')}</Link>
      </p>
      <EnvironmentCard environment={environment} stale={stale} />
      <section className="card" aria-labelledby="bindings-title">
        <div className="card-header">
          <h2 id="bindings-title">{t('environments.bindings.title')}</h2>
          <p className="muted">{t('environments.bindings.subtitle')}</p>
        </div>
        <BindingsEditor
          // remounted when the needs change (the stack was saved meanwhile)
          key={environment.needs.map((n) => n.name).join(',')}
          environment={environment}
          onSaved={(saved) => resource.mutate(() => saved)}
        />
      </section>
      <VariablesView environment={environment.name} />
    </>
  );
}

function EnvironmentCard({ environment, stale }: { environment: AppEnvironment; stale: ReturnType<typeof usePoll> }) {
  const { t, formatNumber } = useI18n();
  const router = useRouter();
  const { denial } = useTenant();
  const { basePath } = useApp();
  const blocked = denial('apps.write');
  const [reviewing, setReviewing] = useState(false);
  const services = Object.entries(environment.services);

  function onDeployed(deployment: Deployment) {
    setReviewing(false);
    router.push(`${basePath}/deployments/${deployment.id}`);
  }

  return (
    <section className="card" aria-labelledby="environment-title" data-testid="environment-view">
      <div className="card-header card-header-row">
        <div className="heading-with-badge">
          <h2 id="environment-title">{t('environments.one', { name: environment.name })}</h2>
          <EnvironmentStatusBadge status={environment.status} />
        </div>
        <button
          type="button"
          className="button button-primary"
          disabled={!!blocked}
          title={blocked ?? undefined}
          onClick={() => setReviewing(true)}
        >
          {t('environments.review')}
        </button>
      </div>
      <StaleNotice error={stale} />
      <dl className="details">
        <div className="details-wide">
          <dt>{t('environments.col.urls')}</dt>
          <dd>
            <EnvironmentUrls urls={environment.urls} />
          </dd>
        </div>
        <div>
          <dt>{t('environments.col.usage')}</dt>
          <dd>
            <EnvironmentUsage usage={environment.usage} />
          </dd>
        </div>
      </dl>
      {services.length > 0 && (
        <TableScroll label={t('common.scrollTable')}>
          <table className="table table-dense table-stack" data-testid="environment-services">
            <thead>
              <tr>
                <th scope="col">{t('environments.services.service')}</th>
                <th scope="col" className="num">
                  {t('environments.services.running')}
                </th>
                <th scope="col" className="num">
                  {t('environments.services.healthy')}
                </th>
                <th scope="col">{t('environments.services.message')}</th>
              </tr>
            </thead>
            <tbody>
              {services.map(([service, status]) => (
                <tr key={service} data-testid="environment-service" data-name={service}>
                  <td>
                    <code className="cell-primary">{service}</code>
                  </td>
                  <td className="num" title={t('apps.replicasTitle')}>
                    {`${formatNumber(status.running)}/${formatNumber(status.desired)}`}
                  </td>
                  <td className="num">{formatNumber(status.healthy)}</td>
                  <td className="cell-secondary" lang="en">
                    {status.message ?? ''}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      )}
      <DiffDialog
        environment={reviewing ? environment.name : undefined}
        onClose={() => setReviewing(false)}
        onDeployed={onDeployed}
      />
    </section>
  );
}
