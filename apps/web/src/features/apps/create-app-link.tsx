'use client';

import Link from 'next/link';
import { useTenant } from '@/features/tenant/tenant-provider';
import { useI18n } from '@/lib/i18n/i18n-provider';
import { appsPath } from './app-paths';

/** The way to the create page; a disabled button saying why when the caller may not create apps. */
export function CreateAppLink() {
  const { t } = useI18n();
  const { tenant, denial } = useTenant();
  const blocked = denial('apps.write');
  if (blocked) {
    return (
      <button type="button" className="button button-primary" disabled title={blocked}>
        {t('apps.create.open')}
      </button>
    );
  }
  return (
    <Link href={`${appsPath(tenant.slug)}/new`} className="button button-primary" data-testid="create-app">
      {t('apps.create.open')}
    </Link>
  );
}
