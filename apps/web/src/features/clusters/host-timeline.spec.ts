import { describe, expect, it } from 'vitest';
import { awaitsAgent, hostTimeline } from './host-timeline';
import { secondsSince } from './use-now';

const T0 = '2026-11-29T06:00:00.000Z';
const T1 = '2026-11-29T06:01:00.000Z';
const T2 = '2026-11-29T06:05:00.000Z';

describe('hostTimeline', () => {
  it('lists what happened oldest first, with the last change of state when it is none of the others', () => {
    expect(hostTimeline({ createdAt: T0, readyAt: T1, terminatedAt: null, stateChangedAt: T2 })).toEqual([
      { kind: 'created', at: T0 },
      { kind: 'ready', at: T1 },
      { kind: 'state', at: T2 },
    ]);
  });

  it('does not repeat a change of state that is the host becoming ready or ending', () => {
    expect(hostTimeline({ createdAt: T0, readyAt: T1, terminatedAt: T2, stateChangedAt: T2 }).map((e) => e.kind)).toEqual([
      'created',
      'ready',
      'terminated',
    ]);
    expect(hostTimeline({ createdAt: T0, readyAt: null, terminatedAt: null, stateChangedAt: T0 })).toEqual([
      { kind: 'created', at: T0 },
    ]);
  });
});

describe('awaitsAgent', () => {
  it('is a brought host bootstrapping whose agent never called', () => {
    expect(awaitsAgent({ provider: 'byo', state: 'bootstrapping', lastSeenAt: null })).toBe(true);
    expect(awaitsAgent({ provider: 'byo', state: 'bootstrapping', lastSeenAt: T1 })).toBe(false);
    expect(awaitsAgent({ provider: 'byo', state: 'ready', lastSeenAt: null })).toBe(false);
    expect(awaitsAgent({ provider: 'ssh', state: 'bootstrapping', lastSeenAt: null })).toBe(false);
  });
});

describe('secondsSince', () => {
  it('counts whole seconds, never below zero', () => {
    expect(secondsSince(T0, new Date(T0).getTime() + 5_900)).toBe(5);
    expect(secondsSince(T1, new Date(T0).getTime())).toBe(0);
  });
});
