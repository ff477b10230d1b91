'use client';

import type { ApiError } from '@/lib/api/problem';
import { usePoll } from '@/lib/hooks/use-poll';
import { type Resource, useResource } from '@/lib/hooks/use-resource';

/** How often the operations pages (queues, cluster health) refresh. */
export const OPS_POLL_MS = 5_000;

/**
 * A read-only view loaded once and then refreshed every OPS_POLL_MS while the page is visible; `stale` is the last
 * refresh's failure (what is shown stays, possibly out of date).
 */
export function usePolledSnapshot<T>(load: (signal: AbortSignal) => Promise<T>): Resource<T> & { stale: ApiError | undefined } {
  const resource = useResource(load, []);
  const { mutate } = resource;
  const stale = usePoll(
    async (signal) => {
      const next = await load(signal);
      mutate(() => next);
    },
    OPS_POLL_MS,
    resource.data !== undefined,
  );
  return { ...resource, stale };
}
