'use client';

import { tenantRoutes } from '@wharf/contracts';
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { Field } from '@/components/field';
import { FormDialog } from '@/components/form-dialog';
import { useSession } from '@/features/auth/session-provider';
import { api } from '@/lib/api/client';
import { useAction } from '@/lib/hooks/use-action';
import { useI18n } from '@/lib/i18n/i18n-provider';

export function CreateTeamButton() {
  const { t } = useI18n();
  const router = useRouter();
  const { reload } = useSession();
  const [open, setOpen] = useState(false);
  const create = useAction((name: string, slug: string | undefined) =>
    api(tenantRoutes.create, { body: slug ? { name, slug } : { name } }),
  );

  async function submit(form: FormData) {
    const slug = String(form.get('slug') ?? '').trim();
    const result = await create.run(String(form.get('name')), slug || undefined);
    if (!result.ok) return;
    await reload();
    setOpen(false);
    router.push(`/t/${result.value.slug}`);
  }

  return (
    <>
      <button type="button" className="button button-secondary" onClick={() => setOpen(true)}>
        {t('team.create.open')}
      </button>
      <FormDialog
        open={open}
        title={t('team.create.title')}
        testId="create-team-dialog"
        action={create}
        submitLabel={t('team.create.submit')}
        shownFields={['body.name', 'body.slug']}
        onSubmit={submit}
        onClose={() => setOpen(false)}
      >
        <Field label={t('team.create.name')} errors={create.error?.fieldMessages('body.name')}>
          {(control) => <input {...control} className="input" name="name" required maxLength={100} autoComplete="off" />}
        </Field>
        <Field label={t('team.create.slug')} hint={t('team.create.slugHint')} errors={create.error?.fieldMessages('body.slug')}>
          {(control) => (
            <input
              {...control}
              className="input input-mono"
              name="slug"
              minLength={2}
              maxLength={40}
              pattern="[a-z0-9](?:[a-z0-9\-]*[a-z0-9])?"
              autoComplete="off"
            />
          )}
        </Field>
      </FormDialog>
    </>
  );
}
