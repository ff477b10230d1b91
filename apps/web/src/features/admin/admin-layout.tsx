'use client';

import type { ReactNode } from 'react';
import { EmptyState } from '@/components/states';
import { RequireAuth } from '@/features/auth/require-auth';
import { useMe } from '@/features/auth/session-provider';
import { AppShell } from '@/features/shell/app-shell';
import type { NavSection } from '@/features/shell/nav';
import { useI18n } from '@/lib/i18n/i18n-provider';

/** The platform-admin sidebar; later admin features (plans, …) add items here. */
const ADMIN_NAV: NavSection[] = [
  {
    title: 'nav.section.admin',
    items: [
      { href: '/admin/tenants', label: 'nav.admin.tenants' },
      { href: '/admin/queues', label: 'nav.admin.queues' },
      { href: '/admin/clusters', label: 'nav.admin.clusters' },
      { href: '/admin/host-sweeps', label: 'nav.admin.hostSweeps' },
    ],
  },
];

function AdminOnly({ children }: { children: ReactNode }) {
  const { t } = useI18n();
  const me = useMe();
  if (!me.user.isPlatformAdmin) {
    return (
      <AppShell sections={[]}>
        <EmptyState title={t('admin.denied.title')}>
          <p className="muted">{t('admin.denied.body')}</p>
        </EmptyState>
      </AppShell>
    );
  }
  return <AppShell sections={ADMIN_NAV}>{children}</AppShell>;
}

export function AdminLayout({ children }: { children: ReactNode }) {
  return (
    <RequireAuth>
      <AdminOnly>{children}</AdminOnly>
    </RequireAuth>
  );
}
