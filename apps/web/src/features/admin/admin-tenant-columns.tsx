'use client';

import { type AdminTenant, PLAN_IDS, type PlanId, type QuotaKey } from '@wharf/contracts';
import { Badge } from '@/components/badge';
import { actionsColumn, type Column } from '@/components/data-table';
import { RowSelect } from '@/components/row-select';
import { UsageBar } from '@/components/usage-bar';
import { useI18n } from '@/lib/i18n/i18n-provider';

/** The quotas shown in the table; the overrides dialog shows them all. */
const SUMMARY_QUOTAS: QuotaKey[] = ['members', 'services', 'cpuMillis', 'memoryMiB'];

export type AdminTenantAction =
  | { kind: 'plan'; tenant: AdminTenant; planId: PlanId }
  | { kind: 'quotas' | 'suspend' | 'resume'; tenant: AdminTenant };

type OnAction = (action: AdminTenantAction) => void;

function RowActions({ tenant, onAction }: { tenant: AdminTenant; onAction: OnAction }) {
  const { t } = useI18n();
  return (
    <div className="row-actions">
      <button type="button" className="button button-secondary button-small" onClick={() => onAction({ kind: 'quotas', tenant })}>
        {t('admin.quotas.open')}
      </button>
      {tenant.status === 'suspended' ? (
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
  );
}

/** The columns of the admin tenants table; the row buttons and the plan select report through `onAction`. */
export function useAdminTenantColumns(onAction: OnAction): Column<AdminTenant>[] {
  const { t, formatNumber, formatDate } = useI18n();
  return [
    {
      id: 'tenant',
      header: 'admin.col.tenant',
      cell: (tenant) => (
        <>
          <span className="cell-primary">{tenant.name}</span>
          <code className="cell-secondary">{tenant.slug}</code>
          <span className="cell-secondary">
            {tenant.personal ? t('tenant.kind.personal') : t('tenant.kind.team')} · {formatDate(tenant.createdAt)}
          </span>
        </>
      ),
    },
    {
      id: 'status',
      header: 'admin.col.status',
      cell: (tenant) => {
        const suspended = tenant.status === 'suspended';
        return (
          <>
            <Badge tone={suspended ? 'danger' : 'success'}>{t(`tenantStatus.${tenant.status}`)}</Badge>
            {suspended && tenant.suspendedReason && <span className="cell-secondary">{tenant.suspendedReason}</span>}
          </>
        );
      },
    },
    {
      id: 'plan',
      header: 'admin.col.plan',
      cell: (tenant) => (
        <RowSelect
          label={t('admin.planOf', { name: tenant.name })}
          value={tenant.planId}
          options={PLAN_IDS}
          optionLabel={(planId) => t(`plan.${planId}`)}
          onChange={(planId) => onAction({ kind: 'plan', tenant, planId })}
        />
      ),
    },
    { id: 'members', header: 'admin.col.members', className: 'num', cell: (tenant) => formatNumber(tenant.memberCount) },
    {
      id: 'usage',
      header: 'admin.col.usage',
      className: 'hide-sm',
      cellClassName: 'cell-usage',
      cell: (tenant) =>
        SUMMARY_QUOTAS.flatMap((key) => tenant.quotas.filter((q) => q.key === key)).map((quota) => (
          <UsageBar key={quota.key} quota={quota} compact />
        )),
    },
    actionsColumn((tenant) => <RowActions tenant={tenant} onAction={onAction} />),
  ];
}
