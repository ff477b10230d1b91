import type { Host } from '@wharf/contracts';
import type { BadgeTone } from '@/components/badge';

type HostState = Host['state'];

/** How often the hosts of a cluster refresh while one of them is on its way in or out. */
export const HOSTS_POLL_MS = 3_000;

/** States a host leaves by itself (the workers move it on): the list refreshes while any host is in one. */
const SETTLED: ReadonlySet<HostState> = new Set(['ready', 'terminated', 'failed']);

/** The way out, before the machine is gone. */
const LEAVING: ReadonlySet<HostState> = new Set(['draining', 'leaving', 'terminating']);

export function isMoving(state: HostState): boolean {
  return !SETTLED.has(state);
}

export function anyMoving(hosts: readonly { state: HostState }[]): boolean {
  return hosts.some((h) => isMoving(h.state));
}

/** The way in is information, the way out a warning; ready is success, failed danger, terminated neutral. */
export function hostTone(state: HostState): BadgeTone {
  if (state === 'ready') return 'success';
  if (state === 'failed') return 'danger';
  if (state === 'terminated') return 'neutral';
  return LEAVING.has(state) ? 'warning' : 'info';
}

/** A host can be removed unless it is gone or already on its way out. */
export function canRemove(state: HostState): boolean {
  return !LEAVING.has(state) && state !== 'terminated';
}
