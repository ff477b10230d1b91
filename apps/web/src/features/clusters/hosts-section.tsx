'use client';

import { type Host, hostRoutes, type TenantCluster } from '@wharf/contracts';
import { useState } from 'react';
import { StaleNotice } from '@/features/apps/stale-notice';
import { useTenant } from '@/features/tenant/tenant-provider';
import { api } from '@/lib/api/client';
import { useCursorList } from '@/lib/hooks/use-cursor-list';
import { mergeFirstPage, usePoll } from '@/lib/hooks/use-poll';
import { useI18n } from '@/lib/i18n/i18n-provider';
import { AddHostDialog } from './add-host-dialog';
import { ByoHostButton } from './byo-host';
import { anyMoving, HOSTS_POLL_MS } from './host-states';
import { HostsTable } from './hosts-table';
import { SshHostButton } from './ssh-host-dialog';

/**
 * The cluster's hosts, refreshed while any is on its way in or out; "Add host", the bring-your-own command and a
 * server a broker drives over SSH.
 */
export function HostsSection({ cluster }: { cluster: TenantCluster }) {
  const { t } = useI18n();
  const { tenant, denial } = useTenant();
  const blocked = denial('hosts.write');
  const [adding, setAdding] = useState(false);
  const params = { tenant: tenant.slug, clusterId: cluster.id };
  const load = (cursor: string | undefined, signal: AbortSignal) =>
    api(hostRoutes.list, { params, query: { cursor } }, { signal });
  const list = useCursorList(load, [tenant.slug, cluster.id]);
  const replace = (host: Host) => list.mutate((items) => [host, ...items.filter((item) => item.id !== host.id)]);
  const stale = usePoll(
    async (signal) => {
      const page = await load(undefined, signal);
      list.mutate((items) => mergeFirstPage(items, page.items, (h) => h.id));
    },
    HOSTS_POLL_MS,
    !list.loading && anyMoving(list.items),
  );

  return (
    <section className="card" aria-labelledby="hosts-title" data-testid="hosts-section">
      <div className="card-header card-header-row">
        <div>
          <h2 id="hosts-title">{t('hosts.title')}</h2>
          <p className="muted">{t('hosts.subtitle')}</p>
        </div>
        <div className="row-actions">
          <ByoHostButton cluster={cluster} onAdded={replace} />
          <SshHostButton cluster={cluster} onAdded={replace} />
          <button
            type="button"
            className="button button-primary"
            disabled={!!blocked}
            title={blocked ?? undefined}
            onClick={() => setAdding(true)}
          >
            {t('hosts.add.open')}
          </button>
        </div>
      </div>
      <StaleNotice error={stale} />
      <HostsTable list={list} clusterId={cluster.id} onChanged={replace} />
      {adding && (
        <AddHostDialog
          clusterId={cluster.id}
          onClose={() => setAdding(false)}
          onAdded={(host) => {
            setAdding(false);
            replace(host);
          }}
        />
      )}
    </section>
  );
}
