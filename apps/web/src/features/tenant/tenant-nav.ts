import { can, type Permission, type Role } from '@wharf/contracts';
import type { NavItem, NavSection } from '@/features/shell/nav';
import type { MessageKey } from '@/lib/i18n/locales';

interface TenantNavItem {
  /** Path below `/t/{tenant}` ('' for the overview). */
  path: string;
  label: MessageKey;
  permission: Permission;
}

interface TenantNavSection {
  title: MessageKey;
  items: TenantNavItem[];
}

/** The tenant sidebar. Each feature adds its section or items here (apps, clusters, …). */
const TENANT_NAV: TenantNavSection[] = [
  {
    title: 'nav.section.workloads',
    items: [{ path: '/apps', label: 'nav.apps', permission: 'apps.read' }],
  },
  {
    title: 'nav.section.team',
    items: [
      { path: '', label: 'nav.overview', permission: 'tenant.read' },
      { path: '/members', label: 'nav.members', permission: 'members.read' },
      { path: '/tokens', label: 'nav.tokens', permission: 'tokens.read' },
      { path: '/registries', label: 'nav.registries', permission: 'registries.read' },
      { path: '/git-connections', label: 'nav.gitConnections', permission: 'apps.read' },
      { path: '/cloud-accounts', label: 'nav.cloudAccounts', permission: 'clouds.read' },
      { path: '/clusters', label: 'nav.clusters', permission: 'clusters.read' },
      { path: '/audit', label: 'nav.audit', permission: 'audit.read' },
    ],
  },
];

/** The sections and items a member with `role` can open in tenant `slug`. */
export function tenantNav(slug: string, role: Role): NavSection[] {
  const base = `/t/${encodeURIComponent(slug)}`;
  return TENANT_NAV.map((section) => ({
    title: section.title,
    items: section.items
      .filter((item) => can(role, item.permission))
      .map((item): NavItem => ({ href: base + item.path, label: item.label, exact: item.path === '' })),
  })).filter((section) => section.items.length > 0);
}
