'use client';

import { PageHeader } from '@/components/page-header';
import { useTenant } from '@/features/tenant/tenant-provider';
import { useI18n } from '@/lib/i18n/i18n-provider';
import { CreateAppForm } from './create-app-form';

export function CreateAppView() {
  const { t } = useI18n();
  const { tenant } = useTenant();
  return (
    <>
      <PageHeader title={t('apps.create.title')} description={t('apps.create.description', { team: tenant.name })} />
      <CreateAppForm />
    </>
  );
}
