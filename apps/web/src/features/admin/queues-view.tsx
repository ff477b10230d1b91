'use client';

import { type AdminQueue, type AdminQueues, adminRoutes } from '@wharf/contracts';
import { Badge } from '@/components/badge';
import { PageHeader } from '@/components/page-header';
import { TableScroll } from '@/components/table-scroll';
import { StaleNotice } from '@/features/apps/stale-notice';
import { api } from '@/lib/api/client';
import { useI18n } from '@/lib/i18n/i18n-provider';
import { CountBar } from './count-bar';
import { QueueTenantsTable } from './queue-tenants-table';
import { SnapshotState } from './snapshot-state';
import { usePolledSnapshot } from './use-polled-snapshot';

type BarState = 'waiting' | 'active' | 'failed';
const TONES = { waiting: 'ok', active: 'ok', failed: 'danger' } as const;

/** A count with a bar scaled to the largest of its column. */
function CountCell({ queue, state, max }: { queue: AdminQueue; state: BarState; max: number }) {
  const { t, formatNumber } = useI18n();
  const value = queue.counts[state];
  return (
    <td className="num" data-testid={`queue-${state}`}>
      {formatNumber(value)}
      <CountBar
        value={value}
        max={max}
        tone={TONES[state]}
        label={t('adminOps.queues.barLabel', {
          state: t(`adminOps.queues.col.${state}`),
          count: formatNumber(value),
          max: formatNumber(max),
        })}
      />
    </td>
  );
}

function QueueRow({ queue, maxima, scanLimit }: { queue: AdminQueue; maxima: Record<BarState, number>; scanLimit: number }) {
  const { t, formatNumber, formatDuration } = useI18n();
  return (
    <tr data-testid="queue-row" data-name={queue.name}>
      <td>
        <code className="cell-primary">{queue.name}</code>
        {queue.paused && <Badge tone="warning">{t('adminOps.queues.paused')}</Badge>}
        {queue.truncated && (
          <span className="cell-secondary" data-testid="queue-truncated">
            {t('adminOps.queues.truncated', { limit: formatNumber(scanLimit) })}
          </span>
        )}
      </td>
      <CountCell queue={queue} state="waiting" max={maxima.waiting} />
      <CountCell queue={queue} state="active" max={maxima.active} />
      <td className="num">{formatNumber(queue.counts.delayed)}</td>
      <CountCell queue={queue} state="failed" max={maxima.failed} />
      <td className="num hide-sm" data-testid="queue-completed">
        {formatNumber(queue.counts.completed)}
      </td>
      <td className="num nowrap" data-testid="queue-oldest">
        {queue.oldestWaitingAgeMs === null
          ? t('adminOps.none')
          : t('adminOps.ago', { duration: formatDuration(queue.oldestWaitingAgeMs / 1000) })}
      </td>
    </tr>
  );
}

function QueuesTable({ data }: { data: AdminQueues }) {
  const { t } = useI18n();
  const maxOf = (state: BarState) => Math.max(0, ...data.items.map((q) => q.counts[state]));
  const maxima = { waiting: maxOf('waiting'), active: maxOf('active'), failed: maxOf('failed') };
  const headers = [
    ['queue', ''],
    ['waiting', 'num'],
    ['active', 'num'],
    ['delayed', 'num'],
    ['failed', 'num'],
    ['completed', 'num hide-sm'],
    ['oldest', 'num'],
  ] as const;
  return (
    <TableScroll label={t('adminOps.queues.title')}>
      <table className="table" data-testid="queues-table">
        <thead>
          <tr>
            {headers.map(([key, className]) => (
              <th key={key} scope="col" className={className || undefined}>
                {t(`adminOps.queues.col.${key}`)}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {data.items.map((queue) => (
            <QueueRow key={queue.name} queue={queue} maxima={maxima} scanLimit={data.scanLimit} />
          ))}
        </tbody>
      </table>
    </TableScroll>
  );
}

/** Every job queue of the platform with its counts, and the tenants behind them; refreshed every 5 s. */
export function QueuesView() {
  const { t } = useI18n();
  const snapshot = usePolledSnapshot((signal) => api(adminRoutes.listQueues, {}, { signal }));
  return (
    <>
      <PageHeader title={t('adminOps.queues.title')} description={t('adminOps.queues.description')} />
      <section className="card" aria-labelledby="queues-title" data-testid="admin-queues">
        <div className="card-header">
          <h2 id="queues-title">{t('adminOps.queues.listTitle')}</h2>
          <p className="muted">{t('adminOps.refreshNote')}</p>
        </div>
        <StaleNotice error={snapshot.stale} />
        <SnapshotState resource={snapshot} isEmpty={(d) => d.items.length === 0} emptyTitle={t('adminOps.queues.empty')}>
          {(data) => <QueuesTable data={data} />}
        </SnapshotState>
      </section>
      {snapshot.data && (
        <section className="card" aria-labelledby="queue-tenants-title" data-testid="admin-queue-tenants">
          <div className="card-header">
            <h2 id="queue-tenants-title">{t('adminOps.queues.tenantsTitle')}</h2>
            <p className="muted">{t('adminOps.queues.tenantsDescription')}</p>
          </div>
          <QueueTenantsTable queues={snapshot.data.items} />
        </section>
      )}
    </>
  );
}
