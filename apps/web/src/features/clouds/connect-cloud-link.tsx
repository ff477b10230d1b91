'use client';

import Link from 'next/link';
import { useTenant } from '@/features/tenant/tenant-provider';
import { useI18n } from '@/lib/i18n/i18n-provider';
import { connectCloudPath } from './cloud-paths';

/** The way to the connect wizard; a disabled button saying why when the caller may not connect accounts. */
export function ConnectCloudLink() {
  const { t } = useI18n();
  const { tenant, denial } = useTenant();
  const blocked = denial('clouds.write');
  if (blocked) {
    return (
      <button type="button" className="button button-primary" disabled title={blocked}>
        {t('clouds.connect.open')}
      </button>
    );
  }
  return (
    <Link href={connectCloudPath(tenant.slug)} className="button button-primary" data-testid="connect-cloud">
      {t('clouds.connect.open')}
    </Link>
  );
}
