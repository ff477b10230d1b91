'use client';

import type { ReactNode } from 'react';
import { EmptyState, ErrorState, Loading } from '@/components/states';
import type { Resource } from '@/lib/hooks/use-resource';

/** A loaded view's first load (spinner), failure (with retry) and empty states; else `children` with the data. */
export function SnapshotState<T>({
  resource,
  isEmpty,
  emptyTitle,
  children,
}: {
  resource: Resource<T>;
  isEmpty: (data: T) => boolean;
  emptyTitle: string;
  children: (data: T) => ReactNode;
}) {
  const { data, error, loading, reload } = resource;
  if (data === undefined) return error && !loading ? <ErrorState error={error} onRetry={reload} /> : <Loading />;
  if (isEmpty(data)) return <EmptyState title={emptyTitle} />;
  return children(data);
}
