'use client';

import { PageHeader } from '@/components/page-header';
import { useTenant } from '@/features/tenant/tenant-provider';
import { useI18n } from '@/lib/i18n/i18n-provider';
import { ConnectCloudForm } from './connect-cloud-form';

export function ConnectCloudView() {
  const { t } = useI18n();
  const { tenant } = useTenant();
  return (
    <>
      <PageHeader title={t('clouds.connect.title')} description={t('clouds.connect.description', { team: tenant.name })} />
      <ConnectCloudForm />
    </>
  );
}
