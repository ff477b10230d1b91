'use client';

import { QUOTA_KEYS, tenantRoutes } from '@wharf/contracts';
import type { ReactNode } from 'react';
import { ErrorState, Loading } from '@/components/states';
import { UsageBar } from '@/components/usage-bar';
import { api } from '@/lib/api/client';
import { useResource } from '@/lib/hooks/use-resource';
import { useI18n } from '@/lib/i18n/i18n-provider';
import { useTenant } from './tenant-provider';

export function UsagePanel() {
  const { t } = useI18n();
  const { tenant, denial } = useTenant();
  const blocked = denial('usage.read', 'read');
  const usage = useResource(
    (signal) => (blocked ? Promise.resolve(undefined) : api(tenantRoutes.usage, { params: { tenant: tenant.slug } }, { signal })),
    [tenant.slug, blocked],
  );

  let content: ReactNode;
  if (blocked) content = <p className="muted">{blocked}</p>;
  else if (usage.error) content = <ErrorState error={usage.error} onRetry={usage.reload} />;
  else if (!usage.data) content = <Loading />;
  else {
    const order = (key: string) => QUOTA_KEYS.indexOf(key as (typeof QUOTA_KEYS)[number]);
    const quotas = [...usage.data.quotas].sort((a, b) => order(a.key) - order(b.key));
    content = (
      <div className="usage-grid">
        {quotas.map((quota) => (
          <UsageBar key={quota.key} quota={quota} />
        ))}
      </div>
    );
  }

  return (
    <section className="card" aria-labelledby="usage-title" data-testid="usage-panel">
      <div className="card-header">
        <h2 id="usage-title">{t('usage.title')}</h2>
        <p className="muted">{t('usage.subtitle')}</p>
      </div>
      {content}
    </section>
  );
}
