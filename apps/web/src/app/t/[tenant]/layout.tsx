import type { ReactNode } from 'react';
import { TenantLayout } from '@/features/tenant/tenant-layout';

export default async function Layout({ children, params }: { children: ReactNode; params: Promise<{ tenant: string }> }) {
  const { tenant } = await params;
  return <TenantLayout tenantRef={decodeURIComponent(tenant)}>{children}</TenantLayout>;
}
