import { HOST_STATES } from '@wharf/contracts';
import { describe, expect, it } from 'vitest';
import { anyMoving, canRemove, hostTone, isMoving } from './host-states';

describe('host states in the dashboard', () => {
  it('refreshes while a host is on its way in or out, not when every host has settled', () => {
    expect(HOST_STATES.filter(isMoving)).toEqual([
      'requested',
      'creating',
      'booting',
      'bootstrapping',
      'joining',
      'draining',
      'leaving',
      'terminating',
    ]);
    expect(anyMoving([{ state: 'ready' }, { state: 'failed' }, { state: 'terminated' }])).toBe(false);
    expect(anyMoving([{ state: 'ready' }, { state: 'joining' }])).toBe(true);
    expect(anyMoving([])).toBe(false);
  });

  it('offers Remove until the host is on its way out', () => {
    expect(HOST_STATES.filter(canRemove)).toEqual([
      'requested',
      'creating',
      'booting',
      'bootstrapping',
      'joining',
      'ready',
      'failed',
    ]);
  });

  it('colours the way in as information and the way out as a warning', () => {
    expect(hostTone('booting')).toBe('info');
    expect(hostTone('draining')).toBe('warning');
    expect(hostTone('ready')).toBe('success');
    expect(hostTone('failed')).toBe('danger');
    expect(hostTone('terminated')).toBe('neutral');
  });
});
