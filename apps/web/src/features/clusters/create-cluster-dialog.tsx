'use client';

import { clusterRoutes } from '@wharf/contracts';
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { Field } from '@/components/field';
import { FormDialog } from '@/components/form-dialog';
import { useTenant } from '@/features/tenant/tenant-provider';
import { api } from '@/lib/api/client';
import { useAction } from '@/lib/hooks/use-action';
import { useI18n } from '@/lib/i18n/i18n-provider';
import { clusterPath } from './cluster-paths';

const FIELDS = ['body.name', 'body.domain'];

/** "Create cluster": a name and an optional domain; the new cluster's page opens, to add hosts to it. */
export function CreateClusterButton() {
  const { t } = useI18n();
  const router = useRouter();
  const { tenant, denial } = useTenant();
  const blocked = denial('clusters.write');
  const [open, setOpen] = useState(false);
  const create = useAction((name: string, domain: string) =>
    api(clusterRoutes.create, { params: { tenant: tenant.slug }, body: domain ? { name, domain } : { name } }),
  );

  async function submit(form: FormData) {
    const result = await create.run(String(form.get('name') ?? '').trim(), String(form.get('domain') ?? '').trim());
    if (!result.ok) return;
    setOpen(false);
    router.push(clusterPath(tenant.slug, result.value.id));
  }

  return (
    <>
      <button
        type="button"
        className="button button-primary"
        disabled={!!blocked}
        title={blocked ?? undefined}
        onClick={() => setOpen(true)}
        data-testid="create-cluster"
      >
        {t('clusters.create.open')}
      </button>
      <FormDialog
        open={open}
        title={t('clusters.create.title')}
        testId="create-cluster-dialog"
        action={create}
        submitLabel={t('clusters.create.submit')}
        shownFields={FIELDS}
        description={<p className="muted">{t('clusters.create.description', { team: tenant.name })}</p>}
        onSubmit={submit}
        onClose={() => setOpen(false)}
      >
        <Field
          label={t('clusters.create.name')}
          hint={t('clusters.create.nameHint')}
          errors={create.error?.fieldMessages('body.name')}
        >
          {(control) => (
            <input {...control} className="input input-mono" name="name" required maxLength={40} autoComplete="off" />
          )}
        </Field>
        <Field
          label={t('clusters.create.domain')}
          hint={t('clusters.create.domainHint')}
          errors={create.error?.fieldMessages('body.domain')}
        >
          {(control) => <input {...control} className="input input-mono" name="domain" maxLength={253} autoComplete="off" />}
        </Field>
      </FormDialog>
    </>
  );
}
