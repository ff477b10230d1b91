'use client';

import { useEffect, useRef, useState } from 'react';
import { ApiError, isAbort } from '../api/problem';

/**
 * Calls `tick` every `intervalMs` while `enabled` and the page is visible (and at once when it becomes visible
 * again). A tick still running when the next is due is aborted. Returns the last tick's failure, cleared by
 * the next success: the data shown may be stale meanwhile.
 */
export function usePoll(tick: (signal: AbortSignal) => Promise<void>, intervalMs: number, enabled = true): ApiError | undefined {
  const [error, setError] = useState<ApiError>();
  const tickRef = useRef(tick);
  tickRef.current = tick;

  useEffect(() => {
    if (!enabled) return;
    let controller: AbortController | undefined;

    function run() {
      if (document.visibilityState === 'hidden') return;
      controller?.abort();
      const current = new AbortController();
      controller = current;
      tickRef.current(current.signal).then(
        () => {
          if (!current.signal.aborted) setError(undefined);
        },
        (cause: unknown) => {
          if (current.signal.aborted || isAbort(cause)) return;
          setError(ApiError.from(cause));
        },
      );
    }

    const timer = setInterval(run, intervalMs);
    document.addEventListener('visibilitychange', run);
    return () => {
      clearInterval(timer);
      document.removeEventListener('visibilitychange', run);
      controller?.abort();
    };
  }, [intervalMs, enabled]);

  return enabled ? error : undefined;
}

/**
 * A list with a fresh copy of its first page: items of the page replace theirs, new ones come first, and
 * items the page should contain but no longer does (deleted meanwhile) are dropped. Later pages are kept.
 */
export function mergeFirstPage<T>(items: readonly T[], page: readonly T[], key: (item: T) => string): T[] {
  const fresh = new Map(page.map((item) => [key(item), item]));
  const known = new Set(items.map(key));
  const added = page.filter((item) => !known.has(key(item)));
  // The old first page spans as many items as the fresh one, minus those added in front of it.
  const span = Math.max(0, page.length - added.length);
  const kept = items.flatMap((item, index) => {
    const replacement = fresh.get(key(item));
    if (replacement) return [replacement];
    return index < span ? [] : [item];
  });
  return [...added, ...kept];
}
