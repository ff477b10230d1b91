'use client';

import { type Broker, brokerRoutes, type CreatedBroker, type TenantCluster } from '@wharf/contracts';
import { useState } from 'react';
import { Badge } from '@/components/badge';
import { ConfirmDialog, useConfirmAction } from '@/components/confirm-dialog';
import { actionsColumn, type Column, DangerRowButton, DataTable } from '@/components/data-table';
import { StaleNotice } from '@/features/apps/stale-notice';
import { useTenant } from '@/features/tenant/tenant-provider';
import { api } from '@/lib/api/client';
import { useCursorList } from '@/lib/hooks/use-cursor-list';
import { usePoll } from '@/lib/hooks/use-poll';
import { useI18n } from '@/lib/i18n/i18n-provider';
import { BrokerCommandDialog, CreateBrokerDialog } from './broker-dialogs';
import { HOSTS_POLL_MS } from './host-states';

function BrokerState({ broker }: { broker: Broker }) {
  const { t } = useI18n();
  return (
    <span data-testid="broker-state" data-registered={broker.registered}>
      <Badge tone={broker.registered ? 'success' : 'info'}>
        {t(broker.registered ? 'brokers.registered' : 'brokers.waiting')}
      </Badge>
    </span>
  );
}

/** The key line to add to each host's authorized_keys, once the broker reported it. */
function PublicKey({ broker }: { broker: Broker }) {
  const { t } = useI18n();
  if (!broker.sshPublicKey) return <span className="muted">{t('brokers.noKeyYet')}</span>;
  return (
    <code className="break-anywhere" data-testid="broker-key">
      {broker.sshPublicKey}
    </code>
  );
}

/**
 * Broker mode: the brokers of the cluster (one per datacenter, each driving that datacenter's hosts over SSH), "Add
 * broker" with its start command shown once, and removing one. Refreshed while a broker waits to register.
 */
export function BrokersSection({ cluster }: { cluster: TenantCluster }) {
  const { t, formatDateTime } = useI18n();
  const { tenant, denial } = useTenant();
  const blocked = denial('hosts.write');
  const [adding, setAdding] = useState(false);
  const [created, setCreated] = useState<CreatedBroker>();
  const params = { tenant: tenant.slug, clusterId: cluster.id };
  const load = async (signal: AbortSignal) => {
    const answer = await api(brokerRoutes.list, { params }, { signal });
    return { items: answer.items, nextCursor: null };
  };
  const list = useCursorList((_, signal) => load(signal), [tenant.slug, cluster.id]);
  const stale = usePoll(
    async (signal) => {
      const page = await load(signal);
      list.mutate(() => page.items);
    },
    HOSTS_POLL_MS,
    !list.loading && list.items.some((b) => !b.registered),
  );
  const remove = useConfirmAction(
    (broker: Broker) => api(brokerRoutes.remove, { params: { ...params, brokerId: broker.id } }),
    (broker) => list.mutate((items) => items.filter((b) => b.id !== broker.id)),
  );
  const dash = <span className="muted">—</span>;

  const columns: Column<Broker>[] = [
    {
      id: 'name',
      header: 'brokers.col.name',
      cellClassName: 'nowrap',
      cell: (b) => <span className="cell-primary">{b.name}</span>,
    },
    { id: 'state', header: 'brokers.col.state', cell: (b) => <BrokerState broker={b} /> },
    { id: 'key', header: 'brokers.col.key', cell: (b) => <PublicKey broker={b} /> },
    {
      id: 'seen',
      header: 'brokers.col.seen',
      className: 'hide-sm',
      cell: (b) => (b.lastSeenAt ? formatDateTime(b.lastSeenAt) : dash),
    },
    actionsColumn((b) => (
      <DangerRowButton blocked={blocked} onClick={() => remove.ask(b)}>
        {t('brokers.remove')}
      </DangerRowButton>
    )),
  ];

  return (
    <section className="card" aria-labelledby="brokers-title" data-testid="brokers-section">
      <div className="card-header card-header-row">
        <div>
          <h2 id="brokers-title">{t('brokers.title')}</h2>
          <p className="muted">{t('brokers.subtitle')}</p>
        </div>
        <button
          type="button"
          className="button button-secondary"
          disabled={!!blocked}
          title={blocked ?? undefined}
          onClick={() => setAdding(true)}
          data-testid="broker-add"
        >
          {t('brokers.add')}
        </button>
      </div>
      <StaleNotice error={stale} />
      <DataTable
        list={list}
        columns={columns}
        rowKey={(b) => b.id}
        testId="brokers-table"
        rowTestId="broker-row"
        rowData={(b) => ({ 'data-name': b.name })}
        emptyTitle={t('brokers.empty')}
        emptyAction={<p className="muted">{t('brokers.emptyHint')}</p>}
      >
        <ConfirmDialog
          {...remove.dialog}
          testId="remove-broker-dialog"
          title={t('brokers.remove.title', { name: remove.target?.name ?? '' })}
          message={t('brokers.remove.message', { name: remove.target?.name ?? '' })}
          confirmLabel={t('brokers.remove.confirm')}
        />
      </DataTable>
      {adding && (
        <CreateBrokerDialog
          clusterId={cluster.id}
          onClose={() => setAdding(false)}
          onCreated={(answer) => {
            setAdding(false);
            list.mutate((items) => [...items, answer.broker]);
            setCreated(answer);
          }}
        />
      )}
      {created && <BrokerCommandDialog created={created} onClose={() => setCreated(undefined)} />}
    </section>
  );
}
