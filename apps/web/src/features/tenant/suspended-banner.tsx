'use client';

import { useI18n } from '@/lib/i18n/i18n-provider';
import { useTenant } from './tenant-provider';

export const SUSPENDED_BANNER_ID = 'tenant-suspended-banner';

export function SuspendedBanner() {
  const { t } = useI18n();
  const { tenant } = useTenant();
  if (tenant.status !== 'suspended') return null;
  return (
    <div id={SUSPENDED_BANNER_ID} className="alert alert-warning banner" role="status" data-testid="suspended-banner">
      <p className="alert-title">{t('tenant.suspended.title')}</p>
      <p>{t('tenant.suspended.body', { reason: tenant.suspendedReason ?? t('guard.noReason') })}</p>
    </div>
  );
}
