'use client';

import type { Tenant } from '@wharf/contracts';
import { useRouter } from 'next/navigation';
import { useEffect } from 'react';
import { EmptyState, ErrorState, Loading } from '@/components/states';
import { useI18n } from '@/lib/i18n/i18n-provider';
import { readLastTenant } from '../tenant/last-tenant';
import { useSession } from './session-provider';

function pickTenant(tenants: readonly Tenant[]): Tenant | undefined {
  const last = readLastTenant();
  return tenants.find((t) => t.slug === last) ?? tenants.find((t) => !t.personal) ?? tenants[0];
}

/** `/`: the last team used (or the first), or the login page. */
export function HomeRedirect() {
  const { t } = useI18n();
  const { state, reload } = useSession();
  const router = useRouter();
  const target = state.status === 'authenticated' ? pickTenant(state.me.tenants) : undefined;

  useEffect(() => {
    if (state.status === 'anonymous') router.replace('/login');
    if (target) router.replace(`/t/${target.slug}`);
  }, [state.status, target, router]);

  if (state.status === 'error') return <ErrorState error={state.error} onRetry={() => void reload()} />;
  if (state.status === 'authenticated' && !target) return <EmptyState title={t('home.noTeams')} />;
  return <Loading />;
}
