import { canManageRole, ROLES, type Role } from '@wharf/contracts';

/** Roles `actor` may give a member who now holds `from` (their current role included, to keep it). */
export function assignableRoles(actor: Role, from: Role): Role[] {
  return ROLES.filter((to) => to === from || canManageRole(actor, from, to));
}

/** Roles `actor` may invite someone with. */
export function invitableRoles(actor: Role): Role[] {
  return ROLES.filter((to) => canManageRole(actor, undefined, to));
}

export function canRemove(actor: Role, member: Role): boolean {
  return canManageRole(actor, member, undefined);
}
