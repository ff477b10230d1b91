/** Roles a member holds in a tenant, most powerful first. */
export const ROLES = ['owner', 'admin', 'developer', 'viewer'] as const;
export type Role = (typeof ROLES)[number];

/**
 * Every permission a tenant-scoped endpoint can require. Later features add theirs here;
 * the role matrix below is the one place that says who holds what.
 */
export const PERMISSIONS = [
  'tenant.read',
  'tenant.update',
  'members.read',
  'members.invite',
  'members.update',
  'members.remove',
  'tokens.read',
  'tokens.create',
  'tokens.revoke',
  'usage.read',
  'audit.read',
  'registries.read',
  'registries.write',
  'clusters.read',
  'clusters.write',
  'clouds.read',
  'clouds.write',
  'hosts.read',
  'hosts.write',
  'apps.read',
  'apps.write',
  'apps.secrets.reveal',
  'clusters.policy',
] as const;
export type Permission = (typeof PERMISSIONS)[number];

const READ: Permission[] = [
  'tenant.read',
  'members.read',
  'tokens.read',
  'tokens.create',
  'tokens.revoke',
  'usage.read',
  'registries.read',
  'clusters.read',
  'clouds.read',
  'hosts.read',
  'apps.read',
];
/**
 * Developers deploy: apps, and what deploying needs (registry credentials). Revealing secrets, connecting cloud
 * accounts (`clouds.write`), creating or deleting dedicated clusters (`clusters.write`) and adding or removing hosts
 * (`hosts.write`) — what spends the tenant's money — are for owners and admins.
 */
const DEVELOP: Permission[] = [...READ, 'registries.write', 'apps.write'];

/** The permission matrix: role → permissions it grants. */
export const ROLE_PERMISSIONS: Record<Role, ReadonlySet<Permission>> = {
  owner: new Set(PERMISSIONS),
  /** Relaxing a dedicated cluster's policy (host access for containers) is the owner's call alone. */
  admin: new Set(PERMISSIONS.filter((p) => p !== 'clusters.policy')),
  developer: new Set(DEVELOP),
  viewer: new Set(READ),
};

export function can(role: Role, permission: Permission): boolean {
  return ROLE_PERMISSIONS[role].has(permission);
}

/** Owners and admins manage the tenant; only owners grant, change or remove the owner role. */
export function canManageRole(actor: Role, from: Role | undefined, to: Role | undefined): boolean {
  if (actor === 'owner') return true;
  if (actor !== 'admin') return false;
  return from !== 'owner' && to !== 'owner';
}
