'use client';

import { registryRoutes } from '@wharf/contracts';
import { PageHeader } from '@/components/page-header';
import { useTenant } from '@/features/tenant/tenant-provider';
import { api } from '@/lib/api/client';
import { useCursorList } from '@/lib/hooks/use-cursor-list';
import { useI18n } from '@/lib/i18n/i18n-provider';
import { AddRegistryForm } from './add-registry-form';
import { RegistriesTable } from './registries-table';

export function RegistriesView() {
  const { t } = useI18n();
  const { tenant } = useTenant();
  const list = useCursorList(
    (cursor, signal) => api(registryRoutes.list, { params: { tenant: tenant.slug }, query: { cursor } }, { signal }),
    [tenant.slug],
  );
  return (
    <>
      <PageHeader title={t('registries.pageTitle')} description={t('registries.pageDescription', { team: tenant.name })} />
      <section className="card" aria-labelledby="add-registry-title">
        <div className="card-header">
          <h2 id="add-registry-title">{t('registries.add.title')}</h2>
        </div>
        <AddRegistryForm onAdded={(credential) => list.mutate((items) => [credential, ...items])} />
      </section>
      <section className="card" aria-labelledby="registries-title">
        <div className="card-header">
          <h2 id="registries-title">{t('registries.listTitle')}</h2>
        </div>
        <RegistriesTable list={list} />
      </section>
    </>
  );
}
