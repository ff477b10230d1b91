'use client';

import { adminClusterRoutes, type RouteOutput } from '@wharf/contracts';
import { Field } from '@/components/field';
import { FormDialog } from '@/components/form-dialog';
import { api } from '@/lib/api/client';
import { useAction } from '@/lib/hooks/use-action';
import { useI18n } from '@/lib/i18n/i18n-provider';

export type CreatedCluster = RouteOutput<typeof adminClusterRoutes.create>;
const FIELDS = ['body.name', 'body.domain', 'body.proxyPort', 'body.tenantId'] as const;

export interface RegisterClusterDialogProps {
  open: boolean;
  onClose: () => void;
  /** The cluster made, with its agent's one-time join token. */
  onCreated: (created: CreatedCluster) => void;
}

/** Registers a shared cluster (or, with a tenant id, a tenant's dedicated one): its name, apps domain and proxy port. */
export function RegisterClusterDialog({ open, onClose, onCreated }: RegisterClusterDialogProps) {
  const { t } = useI18n();
  const create = useAction((form: FormData) => {
    const tenantId = String(form.get('tenantId') ?? '').trim();
    return api(adminClusterRoutes.create, {
      body: {
        name: String(form.get('name') ?? '').trim(),
        domain: String(form.get('domain') ?? '').trim(),
        proxyPort: Number(form.get('proxyPort')),
        ...(tenantId ? { tenantId } : {}),
      },
    });
  });

  async function submit(form: FormData) {
    const result = await create.run(form);
    if (result.ok) onCreated(result.value);
  }

  return (
    <FormDialog
      open={open}
      title={t('adminClusters.register.title')}
      testId="register-cluster-dialog"
      action={create}
      submitLabel={t('adminClusters.register.submit')}
      shownFields={FIELDS}
      description={<p className="muted">{t('adminClusters.register.description')}</p>}
      onSubmit={submit}
      onClose={onClose}
    >
      <Field
        label={t('adminClusters.register.name')}
        hint={t('adminClusters.register.nameHint')}
        errors={create.error?.fieldMessages('body.name')}
      >
        {(control) => <input {...control} className="input" name="name" required maxLength={40} autoComplete="off" />}
      </Field>
      <Field
        label={t('adminClusters.register.domain')}
        hint={t('adminClusters.register.domainHint')}
        errors={create.error?.fieldMessages('body.domain')}
      >
        {(control) => (
          <input {...control} className="input input-mono" name="domain" required maxLength={253} autoComplete="off" />
        )}
      </Field>
      <Field
        label={t('adminClusters.register.proxyPort')}
        hint={t('adminClusters.register.proxyPortHint')}
        errors={create.error?.fieldMessages('body.proxyPort')}
      >
        {(control) => (
          <input {...control} className="input" name="proxyPort" type="number" required min={1} max={65535} defaultValue={80} />
        )}
      </Field>
      <Field
        label={t('adminClusters.register.tenantId')}
        hint={t('adminClusters.register.tenantIdHint')}
        errors={create.error?.fieldMessages('body.tenantId')}
      >
        {(control) => <input {...control} className="input input-mono" name="tenantId" autoComplete="off" />}
      </Field>
    </FormDialog>
  );
}
