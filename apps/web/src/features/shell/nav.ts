import type { MessageKey } from '@/lib/i18n/locales';

export interface NavItem {
  href: string;
  label: MessageKey;
  /** Exact match only (an overview page whose path prefixes its siblings'). */
  exact?: boolean;
}

export interface NavSection {
  title: MessageKey;
  items: NavItem[];
}

export function isActive(item: NavItem, pathname: string): boolean {
  if (item.exact) return pathname === item.href;
  return pathname === item.href || pathname.startsWith(`${item.href}/`);
}
