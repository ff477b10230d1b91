'use client';

import { Fragment, type ReactElement, type ReactNode } from 'react';
import type { CursorList } from '@/lib/hooks/use-cursor-list';
import { useI18n } from '@/lib/i18n/i18n-provider';
import type { MessageKey } from '@/lib/i18n/locales';
import { EmptyState, ErrorState, Loading, LoadMore } from './states';
import { TableScroll } from './table-scroll';

/** The `data-*` attributes a row is found by (`data-email`, `data-slug`). */
export type DataAttributes = { readonly [name: `data-${string}`]: string | undefined };

/** A column's `<th>`: an i18n key or a node of its own. */
export interface ColumnHeader {
  id: string;
  header: MessageKey | ReactElement;
  /** For screen readers only (the actions column). */
  headerHidden?: boolean;
  /** On the header and every cell: `hide-sm`, `num`, `cell-actions`. */
  className?: string;
}

export interface Column<T> extends ColumnHeader {
  cell: (item: T) => ReactNode;
  /** On the cells only: `cell-primary`, `nowrap`. */
  cellClassName?: string;
}

/** The trailing column of row buttons. */
export const ACTIONS_HEADER: ColumnHeader = {
  id: 'actions',
  header: 'common.actions',
  headerHidden: true,
  className: 'cell-actions',
};

export function actionsColumn<T>(cell: (item: T) => ReactNode): Column<T> {
  return { ...ACTIONS_HEADER, cell };
}

/** A destructive row action, disabled with the reason as its title when the caller may not do it. */
export function DangerRowButton({
  blocked,
  onClick,
  children,
}: {
  blocked: string | null;
  onClick: () => void;
  children: ReactNode;
}) {
  return (
    <button
      type="button"
      className="button button-danger-ghost"
      disabled={!!blocked}
      title={blocked ?? undefined}
      onClick={onClick}
    >
      {children}
    </button>
  );
}

interface CellRows<T> {
  columns: readonly Column<T>[];
  rowTestId: string;
  rowData?: (item: T) => DataAttributes;
  renderRow?: never;
}

interface OwnRows<T> {
  columns: readonly ColumnHeader[];
  /** For rows whose cells share state (an inline edit with an error row under it): renders its own `<tr>`. */
  renderRow: (item: T) => ReactNode;
  rowTestId?: never;
  rowData?: never;
}

export type DataTableProps<T> = (CellRows<T> | OwnRows<T>) & {
  list: CursorList<T>;
  rowKey: (item: T) => string;
  testId: string;
  emptyTitle: string;
  /** Under the empty title: what to do first (a "Create" button). */
  emptyAction?: ReactNode;
  dense?: boolean;
  /** Shown with the rows only, after them: the dialogs of the row actions. */
  children?: ReactNode;
};

function classNames(...names: (string | undefined)[]): string | undefined {
  return names.filter(Boolean).join(' ') || undefined;
}

/** A paged list as a table, with its loading, error (with retry), empty and "Load more" states. */
export function DataTable<T>(props: DataTableProps<T>) {
  const { list, columns, rowKey, testId, emptyTitle, emptyAction, dense = false, children } = props;
  const { t } = useI18n();
  if (list.loading) return <Loading />;
  if (list.error && list.items.length === 0) return <ErrorState error={list.error} onRetry={list.reload} />;
  if (list.items.length === 0) return <EmptyState title={emptyTitle}>{emptyAction}</EmptyState>;

  function row(item: T): ReactNode {
    if (props.renderRow) return <Fragment key={rowKey(item)}>{props.renderRow(item)}</Fragment>;
    return (
      <tr key={rowKey(item)} data-testid={props.rowTestId} {...props.rowData?.(item)}>
        {props.columns.map((column) => (
          <td key={column.id} className={classNames(column.cellClassName, column.className)}>
            {column.cell(item)}
          </td>
        ))}
      </tr>
    );
  }

  return (
    <>
      <TableScroll label={t('common.scrollTable')}>
        <table className={dense ? 'table table-dense table-stack' : 'table table-stack'} data-testid={testId}>
          <thead>
            <tr>
              {columns.map(({ id, header, headerHidden, className }) => {
                const label = typeof header === 'string' ? t(header) : header;
                return (
                  <th key={id} scope="col" className={className}>
                    {headerHidden ? <span className="visually-hidden">{label}</span> : label}
                  </th>
                );
              })}
            </tr>
          </thead>
          <tbody>{list.items.map(row)}</tbody>
        </table>
      </TableScroll>
      {list.error && <ErrorState error={list.error} />}
      <LoadMore hasMore={list.hasMore} loading={list.loadingMore} onLoadMore={list.loadMore} />
      {children}
    </>
  );
}
