'use client';

import { type AdminTenant, adminRoutes } from '@wharf/contracts';
import type { FormEvent } from 'react';
import { Dialog } from '@/components/dialog';
import { Field } from '@/components/field';
import { ProblemAlert } from '@/components/problem-alert';
import { api } from '@/lib/api/client';
import { useAction } from '@/lib/hooks/use-action';
import { useI18n } from '@/lib/i18n/i18n-provider';

export interface SuspendDialogProps {
  tenant: AdminTenant | undefined;
  onClose: () => void;
  onDone: (tenant: AdminTenant) => void;
}

export function SuspendDialog({ tenant, onClose, onDone }: SuspendDialogProps) {
  const { t } = useI18n();
  const suspend = useAction((id: string, reason: string) =>
    api(adminRoutes.suspend, { params: { tenantId: id }, body: { reason } }),
  );

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (!tenant) return;
    const result = await suspend.run(tenant.id, String(new FormData(event.currentTarget).get('reason')));
    if (result.ok) onDone(result.value);
  }

  function close() {
    suspend.reset();
    onClose();
  }

  return (
    <Dialog
      open={!!tenant}
      title={t('admin.suspend.title', { name: tenant?.name ?? '' })}
      onClose={close}
      testId="suspend-dialog"
    >
      <form onSubmit={onSubmit}>
        <p>{t('admin.suspend.message', { name: tenant?.name ?? '' })}</p>
        <ProblemAlert error={suspend.error} shownFields={['body.reason']} />
        <Field
          label={t('admin.suspend.reason')}
          hint={t('admin.suspend.reasonHint')}
          errors={suspend.error?.fieldMessages('body.reason')}
        >
          {(control) => <textarea {...control} className="input" name="reason" required maxLength={100} rows={3} />}
        </Field>
        <div className="dialog-actions">
          <button type="button" className="button button-secondary" onClick={close}>
            {t('common.cancel')}
          </button>
          <button type="submit" className="button button-danger" disabled={suspend.pending} aria-busy={suspend.pending}>
            {suspend.pending ? t('common.working') : t('admin.suspend.confirm')}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
