'use client';

import type { Build } from '@wharf/contracts';
import Link from 'next/link';
import { type Column, DataTable } from '@/components/data-table';
import { useApp } from '@/features/apps/app-provider';
import type { CursorList } from '@/lib/hooks/use-cursor-list';
import { useI18n } from '@/lib/i18n/i18n-provider';
import { buildRef } from './build-format';
import { buildPath } from './build-paths';
import { BuildStatusBadge } from './build-status';

/** The app's builds: number, status, branch@commit with its subject, trigger, duration, start. */
export function BuildsTable({ list }: { list: CursorList<Build> }) {
  const { t, formatDateTime, formatDuration } = useI18n();
  const { basePath } = useApp();
  const columns: Column<Build>[] = [
    {
      id: 'number',
      header: 'builds.col.number',
      cell: (b) => (
        <Link href={buildPath(basePath, b.id)} className="cell-primary" data-testid="build-link">
          {t('builds.number', { number: b.number })}
        </Link>
      ),
    },
    { id: 'status', header: 'builds.col.status', cell: (b) => <BuildStatusBadge status={b.status} /> },
    {
      id: 'ref',
      header: 'builds.col.ref',
      className: 'cell-grow',
      cell: (b) => (
        <>
          <code data-testid="build-ref">{buildRef(b)}</code>
          {b.commitSubject && (
            <span className="cell-secondary build-subject" title={b.commitSubject}>
              {b.commitSubject}
            </span>
          )}
        </>
      ),
    },
    { id: 'trigger', header: 'builds.col.trigger', className: 'hide-sm', cell: (b) => t(`buildTrigger.${b.trigger}`) },
    {
      id: 'duration',
      header: 'builds.col.duration',
      className: 'num',
      cell: (b) => (b.startedAt ? formatDuration(b.seconds) : t('builds.none')),
    },
    {
      id: 'created',
      header: 'builds.col.created',
      className: 'hide-sm',
      cellClassName: 'nowrap',
      cell: (b) => formatDateTime(b.createdAt),
    },
  ];
  return (
    <DataTable
      list={list}
      columns={columns}
      rowKey={(b) => b.id}
      testId="builds-table"
      rowTestId="build-row"
      rowData={(b) => ({ 'data-number': String(b.number), 'data-status': b.status })}
      emptyTitle={t('builds.empty')}
    />
  );
}
