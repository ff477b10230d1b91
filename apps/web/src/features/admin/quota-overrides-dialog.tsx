'use client';

import { type AdminTenant, adminRoutes, QUOTA_KEYS, type QuotaKey } from '@wharf/contracts';
import { Field } from '@/components/field';
import { FormDialog } from '@/components/form-dialog';
import { api } from '@/lib/api/client';
import { useAction } from '@/lib/hooks/use-action';
import { useI18n } from '@/lib/i18n/i18n-provider';

type Overrides = Partial<Record<QuotaKey, number | null>>;

const FIELDS = QUOTA_KEYS.map((key) => `body.overrides.${key}`);

export interface QuotaOverridesDialogProps {
  tenant: AdminTenant | undefined;
  onClose: () => void;
  onDone: (tenant: AdminTenant) => void;
}

/** Reads the form: an empty input removes the override (`null`), a number sets it. */
function readOverrides(form: FormData): Overrides {
  const overrides: Overrides = {};
  for (const key of QUOTA_KEYS) {
    const raw = String(form.get(key) ?? '').trim();
    overrides[key] = raw === '' ? null : Number(raw);
  }
  return overrides;
}

export function QuotaOverridesDialog({ tenant, onClose, onDone }: QuotaOverridesDialogProps) {
  const { t, formatNumber } = useI18n();
  const save = useAction((id: string, overrides: Overrides) =>
    api(adminRoutes.setOverrides, { params: { tenantId: id }, body: { overrides } }),
  );

  async function submit(form: FormData) {
    if (!tenant) return;
    const result = await save.run(tenant.id, readOverrides(form));
    if (result.ok) onDone(result.value);
  }

  const byKey = new Map(tenant?.quotas.map((q) => [q.key, q]));
  return (
    <FormDialog
      open={!!tenant}
      title={t('admin.quotas.title', { name: tenant?.name ?? '' })}
      testId="quota-dialog"
      action={save}
      submitLabel={t('admin.quotas.save')}
      pendingLabel={t('common.saving')}
      shownFields={FIELDS}
      description={<p className="muted">{t('admin.quotas.help')}</p>}
      onSubmit={submit}
      onClose={onClose}
    >
      <div className="quota-grid">
        {QUOTA_KEYS.map((key) => {
          const quota = byKey.get(key);
          return (
            <Field
              key={key}
              label={t(`quota.${key}`)}
              hint={t('admin.quotas.planHint', {
                limit: formatNumber(quota?.planLimit ?? 0),
                used: formatNumber(quota?.used ?? 0),
                unit: t(`quotaUnit.${key}`),
              })}
              errors={save.error?.fieldMessages(`body.overrides.${key}`)}
            >
              {(control) => (
                <input
                  {...control}
                  className="input"
                  name={key}
                  type="number"
                  min={0}
                  step={1}
                  placeholder={String(quota?.planLimit ?? '')}
                  defaultValue={quota?.overridden ? quota.limit : ''}
                />
              )}
            </Field>
          );
        })}
      </div>
    </FormDialog>
  );
}
