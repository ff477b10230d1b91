'use client';

import { type AdminTenant, adminRoutes } from '@wharf/contracts';
import { Field } from '@/components/field';
import { FormDialog } from '@/components/form-dialog';
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

  async function submit(form: FormData) {
    if (!tenant) return;
    const result = await suspend.run(tenant.id, String(form.get('reason')));
    if (result.ok) onDone(result.value);
  }

  const name = tenant?.name ?? '';
  return (
    <FormDialog
      open={!!tenant}
      title={t('admin.suspend.title', { name })}
      testId="suspend-dialog"
      action={suspend}
      submitLabel={t('admin.suspend.confirm')}
      danger
      shownFields={['body.reason']}
      description={<p>{t('admin.suspend.message', { name })}</p>}
      onSubmit={submit}
      onClose={onClose}
    >
      <Field
        label={t('admin.suspend.reason')}
        hint={t('admin.suspend.reasonHint')}
        errors={suspend.error?.fieldMessages('body.reason')}
      >
        {(control) => <textarea {...control} className="input" name="reason" required maxLength={100} rows={3} />}
      </Field>
    </FormDialog>
  );
}
