'use client';

import { type AdminTenant, PLAN_IDS, type PlanId, type QuotaKey } from '@wharf/contracts';
import { useId } from 'react';
import { Badge } from '@/components/badge';
import { UsageBar } from '@/components/usage-bar';
import { useI18n } from '@/lib/i18n/i18n-provider';

/** The quotas shown in the table; the overrides dialog shows them all. */
const SUMMARY_QUOTAS: QuotaKey[] = ['members', 'services', 'cpuMillis', 'memoryMiB'];

export type AdminTenantAction =
  | { kind: 'plan'; tenant: AdminTenant; planId: PlanId }
  | { kind: 'quotas' | 'suspend' | 'resume'; tenant: AdminTenant };

export function AdminTenantRow({ tenant, onAction }: { tenant: AdminTenant; onAction: (action: AdminTenantAction) => void }) {
  const { t, formatNumber, formatDate } = useI18n();
  const planId = useId();
  const suspended = tenant.status === 'suspended';
  const quotas = SUMMARY_QUOTAS.flatMap((key) => tenant.quotas.filter((q) => q.key === key));

  return (
    <tr data-testid="admin-tenant-row" data-slug={tenant.slug}>
      <td>
        <span className="cell-primary">{tenant.name}</span>
        <code className="cell-secondary">{tenant.slug}</code>
        <span className="cell-secondary">
          {tenant.personal ? t('tenant.kind.personal') : t('tenant.kind.team')} · {formatDate(tenant.createdAt)}
        </span>
      </td>
      <td>
        <Badge tone={suspended ? 'danger' : 'success'}>{t(`tenantStatus.${tenant.status}`)}</Badge>
        {suspended && tenant.suspendedReason && <span className="cell-secondary">{tenant.suspendedReason}</span>}
      </td>
      <td>
        <label htmlFor={planId} className="visually-hidden">
          {t('admin.planOf', { name: tenant.name })}
        </label>
        <select
          id={planId}
          className="select select-compact"
          value={tenant.planId}
          onChange={(event) => onAction({ kind: 'plan', tenant, planId: event.target.value as PlanId })}
        >
          {PLAN_IDS.map((id) => (
            <option key={id} value={id}>
              {t(`plan.${id}`)}
            </option>
          ))}
        </select>
      </td>
      <td className="num">{formatNumber(tenant.memberCount)}</td>
      <td className="cell-usage hide-sm">
        {quotas.map((quota) => (
          <UsageBar key={quota.key} quota={quota} compact />
        ))}
      </td>
      <td className="cell-actions">
        <div className="row-actions">
          <button
            type="button"
            className="button button-secondary button-small"
            onClick={() => onAction({ kind: 'quotas', tenant })}
          >
            {t('admin.quotas.open')}
          </button>
          {suspended ? (
            <button
              type="button"
              className="button button-secondary button-small"
              onClick={() => onAction({ kind: 'resume', tenant })}
            >
              {t('admin.resume')}
            </button>
          ) : (
            <button
              type="button"
              className="button button-danger-ghost button-small"
              onClick={() => onAction({ kind: 'suspend', tenant })}
            >
              {t('admin.suspend')}
            </button>
          )}
        </div>
      </td>
    </tr>
  );
}
