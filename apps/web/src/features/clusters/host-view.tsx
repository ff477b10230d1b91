'use client';

import { type Host, hostRoutes, type InstallCommand } from '@wharf/contracts';
import Link from 'next/link';
import { useState } from 'react';
import { ConfirmDialog, useConfirmAction } from '@/components/confirm-dialog';
import { PageHeader } from '@/components/page-header';
import { ProblemAlert } from '@/components/problem-alert';
import { EmptyState, ErrorState, Loading } from '@/components/states';
import { StaleNotice } from '@/features/apps/stale-notice';
import { useTenant } from '@/features/tenant/tenant-provider';
import { api } from '@/lib/api/client';
import { useAction } from '@/lib/hooks/use-action';
import { usePoll } from '@/lib/hooks/use-poll';
import { useResource } from '@/lib/hooks/use-resource';
import { useI18n } from '@/lib/i18n/i18n-provider';
import { InstallCommandDialog } from './byo-host';
import { clusterPath } from './cluster-paths';
import { HostFacts, HostHistory } from './host-facts';
import { canRemove } from './host-states';
import { awaitsAgent } from './host-timeline';

/** How often an open host refreshes (its heartbeat and state). */
const HOST_POLL_MS = 5_000;

/** A brought server still waiting for its agent: a fresh install command (the previous one stops working). */
function NewInstallCommand({ host }: { host: Host }) {
  const { t } = useI18n();
  const { tenant, denial } = useTenant();
  const blocked = denial('hosts.write');
  const [install, setInstall] = useState<InstallCommand>();
  const issue = useAction(() =>
    api(hostRoutes.installCommand, { params: { tenant: tenant.slug, clusterId: host.clusterId, hostId: host.id } }),
  );
  return (
    <>
      <button
        type="button"
        className="button button-secondary"
        disabled={!!blocked || issue.pending}
        aria-busy={issue.pending}
        title={blocked ?? t('host.installCommandHint')}
        data-testid="host-install-command"
        onClick={async () => {
          const result = await issue.run();
          if (result.ok) setInstall(result.value);
        }}
      >
        {t('host.installCommand')}
      </button>
      {install && <InstallCommandDialog install={install} onClose={() => setInstall(undefined)} />}
      {issue.error && <ProblemAlert error={issue.error} />}
    </>
  );
}

function RemoveHostButton({ host, onRemoved }: { host: Host; onRemoved: (host: Host) => void }) {
  const { t } = useI18n();
  const { tenant, denial } = useTenant();
  const blocked = denial('hosts.write');
  const remove = useConfirmAction(
    (h: Host) => api(hostRoutes.remove, { params: { tenant: tenant.slug, clusterId: h.clusterId, hostId: h.id } }),
    (_, answer) => onRemoved(answer),
  );
  return (
    <>
      <button
        type="button"
        className="button button-danger-ghost"
        disabled={!!blocked}
        title={blocked ?? undefined}
        onClick={() => remove.ask(host)}
      >
        {t('hosts.remove')}
      </button>
      <ConfirmDialog
        {...remove.dialog}
        testId="remove-host-dialog"
        title={t('hosts.remove.title', { name: host.name })}
        message={t('hosts.remove.message', {
          name: host.name,
          provider: t(`hostProvider.${host.provider}`),
          type: host.instanceType ?? host.region,
        })}
        confirmLabel={t('hosts.remove.confirm')}
      />
    </>
  );
}

/** One host of a dedicated cluster: its facts, its heartbeat counting live, its history and what can be done to it. */
export function HostView({ clusterId, hostId }: { clusterId: string; hostId: string }) {
  const { t } = useI18n();
  const { tenant } = useTenant();
  const params = { tenant: tenant.slug, clusterId, hostId };
  const host = useResource((signal) => api(hostRoutes.get, { params }, { signal }), [tenant.slug, clusterId, hostId]);
  const stale = usePoll(
    async (signal) => {
      const next = await api(hostRoutes.get, { params }, { signal });
      host.mutate(() => next);
    },
    HOST_POLL_MS,
    !!host.data && host.data.state !== 'terminated',
  );
  const back = (
    <p>
      <Link href={clusterPath(tenant.slug, clusterId)}>← {t('host.back')}</Link>
    </p>
  );

  if (host.loading && !host.data) return <Loading />;
  if (!host.data) {
    if (host.error?.status === 404)
      return (
        <>
          {back}
          <EmptyState title={t('host.notFound')} />
        </>
      );
    return host.error ? <ErrorState error={host.error} onRetry={host.reload} /> : null;
  }
  const data = host.data;
  const replace = (next: Host) => host.mutate(() => next);
  return (
    <>
      {back}
      <PageHeader
        title={data.name}
        description={t('host.subtitle', { provider: t(`hostProvider.${data.provider}`) })}
        actions={
          <div className="row-actions">
            {awaitsAgent(data) && <NewInstallCommand host={data} />}
            {canRemove(data.state) && <RemoveHostButton host={data} onRemoved={replace} />}
          </div>
        }
      />
      <section className="card" aria-labelledby="host-facts-title" data-testid="host-view" data-state={data.state}>
        <h2 id="host-facts-title" className="visually-hidden">
          {t('host.factsTitle')}
        </h2>
        <StaleNotice error={stale} />
        <HostFacts host={data} />
      </section>
      <section className="card" aria-labelledby="host-history-title">
        <div className="card-header">
          <h2 id="host-history-title">{t('host.historyTitle')}</h2>
        </div>
        <HostHistory host={data} />
      </section>
    </>
  );
}
