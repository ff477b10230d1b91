'use client';

import { clusterRoutes, type TenantCluster } from '@wharf/contracts';
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { ConfirmDialog, useConfirmAction } from '@/components/confirm-dialog';
import { PageHeader } from '@/components/page-header';
import { ErrorState, Loading } from '@/components/states';
import { useTenant } from '@/features/tenant/tenant-provider';
import { api } from '@/lib/api/client';
import { useResource } from '@/lib/hooks/use-resource';
import { useI18n } from '@/lib/i18n/i18n-provider';
import { BrokersSection } from './brokers-section';
import { clustersPath } from './cluster-paths';
import { ClusterPolicySection } from './cluster-policy-section';
import { ClusterStatusBadge } from './cluster-status';
import { HostsSection } from './hosts-section';

function ClusterFacts({ cluster }: { cluster: TenantCluster }) {
  const { t, formatDateTime, formatNumber } = useI18n();
  return (
    <dl className="details" data-testid="cluster-facts">
      <div>
        <dt>{t('cluster.facts.kind')}</dt>
        <dd>{t(`clusterKind.${cluster.kind}`)}</dd>
      </div>
      <div>
        <dt>{t('cluster.facts.status')}</dt>
        <dd>
          <ClusterStatusBadge status={cluster.status} />
        </dd>
      </div>
      <div className="details-wide">
        <dt>{t('cluster.facts.domain')}</dt>
        <dd>
          <code className="break-anywhere" data-testid="cluster-domain">
            {cluster.domain}
          </code>
        </dd>
      </div>
      <div>
        <dt>{t('cluster.facts.nodes')}</dt>
        <dd>{formatNumber(cluster.nodes)}</dd>
      </div>
      <div>
        <dt>{t('cluster.facts.heartbeat')}</dt>
        <dd>{cluster.lastHeartbeatAt ? formatDateTime(cluster.lastHeartbeatAt) : t('clusters.never')}</dd>
      </div>
    </dl>
  );
}

/** Deleting the cluster: the API refuses (409, shown in the dialog) while apps or hosts remain. */
function DeleteClusterButton({ cluster }: { cluster: TenantCluster }) {
  const { t } = useI18n();
  const router = useRouter();
  const { tenant, denial } = useTenant();
  const blocked = denial('clusters.write');
  const remove = useConfirmAction(
    (c: TenantCluster) => api(clusterRoutes.remove, { params: { tenant: tenant.slug, clusterId: c.id } }),
    () => router.push(clustersPath(tenant.slug)),
  );
  return (
    <>
      <button
        type="button"
        className="button button-danger-ghost"
        disabled={!!blocked}
        title={blocked ?? undefined}
        onClick={() => remove.ask(cluster)}
      >
        {t('clusters.delete')}
      </button>
      <ConfirmDialog
        {...remove.dialog}
        testId="delete-cluster-dialog"
        title={t('clusters.delete.title', { name: cluster.name })}
        message={t('clusters.delete.message', { name: cluster.name, domain: cluster.domain })}
        confirmLabel={t('clusters.delete.confirm')}
        requireText={cluster.name}
      />
    </>
  );
}

/** One cluster: its facts and, for a dedicated cluster, its hosts, brokers and compose policy. */
export function ClusterView({ clusterId }: { clusterId: string }) {
  const { t } = useI18n();
  const { tenant } = useTenant();
  const cluster = useResource(
    (signal) => api(clusterRoutes.get, { params: { tenant: tenant.slug, clusterId } }, { signal }),
    [tenant.slug, clusterId],
  );
  if (cluster.loading) return <Loading />;
  if (!cluster.data) return cluster.error ? <ErrorState error={cluster.error} onRetry={cluster.reload} /> : null;
  const data = cluster.data;
  return (
    <>
      <p>
        <Link href={clustersPath(tenant.slug)}>← {t('cluster.back')}</Link>
      </p>
      <PageHeader
        title={data.name}
        description={data.kind === 'shared' ? t('cluster.sharedHint') : undefined}
        actions={data.kind === 'dedicated' ? <DeleteClusterButton cluster={data} /> : undefined}
      />
      <section className="card" aria-label={data.name}>
        <ClusterFacts cluster={data} />
      </section>
      {data.kind === 'dedicated' && (
        <>
          <HostsSection cluster={data} />
          <BrokersSection cluster={data} />
          <ClusterPolicySection
            cluster={data}
            onSaved={(policyRelaxed) => cluster.mutate((current) => ({ ...current, policyRelaxed }))}
          />
        </>
      )}
    </>
  );
}
