'use client';

import type { TenantCluster } from '@wharf/contracts';
import { useI18n } from '@/lib/i18n/i18n-provider';

/**
 * PLACEHOLDER — "Add your own server" (bring-your-own host, provider `byo`). Another engineer builds its API (a host
 * added with `provider: 'byo'` answers a one-time install command, `hostRoutes.installCommand` issues a fresh one);
 * this is where the dashboard shows that command, once, with a Copy button. Until then it only says what is coming.
 */
export function ByoHostPlaceholder({ cluster }: { cluster: TenantCluster }) {
  const { t } = useI18n();
  return (
    <div className="stack" data-testid="byo-host" data-cluster={cluster.id}>
      <h3>{t('hosts.byo.title')}</h3>
      <p className="muted">{t('hosts.byo.soon')}</p>
    </div>
  );
}
