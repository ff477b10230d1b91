import type { Host } from '@wharf/contracts';

export type HostEventKind = 'created' | 'ready' | 'state' | 'terminated';

/** One moment of a host's life the API records. */
export interface HostEvent {
  kind: HostEventKind;
  at: string;
}

/**
 * What the host's record says of its history, oldest first: created, ready, terminated and the last change of state
 * (left out when it is one of the others, i.e. at the same instant).
 */
export function hostTimeline(host: Pick<Host, 'createdAt' | 'readyAt' | 'terminatedAt' | 'stateChangedAt'>): HostEvent[] {
  const events: HostEvent[] = [{ kind: 'created', at: host.createdAt }];
  if (host.readyAt) events.push({ kind: 'ready', at: host.readyAt });
  if (host.terminatedAt) events.push({ kind: 'terminated', at: host.terminatedAt });
  const changed = new Date(host.stateChangedAt).getTime();
  if (!events.some((e) => new Date(e.at).getTime() === changed)) events.push({ kind: 'state', at: host.stateChangedAt });
  return events.sort((a, b) => new Date(a.at).getTime() - new Date(b.at).getTime());
}

/** A brought host whose agent never registered: it can be given a fresh install command. */
export function awaitsAgent(host: Pick<Host, 'provider' | 'state' | 'lastSeenAt'>): boolean {
  return host.provider === 'byo' && host.state === 'bootstrapping' && host.lastSeenAt === null;
}
