import type { Role, Tenant } from '@wharf/contracts';
import type { TenantRow } from '@wharf/db';

/** A tenant as the API shows it, without the caller's role (admin views). */
export function tenantFields(row: TenantRow): Omit<Tenant, 'role'> {
  return {
    id: row.id,
    slug: row.slug,
    name: row.name,
    planId: row.planId,
    status: row.status,
    suspendedReason: row.suspendedReason,
    personal: row.personal,
    createdAt: row.createdAt.toISOString(),
  };
}

export function toTenant(row: TenantRow, role: Role): Tenant {
  return { ...tenantFields(row), role };
}

/** A DNS-label slug derived from free text: `Ada's Team!` → `ada-s-team`. */
export function slugify(text: string): string {
  const base = text
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 30)
    .replace(/-+$/, '');
  return base.length >= 2 ? base : `t-${base || 'team'}`;
}
