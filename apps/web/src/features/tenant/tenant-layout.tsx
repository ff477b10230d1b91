'use client';

import type { ReactNode } from 'react';
import { RequireAuth } from '@/features/auth/require-auth';
import { AppShell } from '@/features/shell/app-shell';
import { SuspendedBanner } from './suspended-banner';
import { tenantNav } from './tenant-nav';
import { TenantProvider, useTenant } from './tenant-provider';

function TenantFrame({ children }: { children: ReactNode }) {
  const { tenant, role } = useTenant();
  return (
    <AppShell sections={tenantNav(tenant.slug, role)} banner={<SuspendedBanner />}>
      {children}
    </AppShell>
  );
}

export function TenantLayout({ tenantRef, children }: { tenantRef: string; children: ReactNode }) {
  return (
    <RequireAuth>
      <TenantProvider tenantRef={tenantRef} frame={(content) => <AppShell sections={[]}>{content}</AppShell>}>
        <TenantFrame>{children}</TenantFrame>
      </TenantProvider>
    </RequireAuth>
  );
}
