'use client';

import type { AuditEvent } from '@wharf/contracts';
import { Badge, type BadgeTone } from '@/components/badge';
import { type Column, DataTable } from '@/components/data-table';
import type { CursorList } from '@/lib/hooks/use-cursor-list';
import { useI18n } from '@/lib/i18n/i18n-provider';

const OUTCOME_TONE: Record<AuditEvent['outcome'], BadgeTone> = { success: 'success', denied: 'warning', failure: 'danger' };

export function AuditTable({ list, filtered }: { list: CursorList<AuditEvent>; filtered: boolean }) {
  const { t, formatDateTime } = useI18n();
  const columns: Column<AuditEvent>[] = [
    { id: 'at', header: 'audit.col.at', cellClassName: 'nowrap', cell: (event) => formatDateTime(event.at) },
    { id: 'action', header: 'audit.col.action', cell: (event) => <code>{event.action}</code> },
    { id: 'actor', header: 'audit.col.actor', cell: (event) => event.actor?.email ?? t('audit.system') },
    {
      id: 'target',
      header: 'audit.col.target',
      className: 'hide-sm',
      cell: (event) => <code className="cell-secondary">{event.target ?? '—'}</code>,
    },
    {
      id: 'outcome',
      header: 'audit.col.outcome',
      cell: (event) => (
        <Badge tone={OUTCOME_TONE[event.outcome]}>
          {t(`audit.outcome.${event.outcome}`)} · {event.status}
        </Badge>
      ),
    },
    { id: 'ip', header: 'audit.col.ip', className: 'hide-sm', cell: (event) => event.ip ?? '—' },
  ];
  return (
    <DataTable
      list={list}
      columns={columns}
      rowKey={(event) => event.id}
      testId="audit-table"
      rowTestId="audit-row"
      rowData={(event) => ({ 'data-action': event.action })}
      emptyTitle={filtered ? t('audit.emptyFiltered') : t('audit.empty')}
      dense
    />
  );
}
