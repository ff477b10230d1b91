'use client';

import { type AdminTenant, adminRoutes, type PlanId } from '@wharf/contracts';
import { ConfirmDialog } from '@/components/confirm-dialog';
import { api } from '@/lib/api/client';
import { useAction } from '@/lib/hooks/use-action';
import { useI18n } from '@/lib/i18n/i18n-provider';
import type { AdminTenantAction } from './admin-tenant-columns';
import { QuotaOverridesDialog } from './quota-overrides-dialog';
import { SuspendDialog } from './suspend-dialog';

export interface AdminTenantActionsProps {
  action: AdminTenantAction | undefined;
  onClose: () => void;
  onDone: (tenant: AdminTenant) => void;
}

/** The dialog of the row action being performed (plan change and resume confirm; quotas and suspend ask). */
export function AdminTenantActions({ action, onClose, onDone }: AdminTenantActionsProps) {
  const { t } = useI18n();
  const changePlan = useAction((id: string, planId: PlanId) =>
    api(adminRoutes.changePlan, { params: { tenantId: id }, body: { planId } }),
  );
  const resume = useAction((id: string) => api(adminRoutes.resume, { params: { tenantId: id } }));

  function close() {
    changePlan.reset();
    resume.reset();
    onClose();
  }

  async function confirm() {
    if (action?.kind === 'plan') {
      const result = await changePlan.run(action.tenant.id, action.planId);
      if (result.ok) onDone(result.value);
    } else if (action?.kind === 'resume') {
      const result = await resume.run(action.tenant.id);
      if (result.ok) onDone(result.value);
    }
  }

  const plan = action?.kind === 'plan' ? action : undefined;
  const resuming = action?.kind === 'resume' ? action.tenant : undefined;
  return (
    <>
      <ConfirmDialog
        open={!!plan}
        testId="plan-dialog"
        danger={false}
        title={t('admin.plan.title')}
        message={
          plan
            ? t('admin.plan.message', {
                name: plan.tenant.name,
                from: t(`plan.${plan.tenant.planId}`),
                to: t(`plan.${plan.planId}`),
              })
            : ''
        }
        confirmLabel={t('admin.plan.confirm')}
        pending={changePlan.pending}
        error={changePlan.error}
        onConfirm={() => void confirm()}
        onCancel={close}
      />
      <ConfirmDialog
        open={!!resuming}
        testId="resume-dialog"
        danger={false}
        title={t('admin.resume.title', { name: resuming?.name ?? '' })}
        message={t('admin.resume.message', { name: resuming?.name ?? '' })}
        confirmLabel={t('admin.resume')}
        pending={resume.pending}
        error={resume.error}
        onConfirm={() => void confirm()}
        onCancel={close}
      />
      <QuotaOverridesDialog tenant={action?.kind === 'quotas' ? action.tenant : undefined} onClose={close} onDone={onDone} />
      <SuspendDialog tenant={action?.kind === 'suspend' ? action.tenant : undefined} onClose={close} onDone={onDone} />
    </>
  );
}
