'use client';

import type { AuditEvent } from '@wharf/contracts';
import { Badge, type BadgeTone } from '@/components/badge';
import { EmptyState, ErrorState, Loading, LoadMore } from '@/components/states';
import type { CursorList } from '@/lib/hooks/use-cursor-list';
import { useI18n } from '@/lib/i18n/i18n-provider';

const OUTCOME_TONE: Record<AuditEvent['outcome'], BadgeTone> = { success: 'success', denied: 'warning', failure: 'danger' };

export function AuditTable({ list, filtered }: { list: CursorList<AuditEvent>; filtered: boolean }) {
  const { t, formatDateTime } = useI18n();
  if (list.loading) return <Loading />;
  if (list.error && list.items.length === 0) return <ErrorState error={list.error} onRetry={list.reload} />;
  if (list.items.length === 0) return <EmptyState title={filtered ? t('audit.emptyFiltered') : t('audit.empty')} />;
  return (
    <>
      <div className="table-wrap">
        <table className="table table-dense table-stack" data-testid="audit-table">
          <thead>
            <tr>
              <th scope="col">{t('audit.col.at')}</th>
              <th scope="col">{t('audit.col.action')}</th>
              <th scope="col">{t('audit.col.actor')}</th>
              <th scope="col" className="hide-sm">
                {t('audit.col.target')}
              </th>
              <th scope="col">{t('audit.col.outcome')}</th>
              <th scope="col" className="hide-sm">
                {t('audit.col.ip')}
              </th>
            </tr>
          </thead>
          <tbody>
            {list.items.map((event) => (
              <tr key={event.id} data-testid="audit-row" data-action={event.action}>
                <td className="nowrap">{formatDateTime(event.at)}</td>
                <td>
                  <code>{event.action}</code>
                </td>
                <td>{event.actor?.email ?? t('audit.system')}</td>
                <td className="hide-sm">
                  <code className="cell-secondary">{event.target ?? '—'}</code>
                </td>
                <td>
                  <Badge tone={OUTCOME_TONE[event.outcome]}>
                    {t(`audit.outcome.${event.outcome}`)} · {event.status}
                  </Badge>
                </td>
                <td className="hide-sm">{event.ip ?? '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {list.error && <ErrorState error={list.error} />}
      <LoadMore hasMore={list.hasMore} loading={list.loadingMore} onLoadMore={list.loadMore} />
    </>
  );
}
