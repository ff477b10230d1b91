'use client';

import type { AdminQueue, QueueTenantCounts } from '@wharf/contracts';
import { EmptyState } from '@/components/states';
import { TableScroll } from '@/components/table-scroll';
import { useI18n } from '@/lib/i18n/i18n-provider';
import { CountBar } from './count-bar';

type Share = Pick<QueueTenantCounts, 'waiting' | 'active' | 'failed'>;
type ShareState = keyof Share;
const STATES: readonly ShareState[] = ['waiting', 'active', 'failed'];

interface ShareRow {
  key: string;
  queue: AdminQueue;
  /** Null: the platform's own jobs. */
  tenant: QueueTenantCounts['tenant'] | null;
  counts: Share;
}

function rowsOf(queues: readonly AdminQueue[]): ShareRow[] {
  return queues.flatMap((queue) => {
    const tenants = queue.byTenant.map(
      (share): ShareRow => ({ key: `${queue.name}/${share.tenant.id}`, queue, tenant: share.tenant, counts: share }),
    );
    const { waiting, active, failed } = queue.platform;
    const platform: ShareRow[] =
      waiting + active + failed > 0 ? [{ key: `${queue.name}/platform`, queue, tenant: null, counts: queue.platform }] : [];
    return [...tenants, ...platform];
  });
}

function TenantCell({ tenant }: { tenant: ShareRow['tenant'] }) {
  const { t } = useI18n();
  if (!tenant) {
    return (
      <>
        <span className="cell-primary">{t('adminOps.queues.platform')}</span>
        <span className="cell-secondary">{t('adminOps.queues.platformHint')}</span>
      </>
    );
  }
  return (
    <>
      <span className="cell-primary">{tenant.name ?? t('adminOps.queues.goneTenant')}</span>
      <code className="cell-secondary">{tenant.slug ?? tenant.id}</code>
    </>
  );
}

function ShareCell({ row, state }: { row: ShareRow; state: ShareState }) {
  const { t, formatNumber } = useI18n();
  const value = row.counts[state];
  const total = row.queue.counts[state];
  return (
    <td className="num" data-testid={`share-${state}`}>
      {formatNumber(value)}
      <CountBar
        value={value}
        max={total}
        tone={state === 'failed' ? 'danger' : 'ok'}
        label={t('adminOps.queues.barLabel', {
          state: t(`adminOps.queues.col.${state}`),
          count: formatNumber(value),
          max: formatNumber(total),
        })}
      />
    </td>
  );
}

/** Who the waiting, running and failed jobs of each queue belong to, with each one's share of the queue. */
export function QueueTenantsTable({ queues }: { queues: readonly AdminQueue[] }) {
  const { t } = useI18n();
  const rows = rowsOf(queues);
  if (rows.length === 0) return <EmptyState title={t('adminOps.queues.tenantsEmpty')} />;
  return (
    <TableScroll label={t('adminOps.queues.tenantsTitle')}>
      <table className="table" data-testid="queue-tenants-table">
        <thead>
          <tr>
            <th scope="col">{t('adminOps.queues.col.tenant')}</th>
            <th scope="col">{t('adminOps.queues.col.queue')}</th>
            {STATES.map((state) => (
              <th key={state} scope="col" className="num">
                {t(`adminOps.queues.col.${state}`)}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr
              key={row.key}
              data-testid="queue-tenant-row"
              data-queue={row.queue.name}
              data-tenant={row.tenant?.slug ?? row.tenant?.id ?? 'platform'}
            >
              <td>
                <TenantCell tenant={row.tenant} />
              </td>
              <td>
                <code>{row.queue.name}</code>
              </td>
              {STATES.map((state) => (
                <ShareCell key={state} row={row} state={state} />
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </TableScroll>
  );
}
