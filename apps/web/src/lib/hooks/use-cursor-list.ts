'use client';

import type { Page } from '@wharf/contracts';
import { type DependencyList, useCallback, useEffect, useRef, useState } from 'react';
import { ApiError, isAbort } from '../api/problem';

export interface CursorList<T> {
  items: T[];
  /** True while the first page loads. */
  loading: boolean;
  loadingMore: boolean;
  error: ApiError | undefined;
  hasMore: boolean;
  loadMore: () => void;
  reload: () => void;
  mutate: (update: (items: T[]) => T[]) => void;
}

type PageLoader<T> = (cursor: string | undefined, signal: AbortSignal) => Promise<Page<T>>;

/** A `{ items, nextCursor }` list read page by page; `deps` restart it from the first page. */
export function useCursorList<T>(loadPage: PageLoader<T>, deps: DependencyList): CursorList<T> {
  const [items, setItems] = useState<T[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [loadingMore, setLoadingMore] = useState(false);
  const [error, setError] = useState<ApiError>();
  const [generation, setGeneration] = useState(0);
  const loaderRef = useRef(loadPage);
  loaderRef.current = loadPage;
  const moreController = useRef<AbortController | undefined>(undefined);

  // biome-ignore lint/correctness/useExhaustiveDependencies: callers list what `loadPage` depends on, like useEffect
  useEffect(() => {
    const controller = new AbortController();
    moreController.current?.abort();
    setLoading(true);
    setError(undefined);
    loaderRef.current(undefined, controller.signal).then(
      (page) => {
        if (controller.signal.aborted) return;
        setItems(page.items);
        setCursor(page.nextCursor);
        setLoading(false);
      },
      (cause: unknown) => {
        if (controller.signal.aborted || isAbort(cause)) return;
        setError(ApiError.from(cause));
        setLoading(false);
      },
    );
    return () => controller.abort();
  }, [...deps, generation]);

  const loadMore = useCallback(() => {
    if (!cursor || loadingMore) return;
    const controller = new AbortController();
    moreController.current = controller;
    setLoadingMore(true);
    setError(undefined);
    loaderRef.current(cursor, controller.signal).then(
      (page) => {
        if (controller.signal.aborted) return;
        setItems((current) => [...current, ...page.items]);
        setCursor(page.nextCursor);
        setLoadingMore(false);
      },
      (cause: unknown) => {
        if (controller.signal.aborted || isAbort(cause)) return;
        setError(ApiError.from(cause));
        setLoadingMore(false);
      },
    );
  }, [cursor, loadingMore]);

  const reload = useCallback(() => setGeneration((g) => g + 1), []);
  const mutate = useCallback((update: (items: T[]) => T[]) => setItems(update), []);
  return { items, loading, loadingMore, error, hasMore: cursor !== null, loadMore, reload, mutate };
}
