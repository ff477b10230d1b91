'use client';

import type { QuotaUsage } from '@wharf/contracts';
import { useI18n } from '@/lib/i18n/i18n-provider';

function tone(used: number, limit: number): 'ok' | 'warning' | 'danger' | 'off' {
  if (limit === 0 && used === 0) return 'off';
  if (used >= limit) return 'danger';
  return used / limit >= 0.8 ? 'warning' : 'ok';
}

/** One quota: its label, `used / limit unit` and a bar. */
export function UsageBar({ quota, compact = false }: { quota: QuotaUsage; compact?: boolean }) {
  const { t, formatNumber } = useI18n();
  const label = t(`quota.${quota.key}`);
  const percent = quota.limit > 0 ? Math.min(100, Math.round((quota.used / quota.limit) * 100)) : 0;
  const figures =
    quota.limit === 0 && quota.used === 0
      ? t('usage.notIncluded')
      : t('usage.figures', {
          used: formatNumber(quota.used),
          limit: formatNumber(quota.limit),
          unit: t(`quotaUnit.${quota.key}`),
        });
  return (
    <div className={compact ? 'usage usage-compact' : 'usage'} data-testid={`usage-${quota.key}`}>
      <div className="usage-head">
        <span className="usage-label">
          {label}
          {quota.overridden && <span className="usage-custom">{t('usage.custom')}</span>}
        </span>
        <span className="usage-figures">{figures}</span>
      </div>
      <div
        className={`usage-track usage-${tone(quota.used, quota.limit)}`}
        role="progressbar"
        aria-label={label}
        aria-valuemin={0}
        aria-valuemax={quota.limit}
        aria-valuenow={Math.min(quota.used, quota.limit)}
        aria-valuetext={figures}
      >
        <div className="usage-fill" style={{ width: `${percent}%` }} />
      </div>
    </div>
  );
}
