'use client';

import { can, type Permission, ROLES, type Role, type Tenant, tenantRoutes } from '@wharf/contracts';
import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo } from 'react';
import { ErrorState, Loading } from '@/components/states';
import { api } from '@/lib/api/client';
import { useResource } from '@/lib/hooks/use-resource';
import { useI18n } from '@/lib/i18n/i18n-provider';
import { rememberTenant } from './last-tenant';
import { TenantNotFound } from './tenant-not-found';

export interface TenantContextValue {
  tenant: Tenant;
  role: Role;
  reload: () => void;
  /**
   * Why the caller may not do something needing `permission` here, or `null` when they may.
   * Changes (the default) are also refused while the tenant is suspended.
   */
  denial: (permission: Permission, kind?: 'change' | 'read') => string | null;
}

const TenantContext = createContext<TenantContextValue | undefined>(undefined);

export function rolesWith(permission: Permission): Role[] {
  return ROLES.filter((role) => can(role, permission));
}

/** Loads the tenant of the URL (slug or id) for everything below it. */
export interface TenantProviderProps {
  tenantRef: string;
  /** Wraps the loading, not-found and error states (in the app frame). */
  frame: (content: ReactNode) => ReactNode;
  children: ReactNode;
}

export function TenantProvider({ tenantRef, frame, children }: TenantProviderProps) {
  const { t, formatList } = useI18n();
  const resource = useResource((signal) => api(tenantRoutes.get, { params: { tenant: tenantRef } }, { signal }), [tenantRef]);
  // While another tenant's data is still shown after switching, treat it as not loaded.
  const loaded = resource.data;
  const tenant = loaded && (loaded.slug === tenantRef || loaded.id === tenantRef) ? loaded : undefined;

  useEffect(() => {
    if (tenant) rememberTenant(tenant.slug);
  }, [tenant]);

  const denial = useCallback(
    (permission: Permission, kind: 'change' | 'read' = 'change'): string | null => {
      if (!tenant) return null;
      if (kind === 'change' && tenant.status === 'suspended') {
        return t('guard.suspended', { reason: tenant.suspendedReason ?? t('guard.noReason') });
      }
      if (!can(tenant.role, permission)) {
        const roles = rolesWith(permission).map((role) => t(`role.${role}`));
        return t('guard.requiresRole', { roles: formatList(roles, 'disjunction') });
      }
      return null;
    },
    [tenant, t, formatList],
  );

  const value = useMemo(
    () => (tenant ? { tenant, role: tenant.role, reload: resource.reload, denial } : undefined),
    [tenant, resource.reload, denial],
  );

  if (resource.error && !tenant) {
    return frame(
      resource.error.status === 404 ? <TenantNotFound /> : <ErrorState error={resource.error} onRetry={resource.reload} />,
    );
  }
  if (!value) return frame(<Loading />);
  return <TenantContext.Provider value={value}>{children}</TenantContext.Provider>;
}

export function useTenant(): TenantContextValue {
  const value = useContext(TenantContext);
  if (!value) throw new Error('useTenant outside <TenantProvider>');
  return value;
}
