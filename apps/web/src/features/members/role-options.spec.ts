import { describe, expect, it } from 'vitest';
import { assignableRoles, canRemove, invitableRoles } from './role-options';

describe('role options', () => {
  it('lets owners give and take any role', () => {
    expect(assignableRoles('owner', 'owner')).toEqual(['owner', 'admin', 'developer', 'viewer']);
    expect(invitableRoles('owner')).toEqual(['owner', 'admin', 'developer', 'viewer']);
    expect(canRemove('owner', 'owner')).toBe(true);
  });

  it('keeps admins away from the owner role', () => {
    expect(assignableRoles('admin', 'developer')).toEqual(['admin', 'developer', 'viewer']);
    expect(assignableRoles('admin', 'owner')).toEqual(['owner']);
    expect(invitableRoles('admin')).toEqual(['admin', 'developer', 'viewer']);
    expect(canRemove('admin', 'owner')).toBe(false);
    expect(canRemove('admin', 'viewer')).toBe(true);
  });

  it('gives developers and viewers nothing to manage', () => {
    expect(assignableRoles('developer', 'viewer')).toEqual(['viewer']);
    expect(invitableRoles('viewer')).toEqual([]);
    expect(canRemove('developer', 'viewer')).toBe(false);
  });
});
